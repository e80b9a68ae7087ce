#!/usr/bin/env bash
# Failover test (docs/deploy.md, "High availability"): etcd, two PostgreSQL 15 nodes managed by Patroni in
# synchronous mode, HAProxy routing to the primary by Patroni's /primary check and spreading HTTP over two
# `armtrace serve` processes, all on loopback in a temporary folder. Writes run through the HTTP API while the
# primary's machine is "lost" (Patroni and PostgreSQL killed with SIGKILL); the standby is promoted; writes go on.
# Then: every write answered 2xx is in the database, every refused one was answered 503 database_unavailable
# (and is not there), no 500, and `armtrace verify` passes. Everything started here is stopped on exit.
#
# Usage: npm run test:failover   (as root on Debian 12: installs patroni, etcd-server, haproxy when missing)
# Environment: FAILOVER_BASE_PORT (default 47300; ten ports from it), FAILOVER_KEEP=1 keeps the folder.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" # node --import tsx resolves tsx from here
export ARMTRACE_FROM_SOURCE=1
base=${FAILOVER_BASE_PORT:-47300}
etcd_port=$base etcd_peer=$((base + 1))
rest1=$((base + 2)) rest2=$((base + 3)) pg1=$((base + 4)) pg2=$((base + 5))
proxy_pg=$((base + 6)) proxy_http=$((base + 7)) serve1=$((base + 8)) serve2=$((base + 9))
pg_bin=/usr/lib/postgresql/15/bin
started=$(date +%s)

seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[failover %3ds] %s\n' $(($(date +%s) - started)) "$*"; }
fail() {
  say "FAIL: $*"
  exit 1
}

# --- Packages -------------------------------------------------------------------------------------------------
missing=()
for package in patroni etcd-server haproxy postgresql-15 postgresql-contrib curl; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  [[ $(id -u) == 0 ]] || fail "missing Debian packages (${missing[*]}); run as root to install them"
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
[[ $(id -u) == 0 ]] || fail "run as root (PostgreSQL and Patroni run as the postgres user)"
for port in $etcd_port $etcd_peer $rest1 $rest2 $pg1 $pg2 $proxy_pg $proxy_http $serve1 $serve2; do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is in use; set FAILOVER_BASE_PORT"; fi
done

