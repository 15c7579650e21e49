#!/usr/bin/env bash
# What the abuse protections cost: sign-in and API throughput with every protection on against all of them off,
# in one run on this machine, on the real server (bench/Bastion.LoadHost) over loopback with wrk.
#
#   off: Bastion:Abuse:RateLimits:Enabled=false; Lockout and IpBlocking MaxFailures = 1,000,000.
#   on:  rate limits enabled, with every limit at 100,000,000, so that each request is counted in the state store
#        (and answered with X-RateLimit-* headers) but none is refused; lockout and IP blocking at their defaults.
#
# Both hosts run side by side (ports BENCH_PORT and BENCH_PORT+1, each with its own data directory, or its own
# PostgreSQL database and Redis key prefix), are warmed up once, and are then measured in turns, off, on, on, off,
# off, on, …, so that changing load on the machine weighs on both alike; medians are reported. Measured:
#  (a) POST /api/auth/login with correct passwords over the seeded accounts (bench/wrk/login.lua, session cookie);
#  (b) GET /api/auth/me with a session cookie (bench/wrk/get.lua, 16 sessions): an authenticated API call, which
#      "on" counts in three rate-limit rules (per client and endpoint per hour and per day, per client for /api).
# Every sign-in also writes a durable audit entry (login_success) in both variants: the audit log cannot be off.
# The sign-in guard's own checks (is the address blocked, is the account locked, clear the failure count) also run
# in both: only the thresholds differ, and correct passwords never reach them.
#
# First on the embedded defaults (SQLite + in-process state); with --postgres or BENCH_WITH_REDIS=1 again on
# PostgreSQL + Redis, throw-away servers under .tmp/ as in bench/run.sh. Progress goes to stderr, Markdown to stdout.
#
# Usage: bench/protections.sh [--postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp="$root/.tmp/bench-protections"

with_postgres=${BENCH_WITH_REDIS:-0}
for option in "$@"; do
  case $option in
    --postgres) with_postgres=1 ;;
    *) echo "Usage: bench/protections.sh [--postgres]" >&2 && exit 2 ;;
  esac
done

rounds=${BENCH_ROUNDS:-3}                 # measured runs of each variant and measurement (off/on alternating)
get_duration=${BENCH_GET_DURATION:-3}     # seconds per measured GET run
login_duration=${BENCH_LOGIN_DURATION:-5} # seconds per measured login run
warmup=${BENCH_WARMUP:-10}                # seconds of GETs on each host before the first measurement (tiered JIT)
# Sign-ins come at most ~100 a second, so their code takes a while to reach its final JIT tier (bench/run.sh).
login_warmup=${BENCH_LOGIN_WARMUP:-8}
users=${BENCH_USERS:-128}
port=${BENCH_PORT:-5093}                  # "off"; "on" listens on port + 1
pg_port=${BENCH_PG_PORT:-55471}
redis_port=${BENCH_REDIS_PORT:-56471}
login_connections=16
get_connections=32
session_count=16
threads=2
password='Corr3ct-Horse-Battery!'
high=100000000                            # "on": every rate limit, far above what the runs send
loadhost="bench/Bastion.LoadHost/bin/Release/net10.0/Bastion.LoadHost.dll"
variants=(off on)

