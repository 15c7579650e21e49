#!/usr/bin/env bash
# Runs the whole test suite twice: on the embedded defaults (SQLite + in-process state) and on PostgreSQL +
# Redis. Installs what is missing (Debian packages; needs root or sudo), starts throw-away servers on loopback
# ports under .tmp/, and stops them again, whatever happens.
#
# Usage: scripts/test.sh [dotnet test options, e.g. --filter FullyQualifiedName~Sessions]
set -euo pipefail
cd "$(dirname "$0")/.."
test_options=("$@")
root=$(pwd)
tmp="$root/.tmp/test-services"
# Below Linux's ephemeral range (32768–60999), where an outgoing connection could already hold the port.
pg_port=${BASTION_TEST_PG_PORT:-31432}
redis_port=${BASTION_TEST_REDIS_PORT:-31379}

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ldconfig -p 2>/dev/null | grep -q 'libsodium.so.23' || missing+=(libsodium23)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The tests start their own clamd with a private signature file; the system services (which would try to
    # download signatures) are not needed.
    sudo_if_needed systemctl disable --now clamav-daemon clamav-freshclam >/dev/null 2>&1 || true
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_services() {
  rm -rf "$tmp" && mkdir -p "$tmp"
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
  printf '%s\n' "$pg_password" > "$tmp/pwfile" && [ "$(id -u)" -eq 0 ] && chown postgres "$tmp/pwfile"
  as_pg "$(pg_bin)/initdb" -D "$tmp/pg" -U bastion --pwfile="$tmp/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  as_pg "$(pg_bin)/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$tmp -c fsync=off -c max_connections=300" start >/dev/null
  redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$redis_password" --save '' --appendonly no \
    --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log" --dir "$tmp"
  export BASTION_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=bastion;Password=$pg_password;Database=postgres"
  export BASTION_TEST_REDIS="127.0.0.1:$redis_port,password=$redis_password"
}

stop_services() {
  [ -d "$tmp/pg" ] && as_pg "$(pg_bin)/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true
}
trap stop_services EXIT

install_missing
start_services

# The e-mail tests' SMTP peers (maildev, a STARTTLS server), from the committed lock file.
[ tests/fixtures/smtp/node_modules/.package-lock.json -nt tests/fixtures/smtp/package-lock.json ] \
  || npm ci --prefix tests/fixtures/smtp --no-audit --no-fund >/dev/null

echo "== Supply chain (known-vulnerable packages, committed secrets; SECURITY.md)"
scripts/supply-chain.sh

projects=(tests/Bastion.Tests tests/Bastion.Redis.Tests tests/Bastion.IntegrationTests tests/Bastion.BrowserTests)
for project in "${projects[@]}"; do dotnet build "$project" -c Release --nologo -v q; done

echo "== Unit tests and the Redis client"
dotnet test tests/Bastion.Tests -c Release --no-build --nologo "${test_options[@]}"
dotnet test tests/Bastion.Redis.Tests -c Release --no-build --nologo "${test_options[@]}"

echo "== Integration tests on SQLite + in-process state"
BASTION_TEST_STORAGE=Sqlite dotnet test tests/Bastion.IntegrationTests -c Release --no-build --nologo "${test_options[@]}"

echo "== Browser tests (Playwright driving Debian's headless Chromium)"
BASTION_TEST_STORAGE=Sqlite dotnet test tests/Bastion.BrowserTests -c Release --no-build --nologo "${test_options[@]}"

echo "== Integration tests on PostgreSQL + Redis"
BASTION_TEST_STORAGE=Postgres dotnet test tests/Bastion.IntegrationTests -c Release --no-build --nologo "${test_options[@]}"

echo "== Fault-injection suite, short form (two nodes on PostgreSQL + Redis; docs/RELIABILITY.md)"
scripts/faults.sh --short
