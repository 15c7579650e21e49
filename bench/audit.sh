#!/usr/bin/env bash
# Audit entries per second with durability: bench/Bastion.AuditBench (the real server's IAuditLog, every write
# awaited until its transaction has committed) with 1, 16 and 256 concurrent writers, on SQLite (a fresh data
# directory under .tmp/) and on PostgreSQL (a throw-away cluster under .tmp/, started as scripts/test.sh does but
# with fsync left on: a commit waits for its WAL flush, which is what "durable" means). After each storage's runs
# the whole hash chain is verified. Then, unless AUDIT_ZERO_WINDOW=0, one more single-writer run per storage with
# Bastion:Audit:BatchWindow=0, to show what the batching window costs a lone writer.
# Progress goes to stderr, Markdown tables for docs/BENCHMARKS.md to stdout.
#
# Usage: bench/audit.sh [--sqlite-only]     (AUDIT_SECONDS, AUDIT_WARMUP, AUDIT_WRITERS change the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp="$root/.tmp/bench-audit"

with_postgres=1
for option in "$@"; do
  case $option in
    --sqlite-only) with_postgres=0 ;;
    *) echo "Usage: bench/audit.sh [--sqlite-only]" >&2 && exit 2 ;;
  esac
done

seconds=${AUDIT_SECONDS:-10}
warmup=${AUDIT_WARMUP:-1}
writers=${AUDIT_WRITERS:-1,16,256}
zero_window=${AUDIT_ZERO_WINDOW:-1}
pg_port=${BENCH_PG_PORT:-55481}
bench="bench/Bastion.AuditBench/bin/Release/net10.0/Bastion.AuditBench.dll"

say() { echo "== $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  grep -q 'libsodium.so.23' <<<"$(ldconfig -p 2>/dev/null)" || missing+=(libsodium23)   # not a pipe: grep -q would stop ldconfig early (SIGPIPE, pipefail)
  if [ "$with_postgres" = 1 ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# Other benchmarks or test runs may hold a port on a shared machine: the first free one from the one asked for.
free_port() { local p=$1; while ss -Htln "sport = :$p" | grep -q .; do p=$((p + 1)); done; echo "$p"; }
services="$tmp/services"

start_postgres() {
  rm -rf "$services" && mkdir -p "$services"
  local pg_password
  pg_port=$(free_port "$pg_port")
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [ "$(id -u)" -eq 0 ] && chown postgres "$services"
  printf '%s\n' "$pg_password" > "$services/pwfile" && [ "$(id -u)" -eq 0 ] && chown postgres "$services/pwfile"
  as_pg "$(pg_bin)/initdb" -D "$services/pg" -U bastion --pwfile="$services/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  # Unlike bench/run.sh and scripts/test.sh, fsync and synchronous_commit stay on (the defaults).
  as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -l "$services/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$services" start >/dev/null
  postgres="Host=127.0.0.1;Port=$pg_port;Username=bastion;Password=$pg_password;Database=postgres"
}

stop_postgres() {
  [ -d "$services/pg" ] && as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -m immediate stop >/dev/null 2>&1 || true
}
trap stop_postgres EXIT

output=""
run_bench() { # <label> [options …]: one run of the audit benchmark; its RESULT, VERIFY and DURABILITY lines are kept
  local label=$1 log="$tmp/$1.log" status=0; shift
  dotnet "$bench" --contentRoot "$root/src/Bastion.Server" --Bench:Label="$label" --Bench:Seconds="$seconds" \
    --Bench:Warmup="$warmup" "$@" >"$log" 2>&1 || status=$?
  [ "$status" = 0 ] || { echo "The audit benchmark failed ($label, exit code $status; $log):" >&2; tail -n 20 "$log" | cut -c1-600 >&2; exit 1; }
  sed -e '/^RESULT /d' -e '/^VERIFY /d' -e '/^DURABILITY /d' "$log" | sed 's/^/   /' >&2
  output+=$(grep -E '^(RESULT|VERIFY|DURABILITY) ' "$log")$'\n'
}

random_key() { head -c 32 /dev/urandom | base64; }
# Production refuses to start without its secrets: fresh ones, the same for every run on one database.
export Bastion__Secrets__MasterKey="$(random_key)" Bastion__Encryption__Keys__1="$(random_key)" \
  Bastion__Encryption__CurrentVersion=1 Bastion__Encryption__BlindIndexKey="$(random_key)"

install_missing
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' with local changes in src/')"
say "Building (Release)"
mkdir -p "$tmp"
dotnet build bench/Bastion.AuditBench -c Release --nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
built=$(date +%s)

rm -rf "$tmp/sqlite" "$tmp/sqlite-window0"
say "SQLite: $writers writers, ${seconds} s each"
run_bench SQLite --Bench:Writers="$writers" --Bastion:DataDirectory="$tmp/sqlite"
if [ "$zero_window" = 1 ]; then
  say "SQLite: 1 writer, BatchWindow 0"
  run_bench "SQLite, BatchWindow 0" --Bench:Writers=1 --Bastion:DataDirectory="$tmp/sqlite-window0" --Bastion:Audit:BatchWindow=00:00:00
fi
if [ "$with_postgres" = 1 ]; then
  say "Starting PostgreSQL (fsync on)"
  start_postgres
  # The connection string travels in the environment, not on a command line that ps shows.
  export Bastion__Database__Provider=Postgres Bastion__Database__ConnectionString="$postgres"
  say "PostgreSQL: $writers writers, ${seconds} s each"
  run_bench PostgreSQL --Bench:Writers="$writers" --Bastion:DataDirectory="$tmp/postgres"
  if [ "$zero_window" = 1 ]; then
    say "PostgreSQL: 1 writer, BatchWindow 0"
    run_bench "PostgreSQL, BatchWindow 0" --Bench:Writers=1 --Bastion:DataDirectory="$tmp/postgres" --Bastion:Audit:BatchWindow=00:00:00
  fi
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)
cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), .NET $runtime, commit $commit;
load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after; the runs took $(($(date +%s) - built)) s
(after $((built - started)) s of build). Data on $(df --output=source,fstype "$tmp" | tail -n 1 | tr -s ' '). Each writer count: ${warmup} s unmeasured, then ${seconds} s measured.

| Run | Database | Commit waits for | MaxBatchSize | BatchWindow ms |
| --- | --- | --- | ---: | ---: |
$(grep '^DURABILITY ' <<<"$output" | sed 's/^DURABILITY //' | awk -F'|' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }')

| Run | Database | Writers | Entries/s | p50 ms | p99 ms | max ms | Entries | Commits/s | Entries per commit |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(grep '^RESULT ' <<<"$output" | sed 's/^RESULT //' | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }')

"Commits/s" (PostgreSQL only) counts the transactions that wrote, from txid_current() before and after.

| Run | Database | Chain | Entries checked | Written by this run | Head seq | Verify s |
| --- | --- | --- | ---: | ---: | ---: | ---: |
$(grep '^VERIFY ' <<<"$output" | sed 's/^VERIFY //' | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }')
EOF