say() { echo "== $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  grep -q 'libsodium.so.23' <<<"$(ldconfig -p 2>/dev/null)" || missing+=(libsodium23)   # not a pipe: grep -q would stop ldconfig early (SIGPIPE, pipefail)
  if [ "$with_postgres" = 1 ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# --- Throw-away PostgreSQL and Redis on loopback (as scripts/test.sh and bench/run.sh start them) ---

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
services="$tmp/services"
services_running=0

# Other benchmarks or test runs may hold a port on a shared machine: the first free one from the one asked for.
free_port() { local p=$1; while ss -Htln "sport = :$p" | grep -q .; do p=$((p + 1)); done; echo "$p"; }

start_services() {
  rm -rf "$services" && mkdir -p "$services"
  pg_port=$(free_port "$pg_port") redis_port=$(free_port "$redis_port")
  local redis_password variant
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [ "$(id -u)" -eq 0 ] && chown postgres "$services"
  printf '%s\n' "$pg_password" > "$services/pwfile" && [ "$(id -u)" -eq 0 ] && chown postgres "$services/pwfile"
  as_pg "$(pg_bin)/initdb" -D "$services/pg" -U bastion --pwfile="$services/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  # fsync=off as in bench/run.sh: a throw-away cluster on a shared disk (bench/audit.sh measures with fsync on).
  as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -l "$services/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$services -c fsync=off" start >/dev/null
  services_running=1
  printf 'port %s\nbind 127.0.0.1\nrequirepass %s\nsave ""\nappendonly no\ndaemonize yes\npidfile %s\nlogfile %s\ndir %s\n' \
    "$redis_port" "$redis_password" "$services/redis.pid" "$services/redis.log" "$services" | redis-server - >/dev/null
  for variant in "${variants[@]}"; do   # one database per host, so that neither sees the other's data
    PGPASSWORD=$pg_password "$(pg_bin)/psql" -q -h 127.0.0.1 -p "$pg_port" -U bastion -d postgres \
      -c "CREATE DATABASE bench_$variant" >/dev/null
  done
  redis_connection="127.0.0.1:$redis_port,password=$redis_password"
}

stop_services() {
  [ -d "$services/pg" ] && as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$services/redis.pid" ] && kill "$(cat "$services/redis.pid")" 2>/dev/null || true
}

# --- The two load hosts ---

declare -A host_pid host_url host_log
random_key() { head -c 32 /dev/urandom | base64; }
secrets=(Bastion__Secrets__MasterKey="$(random_key)" Bastion__Encryption__Keys__1="$(random_key)"
  Bastion__Encryption__CurrentVersion=1 Bastion__Encryption__BlindIndexKey="$(random_key)")

settings_of() { # <variant>: its Bastion:Abuse settings
  case $1 in
    off) echo Bastion__Abuse__RateLimits__Enabled=false Bastion__Abuse__Lockout__MaxFailures=1000000 \
      Bastion__Abuse__IpBlocking__MaxFailures=1000000 ;;
    on) # Every budget's every window, per client and per address, counted but never reached; one line, for read -a.
      local budget scope window line=Bastion__Abuse__RateLimits__Enabled=true
      for budget in SignIn Code Mail Write Read; do
        for scope in "" Address__; do
          for window in PerMinute PerHour PerDay; do
            line+=" Bastion__Abuse__RateLimits__Budgets__${budget}__${scope}${window}=$high"
          done
        done
      done
      echo "$line" ;;
  esac
}

start_host() { # <variant> <storage name> [VAR=value …]
  local variant=$1 data="$tmp/$2-$1" host_port=$port settings; shift 2
  [ "$variant" = on ] && host_port=$((port + 1))
  read -r -a settings <<<"$(settings_of "$variant")"
  rm -rf "$data" && mkdir -p "$data"
  # Production requires mail settings; nothing here sends mail, a pickup directory keeps it on disk if it did.
  env "${secrets[@]}" Bastion__Network__TrustedProxies__0=127.0.0.1 Bastion__DataDirectory="$data" \
    Bastion__Email__From=no-reply@example.com Bastion__Email__PublicBaseUrl=https://bastion.example.com \
    Bastion__Email__PickupDirectory="$data/outbox" "${settings[@]}" "$@" \
    dotnet "$loadhost" --contentRoot "$root/src/Bastion.Server" \
    --Bench:Port="$host_port" --Bench:Users="$users" --Bench:Password="$password" >"$data/host.log" 2>&1 &
  host_pid[$variant]=$!
  host_url[$variant]="http://127.0.0.1:$host_port"
  host_log[$variant]="$data/host.log"
}

wait_host() { # <variant>: until the host has seeded its accounts
  for _ in $(seq 240); do
    grep -qs '^READY' "${host_log[$1]}" && return 0
    kill -0 "${host_pid[$1]}" 2>/dev/null || break
    sleep 0.5
  done
  echo "The load host ($1) did not start:" >&2 && cat "${host_log[$1]}" >&2 && exit 1
}

stop_hosts() {
  local variant
  for variant in "${variants[@]}"; do
    [ -n "${host_pid[$variant]:-}" ] || continue
    kill "${host_pid[$variant]}" 2>/dev/null || true
    wait "${host_pid[$variant]}" 2>/dev/null || true
    host_pid[$variant]=""
  done
}

trap 'stop_hosts; stop_services' EXIT

proxied() { curl -sS -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' "$@"; }

sign_in() { # <variant> <account index>: the session cookie, as name=value
  proxied -o /dev/null -D - -H 'Content-Type: application/json' \
    --data "{\"email\":\"bench$2@example.com\",\"password\":\"$password\",\"useCookie\":true}" "${host_url[$1]}/api/auth/login" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^=]*bastion\)=\([^;]*\).*/\1=\2/p'
}

rate_limit_headers() { # <curl options …>: the response's status and X-RateLimit-Limit/-Remaining, on one line
  proxied -o /dev/null -D - "$@" | tr -d '\r' \
    | awk 'NR == 1 { status = $2 } tolower($1) == "x-ratelimit-limit:" { limit = $2 } tolower($1) == "x-ratelimit-remaining:" { left = $2 }
      END { printf "status=%s limit=%s remaining=%s\n", status, limit == "" ? "-" : limit, left == "" ? "-" : left }'
}

