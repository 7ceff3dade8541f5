#!/usr/bin/env bash
# Start Kafka (KRaft, single node), s3proxy (filesystem) and Redis on 127.0.0.1 without Docker.
# Idempotent: what already runs (ours, or a Redis answering on its port) is reused.
# Progress goes to stderr; stdout gets only `export NAME=value` lines, also written to
# .stack/env, so `eval "$(bash infra/local/stack-up.sh)"` works.
#
# Usage: stack-up.sh [--check] [--redis-cluster]
#   --check           after start, probe s3proxy with curl (If-None-Match: * -> 412, ListObjectsV2 prefix)
#   --redis-cluster   also start a local Redis Cluster of three masters (STACK_REDIS_CLUSTER_PORTS)
#                     and add REDIS_CLUSTER_NODES to the environment
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHECK=0
CLUSTER=0
for arg in "$@"; do
  case "$arg" in
    --check) CHECK=1 ;;
    --redis-cluster) CLUSTER=1 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

# ---------------------------------------------------------------- preflight
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need timeout "install coreutils"
need setsid "install util-linux"
need curl "install curl (apt-get install -y curl)"
curl --help all 2>/dev/null | grep -q -- '--aws-sigv4' \
  || die "curl $(curl --version | head -1 | cut -d' ' -f2) lacks --aws-sigv4 (needs curl >= 7.75)"

if [[ -n "${STACK_JAVA:-}" ]]; then
  [[ -x "$STACK_JAVA" ]] || die "STACK_JAVA=$STACK_JAVA is not an executable"
  JAVA="$STACK_JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then JAVA="$(command -v java)"
else die "Java not found (Kafka 4.1 and s3proxy 4.0 need Java 17+): apt-get install -y openjdk-17-jre-headless, or set JAVA_HOME / STACK_JAVA"
fi
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)"
[[ "$JAVA_MAJOR" =~ ^[0-9]+$ ]] || die "could not tell the version of $JAVA"
(( JAVA_MAJOR >= 17 )) || die "$JAVA is Java $JAVA_MAJOR; Kafka 4.1 and s3proxy 4.0 need Java 17+ (set JAVA_HOME or STACK_JAVA)"

stack_lock
mkdir -p "$STACK_DIR" "$STACK_CACHE_DIR"
T0=$SECONDS
on_exit() {
  local rc=$?
  if (( rc != 0 )) && ls "$STACK_DIR"/*.pid >/dev/null 2>&1; then
    say "stack-up failed; whatever is running stays up: stop it with infra/local/stack-down.sh"
  fi
}
trap on_exit EXIT

# ---------------------------------------------------------------- jars (cached)
mvn_fetch() { # args...: one Maven call with a time limit and a clear failure
  command -v mvn >/dev/null 2>&1 \
    || die "Maven (mvn) not found; it is needed once to fetch jars into $STACK_CACHE_DIR (apt-get install -y maven)"
  local out rc=0
  out="$(timeout "$STACK_FETCH_TIMEOUT" mvn -B -q -Dstyle.color=never "$@" 2>&1)" || rc=$?
  if (( rc == 124 )); then say "Maven timed out after ${STACK_FETCH_TIMEOUT}s (STACK_FETCH_TIMEOUT)"; fi
  if (( rc != 0 )); then printf '%s\n' "$out" | tail -20 >&2; return 1; fi
}

KAFKA_LIB="$STACK_CACHE_DIR/kafka-$STACK_KAFKA_VERSION"
if [[ ! -f "$KAFKA_LIB/.complete" ]]; then
  say "fetching Kafka $STACK_KAFKA_VERSION jars into $KAFKA_LIB (once)"; t_fetch=$SECONDS
  rm -rf "$KAFKA_LIB.tmp"
  mvn_fetch -f "$STACK_HERE/kafka/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$STACK_KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB.tmp" \
    || die "could not fetch org.apache.kafka:kafka_2.13:$STACK_KAFKA_VERSION from Maven Central"
  [[ -f "$KAFKA_LIB.tmp/kafka_2.13-$STACK_KAFKA_VERSION.jar" ]] || die "Maven ran but kafka_2.13 jar is missing"
  rm -rf "$KAFKA_LIB" && mv "$KAFKA_LIB.tmp" "$KAFKA_LIB" && touch "$KAFKA_LIB/.complete"
  say "fetched Kafka jars ($(du -sh "$KAFKA_LIB" | cut -f1)) in $((SECONDS - t_fetch)) s"
fi

S3PROXY_CANDIDATES=("${STACK_S3PROXY_VERSION:-4.0.0}")
[[ -n "$STACK_S3PROXY_VERSION" ]] || S3PROXY_CANDIDATES+=(3.3.0)
S3PROXY_JAR=""
for v in "${S3PROXY_CANDIDATES[@]}"; do
  j="$STACK_CACHE_DIR/s3proxy/s3proxy-$v-jar-with-dependencies.jar"
  if [[ -s "$j" ]]; then S3PROXY_JAR="$j"; break; fi
done
if [[ -z "$S3PROXY_JAR" ]]; then
  for v in "${S3PROXY_CANDIDATES[@]}"; do
    say "fetching s3proxy $v (jar-with-dependencies) into $STACK_CACHE_DIR/s3proxy (once)"
    if mvn_fetch -f "$STACK_HERE/s3proxy/pom.xml" dependency:copy \
         -Ds3proxy.version="$v" -Dstack.out="$STACK_CACHE_DIR/s3proxy"; then
      S3PROXY_JAR="$STACK_CACHE_DIR/s3proxy/s3proxy-$v-jar-with-dependencies.jar"
      if [[ -s "$S3PROXY_JAR" ]]; then say "fetched s3proxy $v ($(du -sh "$S3PROXY_JAR" | cut -f1))"; break; fi
    fi
    say "s3proxy $v could not be fetched"; S3PROXY_JAR=""
  done
  [[ -n "$S3PROXY_JAR" ]] || die "could not fetch org.gaul:s3proxy (${S3PROXY_CANDIDATES[*]}) from Maven Central"
fi
case "$S3PROXY_JAR" in
  */s3proxy-4.*) ;;
  *) say "WARNING: using $(basename "$S3PROXY_JAR"): in s3proxy 3.3.0, concurrent PUTs with If-None-Match: * can ALL succeed (not atomic); 4.0.0 is atomic" ;;
