# shellcheck shell=bash
# Shared by stack-up.sh and stack-down.sh. Sourced, not run.
# Every knob is an environment variable with a default; see README.md beside this file.

STACK_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
STACK_REPO="$(cd "$STACK_HERE/../.." && pwd -P)"

# Absolute, symlink-free paths: s3proxy needs an absolute basedir, and a service is recognised
# as ours by its working directory (/proc/PID/cwd), which the kernel reports resolved.
STACK_DIR="$(realpath -m "${STACK_DIR:-$STACK_REPO/.stack}")"
STACK_CACHE_DIR="$(realpath -m "${STACK_CACHE_DIR:-$STACK_REPO/.cache/stack}")"
STACK_HOST=127.0.0.1

STACK_KAFKA_VERSION="${STACK_KAFKA_VERSION:-4.1.2}"
STACK_KAFKA_PORT="${STACK_KAFKA_PORT:-9092}"
STACK_KAFKA_CONTROLLER_PORT="${STACK_KAFKA_CONTROLLER_PORT:-9093}"
STACK_KAFKA_HEAP_OPTS="${STACK_KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
STACK_KAFKA_NUM_PARTITIONS="${STACK_KAFKA_NUM_PARTITIONS:-3}"
STACK_KAFKA_TIMEOUT="${STACK_KAFKA_TIMEOUT:-90}"

# Empty = 4.0.0, falling back to 3.3.0 if 4.0.0 cannot be fetched.
STACK_S3PROXY_VERSION="${STACK_S3PROXY_VERSION:-}"
STACK_S3_PORT="${STACK_S3_PORT:-9000}"
STACK_S3_ACCESS_KEY_ID="${STACK_S3_ACCESS_KEY_ID:-padan}"
STACK_S3_SECRET_ACCESS_KEY="${STACK_S3_SECRET_ACCESS_KEY:-padan-secret-key}"
STACK_S3_BUCKET="${STACK_S3_BUCKET:-padan}"
STACK_S3_REGION="${STACK_S3_REGION:-us-east-1}"
STACK_S3_HEAP_OPTS="${STACK_S3_HEAP_OPTS:--Xms64m -Xmx256m}"
STACK_S3_TIMEOUT="${STACK_S3_TIMEOUT:-60}"

STACK_REDIS_PORT="${STACK_REDIS_PORT:-6379}"
STACK_REDIS_TIMEOUT="${STACK_REDIS_TIMEOUT:-20}"
# The local Redis Cluster of `stack-up.sh --redis-cluster`: three masters, no replicas. Each node
# also uses its port + 10000 (the cluster bus).
STACK_REDIS_CLUSTER_PORTS="${STACK_REDIS_CLUSTER_PORTS:-7001 7002 7003}"
# Listpack limits of every Redis the stack starts: the match state keeps its hashes small enough
# to stay listpack-encoded (packages/match-state, "Compact state"); operators set the same.
STACK_REDIS_LISTPACK_ENTRIES="${STACK_REDIS_LISTPACK_ENTRIES:-512}"
STACK_REDIS_LISTPACK_VALUE="${STACK_REDIS_LISTPACK_VALUE:-1024}"

STACK_FETCH_TIMEOUT="${STACK_FETCH_TIMEOUT:-600}"   # one Maven fetch
STACK_APT_TIMEOUT="${STACK_APT_TIMEOUT:-600}"       # apt-get update + install
STACK_STOP_TIMEOUT="${STACK_STOP_TIMEOUT:-60}"      # TERM -> KILL grace, per service

# shellcheck disable=SC2034 # used by stack-down.sh
STACK_SERVICES=(s3proxy kafka redis redis-cluster-1 redis-cluster-2 redis-cluster-3)

say() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# Serialise stack-up/stack-down runs (fd 9 stays open until the script exits).
stack_lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 300 9 || die "another stack-up/stack-down holds $STACK_DIR/.lock for 300 s"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$STACK_HOST/$1" >/dev/null 2>&1
}

# Who listens on port $1 (for error messages).
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null || true
  fi
}

# pid recorded for service $1, if that process is alive and still is ours
# (its working directory is the service's state dir, which stack-up sets at launch).
service_pid() {
  local name="$1" pidfile="$STACK_DIR/$1.pid" pid cwd
  [[ -s "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  [[ "$cwd" == "$STACK_DIR/$name" ]] || return 1
  printf '%s\n' "$pid"
}

redis_ping() {
  local port="$1" out
  if command -v redis-cli >/dev/null 2>&1; then
    out="$(timeout 3 redis-cli -h "$STACK_HOST" -p "$port" ping 2>/dev/null || true)"
  else
    out="$(timeout 3 bash -c "exec 3<>/dev/tcp/$STACK_HOST/$port; printf 'PING\r\n' >&3; IFS= read -r l <&3; printf '%s' \"\$l\"" 2>/dev/null || true)"
    out="${out#+}"
  fi
  [[ "${out%$'\r'}" == PONG ]]
}