# --- Measurements ---

ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
db_ticks() { # PostgreSQL (postmaster, its children, children that have exited) and Redis; 0 without them
  [ "$services_running" = 1 ] || { echo 0; return; }
  local postmaster child total
  postmaster=$(head -n 1 "$services/pg/postmaster.pid")
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
  for child in $(pgrep -P "$postmaster") $(cat "$services/redis.pid"); do
    total=$((total + $(ticks_of "$child" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

wrk_run() { # <variant> <seconds> <connections> <script> [script arguments …]: one run, printed as
  # "requests/s p50_ms p99_ms errors host_cpu_us db_cpu_us" (CPU time per request of that host, and of PostgreSQL +
  # Redis over the same run)
  local variant=$1 seconds=$2 connections=$3 script=$4 pid ticks db result; shift 4
  pid=${host_pid[$variant]}
  ticks=$(ticks_of "$pid") db=$(db_ticks)
  result=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$script" "${host_url[$variant]}" -- "$@" | grep '^RESULT ')
  ticks=$(($(ticks_of "$pid") - ticks)) db=$(($(db_ticks) - db))
  echo "$result" | awk -v ticks="$ticks" -v db="$db" -v hz="$(getconf CLK_TCK)" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    n = v["requests"] > 0 ? v["requests"] : 1
    printf "%s %s %s %s %.1f %.1f\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"], 1e6 * ticks / hz / n, 1e6 * db / hz / n }'
}

measure() { # <variant> <login|get> [seconds]
  local seconds
  case $2 in
    login) seconds=${3:-$login_duration}
      wrk_run "$1" "$seconds" "$login_connections" bench/wrk/login.lua "$users" "$password" cookie ;;
    get) seconds=${3:-$get_duration}
      local headers=() i
      for i in "${!cookie_list[@]}"; do [[ $i == "$1":* ]] && headers+=("Cookie: ${cookie_list[$i]}"); done
      wrk_run "$1" "$seconds" "$get_connections" bench/wrk/get.lua /api/auth/me "${headers[@]}" ;;
  esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print ((v + 0 >= limit + 0) ? "met" : "**missed**") }'; }

runs_table="" summary_table="" checks=""