esac

# ---------------------------------------------------------------- helpers
# launch NAME LOGFILE CMD...: run CMD detached (own session, survives this shell), cwd = state dir.
launch() {
  local name="$1" logfile="$2"; shift 2
  local dir="$STACK_DIR/$name"
  mkdir -p "$dir"
  [[ -f "$logfile" ]] && mv -f "$logfile" "$logfile.1"
  rm -f "$STACK_DIR/$name.pid"
  # The inner shell records its own pid, then execs the service: the pid is the service's.
  # 9>&- : the service must not inherit the lock fd, or it would hold .stack/.lock forever.
  # shellcheck disable=SC2016 # $1/$2/$$ belong to the inner shell
  setsid nohup bash -c 'cd "$1" && echo $$ > "$2" && shift 2 && exec "$@"' \
    launch "$dir" "$STACK_DIR/$name.pid" "$@" </dev/null >"$logfile" 2>&1 9>&- &
  local _
  for _ in $(seq 50); do [[ -s "$STACK_DIR/$name.pid" ]] && break; sleep 0.1; done
  [[ -s "$STACK_DIR/$name.pid" ]] || die "$name did not start (see $logfile)"
}

fail_with_log() { # NAME LOGFILE MESSAGE
  say "$3"
  say "last 30 lines of $2:"
  tail -n 30 "$2" >&2 || true
  exit 1
}

# wait_ready NAME LOGFILE TIMEOUT CHECK-FUNCTION
wait_ready() {
  local name="$1" logfile="$2" limit="$3" check="$4" t0=$SECONDS
  while :; do
    if ! service_pid "$name" >/dev/null; then
      fail_with_log "$name" "$logfile" "$name exited during start-up"
    fi
    if "$check"; then say "$name ready ($((SECONDS - T0)) s into stack-up)"; return 0; fi
    if (( SECONDS - t0 >= limit )); then
      fail_with_log "$name" "$logfile" "$name not ready after ${limit}s (pid $(service_pid "$name"), left running; stop with stack-down.sh)"
    fi
    sleep 0.5
  done
}

