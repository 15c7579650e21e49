#!/usr/bin/env bash
# Bastion's fault-injection suite: two real nodes (the Release build of src/Bastion.Server, in production mode over
# HTTPS) on one PostgreSQL and one Redis, under steady mixed load, while Redis is killed, restarted and flushed,
# PostgreSQL restarted and a node killed (see tests/Bastion.FaultTests and docs/RELIABILITY.md). Installs what is
# missing (Debian packages; needs root or sudo), starts throw-away PostgreSQL, Redis and an SMTP catcher on loopback
# ports under .tmp/faults, and stops everything it started, whatever happens. Exits non-zero when a goal is missed.
#
# Usage: scripts/faults.sh [--short | --long] [--report <file.md>]
#   --short  every phase, short durations (CI; a few minutes with the build)
#   --long   longer phases (the default); its figures go into docs/RELIABILITY.md
# Ports: BASTION_FAULTS_PG_PORT, _REDIS_PORT, _NODE_PORTS (two, comma-separated), _SMTP_PORT, _MAIL_WEB_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp="$root/.tmp/faults"
# Below Linux's ephemeral range (32768–60999): a node restarted mid-run must find its port free, and any client
# connection may take a free port of that range as its local one.
pg_port=${BASTION_FAULTS_PG_PORT:-31462}
redis_port=${BASTION_FAULTS_REDIS_PORT:-31399}
node_ports=${BASTION_FAULTS_NODE_PORTS:-31610,31611}
smtp_port=${BASTION_FAULTS_SMTP_PORT:-31720}
mail_web_port=${BASTION_FAULTS_MAIL_WEB_PORT:-31721}
driver_options=("$@")

say() { echo "== $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ldconfig -p 2>/dev/null | grep -q 'libsodium.so.23' || missing+=(libsodium23)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system user.
pg_os_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; fi; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports() {
  local port
  for port in "$pg_port" "$redis_port" ${node_ports//,/ } "$smtp_port" "$mail_web_port"; do
    port_free "$port" || { echo "Port $port is in use; set the BASTION_FAULTS_*_PORT variables." >&2; exit 2; }
  done
}

wait_for_port() { # <port> <what>: at most 30 s
  for _ in $(seq 300); do
    port_free "$1" || return 0
    sleep 0.1
  done
  echo "$2 did not listen on port $1 within 30 s." >&2 && exit 2
}

start_services() {
  rm -rf "$tmp" && mkdir -p "$tmp/pids" "$tmp/mail"
  local pg_password redis_password
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
  printf '%s\n' "$pg_password" > "$tmp/pwfile" && [ "$(id -u)" -eq 0 ] && chown postgres "$tmp/pwfile"
  as_pg "$(pg_bin)/initdb" -D "$tmp/pg" -U bastion --pwfile="$tmp/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  rm -f "$tmp/pwfile"
  as_pg "$(pg_bin)/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$tmp -c fsync=off -c max_connections=300" start >/dev/null
  # The configuration comes on standard input, so the password is not on a command line.
  printf 'port %s\nbind 127.0.0.1\nrequirepass %s\nsave ""\nappendonly no\ndaemonize yes\npidfile %s\nlogfile %s\ndir %s\n' \
    "$redis_port" "$redis_password" "$tmp/redis.pid" "$tmp/redis.log" "$tmp" | redis-server - >/dev/null
  node tests/fixtures/smtp/node_modules/maildev/bin/maildev --smtp "$smtp_port" --web "$mail_web_port" \
    --ip 127.0.0.1 --web-ip 127.0.0.1 --mail-directory "$tmp/mail" >"$tmp/maildev.log" 2>&1 &
  echo $! > "$tmp/pids/maildev.pid"
  disown
  wait_for_port "$mail_web_port" maildev
  export FAULTS_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=bastion;Password=$pg_password;Database=postgres"
  export FAULTS_REDIS_PASSWORD="$redis_password"
}

# Everything this script or the driver started: nodes and the catcher by their pid files (only while the pid still
# runs what was started), then Redis and PostgreSQL.
stop_everything() {
  local file pid
  for file in "$tmp"/pids/*.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if grep -qs -e Bastion.Server -e maildev "/proc/$pid/cmdline"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true
  [ -d "$tmp/pg" ] && as_pg "$(pg_bin)/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
}
trap stop_everything EXIT

install_missing
check_ports
[ tests/fixtures/smtp/node_modules/.package-lock.json -nt tests/fixtures/smtp/package-lock.json ] \
  || npm ci --prefix tests/fixtures/smtp --no-audit --no-fund >/dev/null

say "Building the server and the driver (Release)"
dotnet build src/Bastion.Server -c Release --nologo -v q
dotnet build tests/Bastion.FaultTests -c Release --nologo -v q

say "Starting PostgreSQL ($pg_port), Redis ($redis_port) and the SMTP catcher ($smtp_port)"
start_services

FAULTS_WORK_DIR="$tmp" FAULTS_SERVER_DLL="$root/src/Bastion.Server/bin/Release/net10.0/Bastion.Server.dll" \
  FAULTS_PG_BIN="$(pg_bin)" FAULTS_PG_DATA="$tmp/pg" FAULTS_PG_LOG="$tmp/pg.log" FAULTS_PG_OS_USER="$(pg_os_user)" \
  FAULTS_REDIS_PORT="$redis_port" FAULTS_REDIS_DIR="$tmp" FAULTS_SMTP_PORT="$smtp_port" FAULTS_MAIL_WEB_PORT="$mail_web_port" \
  FAULTS_NODE_PORTS="$node_ports" \
  dotnet tests/Bastion.FaultTests/bin/Release/net10.0/Bastion.FaultTests.dll "${driver_options[@]}"
