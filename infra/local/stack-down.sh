#!/usr/bin/env bash
# Stop what infra/local/stack-up.sh started (by recorded pid: TERM, wait, then KILL), and check
# that nothing listens any more on the ports those services owned. A Redis that stack-up only
# reused is left running. Nothing running is fine.
#
# Usage: stack-down.sh [--purge]
#   --purge   also delete the data dirs (.stack/kafka, .stack/s3proxy, .stack/redis)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

[[ -d "$STACK_DIR" ]] || { say "nothing to stop ($STACK_DIR does not exist)"; exit 0; }
stack_lock
# The environment no longer describes running services.
rm -f "$STACK_DIR/env"

# TERM every service of ours at once, then wait for each (KILL after STACK_STOP_TIMEOUT).
declare -A PIDS=()
for name in "${STACK_SERVICES[@]}"; do
  if pid="$(service_pid "$name")"; then
    say "$name: stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    PIDS[$name]=$pid
  else
    if [[ -e "$STACK_DIR/$name.pid" ]]; then say "$name: not running (stale pid file removed)"; fi
    rm -f "$STACK_DIR/$name.pid"
  fi
done
t0=$SECONDS
for name in "${!PIDS[@]}"; do
  pid=${PIDS[$name]}
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - t0 < STACK_STOP_TIMEOUT )); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name: still running after ${STACK_STOP_TIMEOUT}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then die "$name: pid $pid survives KILL"; fi
  fi
  say "$name: stopped"
  rm -f "$STACK_DIR/$name.pid"
done

# The ports our services owned (recorded at start) must now be free.
busy=0
for name in "${STACK_SERVICES[@]}"; do
  [[ -f "$STACK_DIR/$name.ports" ]] || continue
  while read -r port; do
    [[ -n "$port" ]] || continue
    for _ in $(seq 25); do port_open "$port" || break; sleep 0.2; done
    if port_open "$port"; then
      say "$name: 127.0.0.1:$port still accepts connections: $(port_owner "$port")"
      busy=1
    fi
  done < "$STACK_DIR/$name.ports"
  (( busy )) || rm -f "$STACK_DIR/$name.ports"
done

if [[ ! -e "$STACK_DIR/redis.ports" ]] && redis_ping "$STACK_REDIS_PORT"; then
  say "redis: the Redis on 127.0.0.1:$STACK_REDIS_PORT was not started by stack-up; left running"
fi

if (( PURGE )); then
  for name in "${STACK_SERVICES[@]}"; do
    rm -rf "${STACK_DIR:?}/$name"
  done
  say "purged data dirs under $STACK_DIR"
fi

(( busy == 0 )) || die "some ports are still in use (see above)"
say "stack down"