same_ports() { # NAME PORT...: a running service of ours must use the ports asked for now
  local name="$1"; shift
  local want have
  want="$(printf '%s\n' "$@")"
  have="$(cat "$STACK_DIR/$name.ports" 2>/dev/null || true)"
  [[ "$want" == "$have" ]] \
    || die "$name already runs (ours) on port(s) ${have//$'\n'/ } but ${want//$'\n'/ } was asked for: run stack-down.sh first"
}

ensure_port_free() { # NAME PORT ENVVAR
  if port_open "$2"; then
    die "$1: 127.0.0.1:$2 is already in use by something stack-up did not start: $(port_owner "$2")
       stop it, or choose another port with $3=..."
  fi
}

# The three start in parallel (launch returns at once); readiness is awaited further down.
WAIT=()

# ---------------------------------------------------------------- Redis
REDIS_LOG="$STACK_DIR/redis.log"
redis_ready() { redis_ping "$STACK_REDIS_PORT"; }
if pid="$(service_pid redis)"; then
  say "redis already running (pid $pid, ours)"
  same_ports redis "$STACK_REDIS_PORT"
  WAIT+=(redis)
elif redis_ping "$STACK_REDIS_PORT"; then
  rm -f "$STACK_DIR/redis.pid"
  say "redis: reusing the Redis already answering on 127.0.0.1:$STACK_REDIS_PORT (not ours: stack-down leaves it alone)"
else
  rm -f "$STACK_DIR/redis.pid"
  ensure_port_free redis "$STACK_REDIS_PORT" STACK_REDIS_PORT
  if ! command -v redis-server >/dev/null 2>&1; then
    SUDO=()
    if (( EUID != 0 )); then
      if ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
        die "redis-server not found and not root: run  sudo apt-get install -y redis-server"
      fi
      SUDO=(sudo -n)
    fi
    command -v apt-get >/dev/null 2>&1 || die "redis-server not found and no apt-get: install Redis 6+ so that redis-server is on PATH"
    say "redis-server not found: installing it with apt-get (once)"
    # Keep the package's init script from starting a system-wide Redis on 6379
    # (policy-rc.d exit 101 = "don't start services"), unless a policy is already in place.
    POLICY=/usr/sbin/policy-rc.d; OWN_POLICY=0
    if [[ ! -e "$POLICY" ]]; then
      printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null && "${SUDO[@]}" chmod 755 "$POLICY" && OWN_POLICY=1
    fi
    rc=0; t_apt=$SECONDS
    timeout "$STACK_APT_TIMEOUT" "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive bash -c \
      'apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends redis-server' \
      >"$STACK_DIR/apt-redis.log" 2>&1 || rc=$?
    (( OWN_POLICY )) && "${SUDO[@]}" rm -f "$POLICY"
    say "apt-get update + install redis-server: $((SECONDS - t_apt)) s (rc $rc)"
    if (( rc != 0 )); then
      tail -20 "$STACK_DIR/apt-redis.log" >&2
      (( rc == 124 )) && die "apt-get timed out after ${STACK_APT_TIMEOUT}s (STACK_APT_TIMEOUT)"
      die "apt-get install redis-server failed (log: $STACK_DIR/apt-redis.log)"
    fi
    command -v redis-server >/dev/null 2>&1 || die "apt-get installed redis-server but it is not on PATH"
  fi
  say "starting redis on 127.0.0.1:$STACK_REDIS_PORT"
  launch redis "$REDIS_LOG" redis-server --port "$STACK_REDIS_PORT" --bind "$STACK_HOST" \
    --save "" --appendonly no --daemonize no --dir "$STACK_DIR/redis" --logfile "" \
    --hash-max-listpack-entries "$STACK_REDIS_LISTPACK_ENTRIES" --hash-max-listpack-value "$STACK_REDIS_LISTPACK_VALUE"
  printf '%s\n' "$STACK_REDIS_PORT" > "$STACK_DIR/redis.ports"
  WAIT+=(redis)
fi

# ---------------------------------------------------------------- Kafka
KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_CONF="$KAFKA_DIR/server.properties"
KAFKA_LOG="$STACK_DIR/kafka.log"
kafka_ready() {
  port_open "$STACK_KAFKA_PORT" && grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null
}
if pid="$(service_pid kafka)"; then
  say "kafka already running (pid $pid, ours)"
  same_ports kafka "$STACK_KAFKA_PORT" "$STACK_KAFKA_CONTROLLER_PORT"
  WAIT+=(kafka)