# --- Clean-up ---------------------------------------------------------------------------------------------------
work=$(mktemp -d /tmp/armtrace-failover.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  # Patroni stops its PostgreSQL on SIGTERM; the others stop at once.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive == 0)) && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  # A PostgreSQL whose Patroni was killed keeps running: stop it by its own pid file.
  for node in node1 node2; do
    if [[ -f $work/$node/data/postmaster.pid ]]; then
      kill -QUIT "$(head -1 "$work/$node/data/postmaster.pid")" 2>/dev/null || true
    fi
  done
  if [[ ${FAILOVER_KEEP:-0} == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # description, seconds, command…
  local description=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "timed out waiting for $description"
}
http_ok() { curl -fsS -o /dev/null --max-time 1 "$1"; }

# --- etcd -------------------------------------------------------------------------------------------------------
mkdir -p "$work/etcd"
etcd --name failover --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "failover=http://127.0.0.1:$etcd_peer" >"$work/etcd.log" 2>&1 &
pids+=($!)
wait_for etcd 20 http_ok "http://127.0.0.1:$etcd_port/health"
say "etcd up"

# --- Patroni nodes ----------------------------------------------------------------------------------------------
patroni_config() { # name, rest port, pg port
  local name=$1 rest=$2 port=$3
  mkdir -p "$work/$name"
  cat >"$work/$name/patroni.yml" <<EOF
scope: armtrace-failover
name: $name
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd_port
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        jit: "off"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$port
  connect_address: 127.0.0.1:$port
  data_dir: $work/$name/data
  bin_dir: $pg_bin
  pgpass: $work/$name/pgpass
  authentication:
    superuser:
      username: postgres
      password: failover
    replication:
      username: replicator
      password: failover
  parameters:
    unix_socket_directories: $work/$name
EOF
  chown -R postgres:postgres "$work/$name"
}
start_patroni() { # name
  # setpriv runs Patroni itself (no parent process in between), so its pid is Patroni's.
  setpriv --reuid postgres --regid postgres --init-groups patroni "$work/$1/patroni.yml" >"$work/$1.log" 2>&1 &
  pids+=($!)
  eval "patroni_pid_$1=$!"
  disown # its SIGKILL is the test, not news
}
patroni_config node1 "$rest1" "$pg1"
patroni_config node2 "$rest2" "$pg2"
start_patroni node1
wait_for "node1 to become the primary" 60 http_ok "http://127.0.0.1:$rest1/primary"
start_patroni node2
# /sync answers 200 on the synchronous standby: from then on every COMMIT waits for node2's flush.
wait_for "node2 to become the synchronous standby" 90 http_ok "http://127.0.0.1:$rest2/sync"
say "node1 primary, node2 synchronous standby"

# --- HAProxy ----------------------------------------------------------------------------------------------------
cat >"$work/haproxy.cfg" <<EOF
global
  maxconn 400
defaults
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 1s
listen postgres_primary
  mode tcp
  bind 127.0.0.1:$proxy_pg
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
  server node1 127.0.0.1:$pg1 check port $rest1
  server node2 127.0.0.1:$pg2 check port $rest2
listen armtrace_http
  mode http
  bind 127.0.0.1:$proxy_http
  balance roundrobin
  timeout client 60s
  timeout server 60s
  server serve1 127.0.0.1:$serve1 check inter 1s
  server serve2 127.0.0.1:$serve2 check inter 1s
EOF
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)
export DATABASE_URL="postgres://postgres@127.0.0.1:$proxy_pg/postgres"
wait_for "PostgreSQL through HAProxy" 20 psql "$DATABASE_URL" -Atc 'SELECT 1'
say "HAProxy routes to the primary"

# --- armtrace ---------------------------------------------------------------------------------------------------
export ARMTRACE_DATA=$work/armtrace ARMTRACE_LOG_LEVEL=warn ARMTRACE_INSTANCE_NAME=failover-test
armtrace() { node "$repo/bin/armtrace.mjs" "$@"; }
armtrace init >"$work/init.log" 2>&1 || {
  cat "$work/init.log"
  fail "armtrace init"
}
password=$(sed -n 's/^    \(.*\)$/\1/p' "$work/init.log" | head -1)
[[ -n $password ]] || fail "armtrace init printed no administrator password"
for port in $serve1 $serve2; do
  node "$repo/bin/armtrace.mjs" serve --port "$port" --no-example >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
done
wait_for "armtrace serve" 60 http_ok "http://127.0.0.1:$serve1/api/v1/openapi.json"
wait_for "armtrace serve" 60 http_ok "http://127.0.0.1:$serve2/api/v1/openapi.json"
say "two armtrace servers behind HAProxy on port $proxy_http"

# --- Writes, failover, more writes ------------------------------------------------------------------------------
export FAILOVER_URL="http://127.0.0.1:$proxy_http" FAILOVER_PASSWORD=$password
export FAILOVER_STOP_FILE=$work/stop
node --import tsx "$repo/scripts/failover/writes.ts" run "$work/results.json" &
writer=$!
pids+=("$writer")
wait_for "the first acknowledged write" 60 test -f "$FAILOVER_STOP_FILE.started"
sleep 4

leader_rest=$rest1 leader=node1 standby_rest=$rest2
http_ok "http://127.0.0.1:$rest1/primary" || { leader_rest=$rest2 leader=node2 standby_rest=$rest1; }
postmaster=$(head -1 "$work/$leader/data/postmaster.pid")
patroni_pid_var=patroni_pid_$leader
say "killing $leader (Patroni ${!patroni_pid_var}, PostgreSQL $postmaster and its processes) with SIGKILL"
killed_at=$(date +%s.%N)
kill -KILL "${!patroni_pid_var}"
backends=$(ps -o pid= --ppid "$postmaster" || true)
kill -KILL "$postmaster" $backends 2>/dev/null || true
rm -f "$work/$leader/data/postmaster.pid"
wait_for "the standby's promotion" 60 http_ok "http://127.0.0.1:$standby_rest/primary"
promoted_at=$(date +%s.%N)
wait_for "HAProxy to route to the new primary" 20 psql "$DATABASE_URL" -Atc 'SELECT 1 WHERE NOT pg_is_in_recovery()'
routed_at=$(date +%s.%N)
say "standby promoted $(seconds_between "$killed_at" "$promoted_at") s after the kill; HAProxy routes to it after $(seconds_between "$killed_at" "$routed_at") s"
sleep 10
touch "$FAILOVER_STOP_FILE"
wait "$writer" || fail "the writer failed"

# --- Checks -----------------------------------------------------------------------------------------------------
say "checking every answer against the new primary"
check_status=0
node --import tsx "$repo/scripts/failover/writes.ts" check "$work/results.json" || check_status=$?
# Any internal error (a 500) the servers logged; refusals during the failover are warnings, counted above.
if grep -h '"level":50' "$work"/serve-*.log | head -3 | cut -c1-400 | grep .; then check_status=1; fi
say "armtrace verify (audit chain, records against their audited state)"
verify_status=0
armtrace verify >"$work/verify.log" 2>&1 || verify_status=$?
tail -1 "$work/verify.log"
((check_status == 0)) || fail "the writes do not match the answers"
((verify_status == 0)) || fail "armtrace verify failed"
say "PASS: failover in $(seconds_between "$killed_at" "$promoted_at") s; nothing acknowledged is missing; verify passes"
