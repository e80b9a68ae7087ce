#!/usr/bin/env bash
# The whole test suite, as the README and CI run it (`npm ci && npm run test:all`):
#   1. lint, type checks and the web build (what `npm test` checks before its tests);
#   2. every test file on the embedded database (PGlite), and at the same time
#   3. the test files that use a database again on a real PostgreSQL server, started
#      here in a throwaway cluster and removed on exit (files with no database, or
#      marked "Database-independent: <why>", run once in 2; run-tests.mjs lists them).
# Installs the Debian packages it needs when they are missing. Ends with one
# line "N passed, N failed" summing both runs, and fails if either run failed
# or if no test ran at all.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "Need root (or sudo) to run: $*" >&2
    return 1
  fi
}

apt_updated=no
apt_install() {
  if [ "$apt_updated" = no ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=yes
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# --- System packages --------------------------------------------------------
if ! pg_bindir >/dev/null; then
  log "Installing PostgreSQL (postgresql, postgresql-contrib)"
  apt_install postgresql postgresql-contrib
fi
PG_BIN="$(pg_bindir)" || {
  echo "PostgreSQL's initdb/pg_ctl were not found under /usr/lib/postgresql/*/bin." >&2
  exit 1
}

# Browser tests and PDF reports drive Debian's Chromium; Noto fonts render Arabic.
if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/noto ]; then
  log "Installing Chromium and fonts (chromium, fonts-noto-core)"
  apt_install chromium fonts-noto-core
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  apt_install poppler-utils
fi
# The exports' tests read GeoJSON and KML back with GDAL's ogr2ogr, as QGIS would.
if ! command -v ogr2ogr >/dev/null 2>&1; then
  log "Installing GDAL (gdal-bin) for ogr2ogr"
  apt_install gdal-bin
fi
# The trusted-timestamp tests run a local time-stamping authority with `openssl ts` (src/testing/local-tsa.ts).
if ! command -v openssl >/dev/null 2>&1; then
  log "Installing OpenSSL (openssl) for the local time-stamping authority"
  apt_install openssl
fi

# --- Throwaway PostgreSQL cluster --------------------------------------------
PG_DIR="$(mktemp -d -t armtrace-pg.XXXXXX)"
LOG_DIR="$(mktemp -d -t armtrace-test-logs.XXXXXX)"
PG_PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close();});")"

# The server refuses to run as root, so as root the cluster belongs to `postgres`
# (run from its own folder: `postgres` may not be allowed into the checkout).
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$PG_DIR"
  as_pg() { (cd "$PG_DIR" && runuser -u postgres -- "$@"); }
else
  as_pg() { "$@"; }
fi

cleanup() {
  local status=$?
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR" "$LOG_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
# C collation and UTF-8, as PGlite has, so both databases sort alike.
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-locale -E UTF8 >"$PG_DIR/initdb.log" 2>&1 || {
  cat "$PG_DIR/initdb.log" >&2
  exit 1
}
# Durability is pointless for a cluster deleted on exit; turning it off makes the tests faster.
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null || {
  cat "$PG_DIR/server.log" >&2
  exit 1
}
for _ in $(seq 1 60); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
  sleep 0.5
done
"$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" >/dev/null || {
  echo "PostgreSQL did not become ready." >&2
  cat "$PG_DIR/server.log" >&2
  exit 1
}

# --- Runs ---------------------------------------------------------------------
# The work is CPU-bound, so the aim is both cores busy from start to end. Lint, the type checks and the web build
# each run mostly on one thread, so they run side by side. Then the two test passes run at the same time, each
# two test files at once: one pass alone leaves a core idle whenever one of its files waits (on PostgreSQL,
# Chromium, a CLI process) and while its last file runs. A test file peaks at about 1 GB, so four fit easily.
# The jobs beside the one shown live write their own logs, printed whole when done, so lines never interleave.
run_logged() {
  local name=$1
  shift
  local status=0
  "$@" >"$LOG_DIR/$name.log" 2>&1 || status=$?
  echo "$status" >"$LOG_DIR/$name.status"
}
job_status() { cat "$LOG_DIR/$1.status" 2>/dev/null || echo 1; }
show_log() {
  log "$2"
  cat "$LOG_DIR/$1.log"
}

log "Lint, type checks and the web build, side by side"
run_logged lint npm run lint &
lint_pid=$!
run_logged typecheck npm run typecheck &
typecheck_pid=$!
# The browser tests drive the built web app. `npm run build:web` would type-check web/ first: the type checks above
# do that already, so only Vite runs here.
run_logged build-web npx vite build --config web/vite.config.ts
wait "$lint_pid" "$typecheck_pid" || true
show_log lint "npm run lint"
show_log typecheck "npm run typecheck"
show_log build-web "Web build (vite build)"
checks_status=0
for job in lint typecheck build-web; do
  if [ "$(job_status "$job")" -ne 0 ]; then
    echo "FAILED: $job exited with $(job_status "$job")"
    checks_status=1
  fi
done

if [ "$(job_status build-web)" -ne 0 ]; then
  echo "FAILED: the web app did not build; the tests need it." >&2
  exit 1
fi

log "Tests on the embedded database (PGlite), and at the same time on PostgreSQL (printed when done)"
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres" run_logged postgres node scripts/run-tests.mjs --database-pass &
postgres_pid=$!
embedded_status=0
(unset DATABASE_URL && node scripts/run-tests.mjs) 2>&1 | tee "$LOG_DIR/embedded.log" || embedded_status=$?
wait "$postgres_pid" || true
show_log postgres "Tests on PostgreSQL"
postgres_status=$(job_status postgres)

# --- Summary ------------------------------------------------------------------
# The spec reporter ends with lines "ℹ pass N", "ℹ fail N" and "ℹ cancelled N"
# (a test file that timed out is cancelled: it counts as failed).
count() {
  local word=$1
  shift
  cat "$@" | sed -n "s/^ℹ $word \([0-9][0-9]*\)\$/\1/p" | awk '{ sum += $1 } END { print sum + 0 }'
}
passed=$(count pass "$LOG_DIR/embedded.log" "$LOG_DIR/postgres.log")
failed=$(($(count fail "$LOG_DIR/embedded.log" "$LOG_DIR/postgres.log") + $(count cancelled "$LOG_DIR/embedded.log" "$LOG_DIR/postgres.log")))

echo
[ "$checks_status" -eq 0 ] || echo "FAILED: lint or type checks (see above)"
[ "$embedded_status" -eq 0 ] || echo "FAILED: tests on the embedded database exited with $embedded_status"
[ "$postgres_status" -eq 0 ] || echo "FAILED: tests on PostgreSQL exited with $postgres_status"
if [ $((passed + failed)) -eq 0 ]; then echo "FAILED: no test ran"; fi
echo "$passed passed, $failed failed"

if [ "$checks_status" -ne 0 ] || [ "$embedded_status" -ne 0 ] || [ "$postgres_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ $((passed + failed)) -eq 0 ]; then
  exit 1
fi