else
  rm -f "$STACK_DIR/kafka.pid"
  ensure_port_free kafka "$STACK_KAFKA_PORT" STACK_KAFKA_PORT
  ensure_port_free kafka-controller "$STACK_KAFKA_CONTROLLER_PORT" STACK_KAFKA_CONTROLLER_PORT
  mkdir -p "$KAFKA_DATA"
  cat > "$KAFKA_CONF" <<EOF
# Written by infra/local/stack-up.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$STACK_HOST:$STACK_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$STACK_HOST:$STACK_KAFKA_PORT,CONTROLLER://$STACK_HOST:$STACK_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$STACK_HOST:$STACK_KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=$STACK_KAFKA_NUM_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  KAFKA_CP="$KAFKA_LIB/*"
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    if [[ ! -s "$KAFKA_DIR/cluster.id" ]]; then
      "$JAVA" -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid 2>"$KAFKA_DIR/format.log" \
        | tail -1 > "$KAFKA_DIR/cluster.id.tmp" || true
      [[ -s "$KAFKA_DIR/cluster.id.tmp" ]] || { cat "$KAFKA_DIR/format.log" >&2; die "StorageTool random-uuid failed"; }
      mv "$KAFKA_DIR/cluster.id.tmp" "$KAFKA_DIR/cluster.id"
    fi
    say "formatting Kafka storage (cluster id $(<"$KAFKA_DIR/cluster.id"))"
    "$JAVA" -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$(<"$KAFKA_DIR/cluster.id")" \
      -c "$KAFKA_CONF" >>"$KAFKA_DIR/format.log" 2>&1 \
      || { tail -30 "$KAFKA_DIR/format.log" >&2; die "kafka storage format failed"; }
  fi
  say "starting kafka $STACK_KAFKA_VERSION on 127.0.0.1:$STACK_KAFKA_PORT (controller $STACK_KAFKA_CONTROLLER_PORT)"
  # shellcheck disable=SC2086 # heap opts are deliberately word-split
  launch kafka "$KAFKA_LOG" "$JAVA" $STACK_KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd\'T\'HH:mm:ss.SSS \
    -cp "$KAFKA_CP" kafka.Kafka "$KAFKA_CONF"
  printf '%s\n' "$STACK_KAFKA_PORT" "$STACK_KAFKA_CONTROLLER_PORT" > "$STACK_DIR/kafka.ports"
  WAIT+=(kafka)
fi

# ---------------------------------------------------------------- s3proxy
S3_DIR="$STACK_DIR/s3proxy"
S3_DATA="$S3_DIR/data"
S3_CONF="$S3_DIR/s3proxy.conf"
S3_LOG="$STACK_DIR/s3proxy.log"
S3_URL="http://$STACK_HOST:$STACK_S3_PORT"
s3_ready() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$S3_URL/" 2>/dev/null || true)"
  [[ -n "$code" && "$code" != 000 ]]
}
# s3 METHOD PATH [curl args...]: a SigV4-signed request; prints the HTTP status.
# curl 7.x does not send x-amz-content-sha256 by itself and s3proxy requires it: send it, signed.
s3() {
  local method="$1" path="$2"; shift 2
  curl -s -o "$STACK_DIR/s3-last-response.xml" -w '%{http_code}' --max-time 10 \
    --aws-sigv4 "aws:amz:$STACK_S3_REGION:s3" \
    --user "$STACK_S3_ACCESS_KEY_ID:$STACK_S3_SECRET_ACCESS_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X "$method" "$@" "$S3_URL$path" || true
}
if pid="$(service_pid s3proxy)"; then
  say "s3proxy already running (pid $pid, ours)"
  same_ports s3proxy "$STACK_S3_PORT"
  WAIT+=(s3proxy)
else
  rm -f "$STACK_DIR/s3proxy.pid"
  ensure_port_free s3proxy "$STACK_S3_PORT" STACK_S3_PORT
  mkdir -p "$S3_DATA"
  umask_old="$(umask)"; umask 077
  cat > "$S3_CONF" <<EOF