measure_storage() { # <label> <name> [VAR=value …]: both hosts, warm-up, alternating runs, medians
  local label=$1 name=$2 variant i measurement round; shift 2
  local -a extra
  say "$label: starting the two load hosts"
  for variant in "${variants[@]}"; do
    extra=("$@")
    if [ "$services_running" = 1 ]; then
      extra+=(Bastion__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=bastion;Password=$pg_password;Database=bench_$variant"
        Bastion__State__KeyPrefix="bench-$variant:")
    fi
    start_host "$variant" "$name" "${extra[@]}"
  done
  for variant in "${variants[@]}"; do wait_host "$variant"; done

  declare -gA cookie_list=()
  for variant in "${variants[@]}"; do
    for i in $(seq 0 $((session_count - 1))); do cookie_list["$variant:$i"]=$(sign_in "$variant" "$i"); done
    [ -n "${cookie_list[$variant:0]}" ] || { echo "Could not sign in on the \"$variant\" host." >&2; exit 1; }
  done
  # "off" must answer without rate-limit headers, "on" with them: the runs measure what they claim.
  for variant in "${variants[@]}"; do
    local seen
    seen=$(rate_limit_headers -H "Cookie: ${cookie_list[$variant:0]}" "${host_url[$variant]}/api/auth/me")
    case "$variant:$seen" in
      "off:status=200 limit=- remaining=-" | "on:status=200 limit=$high "*) ;;
      *) echo "GET /api/auth/me on \"$variant\": $seen, not as configured." >&2; exit 1 ;;
    esac
  done

  say "$label: warm-up, ${warmup} s of GETs and ${login_warmup} s of sign-ins on each host"
  for variant in "${variants[@]}"; do
    measure "$variant" get "$warmup" >/dev/null
    measure "$variant" login "$login_warmup" >/dev/null
  done

  # off, on, on, off, off, on, …: a drift in the machine's load falls on both sides alike.
  local -A results=()
  for measurement in get login; do
    say "$label: $measurement, $rounds runs of each variant, alternating"
    for ((round = 0; round < 2 * rounds; round++)); do
      if (((round + 1) / 2 % 2 == 0)); then variant=off; else variant=on; fi
      local result rps p50 p99 errors cpu db
      result=$(measure "$variant" "$measurement")
      results["$measurement:$variant"]+="$result"$'\n'
      read -r rps p50 p99 errors cpu db <<<"$result"
      runs_table+="| $label | $(describe "$measurement") | $variant | $((round + 1)) | $rps | $p50 | $p99 | $errors | $cpu | $(db_column "$db") |"$'\n'
    done
  done

  # What "on" counted: X-RateLimit-Remaining of the tightest rule (all limits are equal, so the fullest counter).
  local counted_get counted_login
  counted_get=$(rate_limit_headers -H "Cookie: ${cookie_list[on:0]}" "${host_url[on]}/api/auth/me")
  counted_login=$(rate_limit_headers -H 'Content-Type: application/json' \
    --data "{\"email\":\"bench0@example.com\",\"password\":\"$password\",\"useCookie\":true}" "${host_url[on]}/api/auth/login")
  checks+="- $label, \"on\" after the runs: GET /api/auth/me as bench0: $counted_get; POST /api/auth/login from 203.0.113.7: $counted_login"$'\n'

  for measurement in get login; do
    local off_rps on_rps off_cpu on_cpu off_db on_db off_p50 on_p50 off_err on_err ratio
    off_rps=$(column_of 1 "${results[$measurement:off]}" | median) on_rps=$(column_of 1 "${results[$measurement:on]}" | median)
    off_p50=$(column_of 2 "${results[$measurement:off]}" | median) on_p50=$(column_of 2 "${results[$measurement:on]}" | median)
    off_cpu=$(column_of 5 "${results[$measurement:off]}" | median) on_cpu=$(column_of 5 "${results[$measurement:on]}" | median)
    off_db=$(column_of 6 "${results[$measurement:off]}" | median) on_db=$(column_of 6 "${results[$measurement:on]}" | median)
    off_err=$(column_of 4 "${results[$measurement:off]}" | awk '{ s += $1 } END { print s + 0 }')
    on_err=$(column_of 4 "${results[$measurement:on]}" | awk '{ s += $1 } END { print s + 0 }')
    ratio=$(calc "100 * $on_rps / $off_rps")
    summary_table+="| $label | $(describe "$measurement") | $off_rps | $on_rps | $ratio % | $off_p50 / $on_p50 | $off_cpu / $on_cpu | $(db_column "$off_db / $on_db") | $(calc "100 * ($off_cpu + $off_db) / ($on_cpu + $on_db)") % | $off_err / $on_err | $(verdict "$ratio" 90) |"$'\n'
  done
  stop_hosts
}

column_of() { awk -v c="$1" 'NF { print $c }' <<<"$2"; }
describe() { case $1 in get) echo "GET /api/auth/me, session cookie, $get_connections connections" ;;
  login) echo "POST /api/auth/login, $login_connections connections" ;; esac; }
db_column() { if [ "$services_running" = 1 ]; then echo "$1"; else echo "-"; fi; }

install_missing
port=$(free_port "$port")
[ "$(free_port $((port + 1)))" = $((port + 1)) ] || port=$(free_port $((port + 2)))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' with local changes in src/')"
say "Building (Release)"
mkdir -p "$tmp"
dotnet build bench/Bastion.LoadHost -c Release --nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
built=$(date +%s)

measure_storage "SQLite + memory" sqlite-memory
if [ "$with_postgres" = 1 ]; then
  say "Starting PostgreSQL and Redis"
  start_services
  measure_storage "PostgreSQL + Redis" postgres-redis Bastion__Database__Provider=Postgres \
    Bastion__State__Provider=Redis Bastion__State__Redis="$redis_connection"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)
cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), .NET $runtime, commit $commit;
load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after; the measurements took
$(($(date +%s) - built)) s (after $((built - started)) s of build). wrk with $threads threads; each host warmed up with ${warmup} s of GETs and ${login_warmup} s of
sign-ins, then $rounds runs of each variant in the order off, on, on, off, off, on, … (GET ${get_duration} s, login ${login_duration} s).

| Storage | Measurement | Protections | Run | Requests/s | p50 ms | p99 ms | Errors | Host CPU µs/request | DB + Redis CPU µs/request |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${runs_table}
Medians of the runs above ("off / on" where two values share a cell). "By CPU" is off's CPU per request (host +
PostgreSQL + Redis) ÷ on's: the throughput "on" would keep if CPU were the only limit, which other load on the
machine moves far less than requests/s. Errors include every non-2xx answer (a 429 would count).

| Storage | Measurement | Off req/s | On req/s | On ÷ off (goal ≥ 90 %) | p50 ms off / on | Host CPU µs off / on | DB + Redis CPU µs off / on | By CPU | Errors off / on | Result |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${summary_table}
Rate limiting was counting in the "on" runs (all limits $high; "remaining" is that less the fullest counter):
${checks}
EOF