# Written by infra/local/stack-up.sh on every start; edit the script, not this file.
s3proxy.endpoint=$S3_URL
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$STACK_S3_ACCESS_KEY_ID
s3proxy.credential=$STACK_S3_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DATA
EOF
  umask "$umask_old"
  say "starting s3proxy $(basename "$S3PROXY_JAR" | sed 's/^s3proxy-//; s/-jar-with-dependencies.jar$//') on $S3_URL"
  # shellcheck disable=SC2086
  launch s3proxy "$S3_LOG" "$JAVA" $STACK_S3_HEAP_OPTS -Djava.awt.headless=true \
    -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
    -jar "$S3PROXY_JAR" --properties "$S3_CONF"
  printf '%s\n' "$STACK_S3_PORT" > "$STACK_DIR/s3proxy.ports"
  WAIT+=(s3proxy)
fi

# ---------------------------------------------------------------- readiness
for name in "${WAIT[@]}"; do
  case "$name" in
    redis) wait_ready redis "$REDIS_LOG" "$STACK_REDIS_TIMEOUT" redis_ready ;;
    kafka) wait_ready kafka "$KAFKA_LOG" "$STACK_KAFKA_TIMEOUT" kafka_ready ;;
    s3proxy) wait_ready s3proxy "$S3_LOG" "$STACK_S3_TIMEOUT" s3_ready ;;
  esac
done

# ---------------------------------------------------------------- bucket
code="$(s3 PUT "/$STACK_S3_BUCKET")"
case "$code" in
  200) say "s3proxy: created bucket $STACK_S3_BUCKET" ;;
  409) grep -q BucketAlreadyOwnedByYou "$STACK_DIR/s3-last-response.xml" \
         || die "s3proxy: PUT /$STACK_S3_BUCKET -> 409: $(cat "$STACK_DIR/s3-last-response.xml")" ;;
  *) die "s3proxy: PUT /$STACK_S3_BUCKET -> HTTP $code: $(cat "$STACK_DIR/s3-last-response.xml" 2>/dev/null)
       (does the running s3proxy use these credentials? STACK_S3_ACCESS_KEY_ID=$STACK_S3_ACCESS_KEY_ID)" ;;
esac
code="$(s3 HEAD "/$STACK_S3_BUCKET" -I)"
[[ "$code" == 200 ]] || die "s3proxy: HEAD /$STACK_S3_BUCKET -> HTTP $code"

if (( CHECK )); then
  probe="stack-up-probe-$$/"
  tmpf="$(mktemp)"; printf 'probe\n' > "$tmpf"
  c1="$(s3 PUT "/$STACK_S3_BUCKET/${probe}a.txt" -H 'If-None-Match: *' -T "$tmpf")"
  c2="$(s3 PUT "/$STACK_S3_BUCKET/${probe}a.txt" -H 'If-None-Match: *' -T "$tmpf")"
  # curl signs the query as written: encode '/' in the prefix yourself.
  cl="$(s3 GET "/$STACK_S3_BUCKET?list-type=2&prefix=${probe%/}%2F")"
  listed="$(grep -o '<Key>[^<]*</Key>' "$STACK_DIR/s3-last-response.xml" | tr -d '\n' || true)"
  cd_="$(s3 DELETE "/$STACK_S3_BUCKET/${probe}a.txt")"
  rm -f "$tmpf"
  say "check: If-None-Match first PUT $c1 (want 200), second PUT $c2 (want 412); ListObjectsV2 $cl -> $listed; DELETE $cd_ (want 204)"
  [[ "$c1" == 200 && "$c2" == 412 && "$cl" == 200 && "$listed" == "<Key>${probe}a.txt</Key>" ]] \
    || die "s3proxy check failed"
fi

# ---------------------------------------------------------------- Redis Cluster (--redis-cluster)
# Three masters from apt's redis-server, slots split evenly by `redis-cli --cluster create`. The
# nodes keep no data (like the single Redis) but keep nodes.conf in their dir, so a restart rejoins.
CLUSTER_NODES=""
if (( CLUSTER )); then
  command -v redis-server >/dev/null 2>&1 || die "--redis-cluster needs redis-server (apt-get install -y redis-server)"
  command -v redis-cli >/dev/null 2>&1 || die "--redis-cluster needs redis-cli (apt-get install -y redis-tools)"
  i=0
  for port in $STACK_REDIS_CLUSTER_PORTS; do
    i=$((i + 1))
    name="redis-cluster-$i"
    CLUSTER_NODES="${CLUSTER_NODES:+$CLUSTER_NODES,}$STACK_HOST:$port"
    if pid="$(service_pid "$name")"; then
      say "$name already running (pid $pid, ours)"
      same_ports "$name" "$port"
    else
      rm -f "$STACK_DIR/$name.pid"
      ensure_port_free "$name" "$port" STACK_REDIS_CLUSTER_PORTS
      ensure_port_free "$name" "$((port + 10000))" STACK_REDIS_CLUSTER_PORTS
      say "starting $name on 127.0.0.1:$port"
      launch "$name" "$STACK_DIR/$name.log" redis-server --port "$port" --bind "$STACK_HOST" \
        --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
        --save "" --appendonly no --daemonize no --dir "$STACK_DIR/$name" --logfile "" \
        --hash-max-listpack-entries "$STACK_REDIS_LISTPACK_ENTRIES" --hash-max-listpack-value "$STACK_REDIS_LISTPACK_VALUE"
      printf '%s\n' "$port" > "$STACK_DIR/$name.ports"
    fi
  done
  (( i == 3 )) || die "STACK_REDIS_CLUSTER_PORTS must name three ports, got: $STACK_REDIS_CLUSTER_PORTS"
  i=0
  for port in $STACK_REDIS_CLUSTER_PORTS; do
    i=$((i + 1))
    # shellcheck disable=SC2317 # called by wait_ready
    cluster_node_ready() { redis_ping "$port"; }
    wait_ready "redis-cluster-$i" "$STACK_DIR/redis-cluster-$i.log" "$STACK_REDIS_TIMEOUT" cluster_node_ready
  done
  first_port="${STACK_REDIS_CLUSTER_PORTS%% *}"
  cluster_state() { timeout 3 redis-cli -h "$STACK_HOST" -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'; }
  if [[ "$(cluster_state "$first_port")" != ok ]]; then
    known="$(timeout 3 redis-cli -h "$STACK_HOST" -p "$first_port" cluster info | tr -d '\r' | sed -n 's/^cluster_known_nodes://p')"
    if [[ "$known" == 1 ]]; then
      say "redis cluster: creating it over ${CLUSTER_NODES//,/ } (3 masters, no replicas)"
      # shellcheck disable=SC2086
      timeout 60 redis-cli --cluster create ${CLUSTER_NODES//,/ } --cluster-replicas 0 --cluster-yes >"$STACK_DIR/redis-cluster-create.log" 2>&1 \
        || fail_with_log redis-cluster "$STACK_DIR/redis-cluster-create.log" "redis-cli --cluster create failed"
    fi
  fi
  t_cluster=$SECONDS
  for port in $STACK_REDIS_CLUSTER_PORTS; do
    until [[ "$(cluster_state "$port")" == ok ]]; do
      (( SECONDS - t_cluster < 60 )) || die "redis cluster: node 127.0.0.1:$port not in state ok after 60 s (logs: $STACK_DIR/redis-cluster-*.log; restart with stack-down.sh --purge)"
      sleep 0.5
    done
  done
  say "redis cluster ready: $CLUSTER_NODES"
fi

# ---------------------------------------------------------------- environment
ENV_TMP="$(mktemp "$STACK_DIR/env.XXXXXX")"
{
  printf 'export %s=%q\n' KAFKA_BROKERS "$STACK_HOST:$STACK_KAFKA_PORT"
  printf 'export %s=%q\n' S3_ENDPOINT "$S3_URL"
  printf 'export %s=%q\n' S3_BUCKET "$STACK_S3_BUCKET"
  printf 'export %s=%q\n' S3_ACCESS_KEY_ID "$STACK_S3_ACCESS_KEY_ID"
  printf 'export %s=%q\n' S3_SECRET_ACCESS_KEY "$STACK_S3_SECRET_ACCESS_KEY"
  printf 'export %s=%q\n' S3_REGION "$STACK_S3_REGION"
  printf 'export %s=%q\n' REDIS_URL "redis://$STACK_HOST:$STACK_REDIS_PORT"
  # Not %q: it would escape the commas (host:port lists need no quoting).
  if [[ -n "$CLUSTER_NODES" ]]; then printf 'export %s=%s\n' REDIS_CLUSTER_NODES "$CLUSTER_NODES"; fi
} > "$ENV_TMP"
mv -f "$ENV_TMP" "$STACK_DIR/env"
say "stack up in $((SECONDS - T0)) s; logs in $STACK_DIR/*.log; these are also in $STACK_DIR/env:"
cat "$STACK_DIR/env"
