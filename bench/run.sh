#!/usr/bin/env bash
# Measures, on the real server over loopback with wrk, in one run on this machine:
#  (a) POST /api/auth/login per second against raw Argon2id verifications per second on every core;
#  (b) GET /bench/whoami with a session cookie against the same GET without one, with p50/p99 latency.
# First on the embedded defaults (SQLite + in-process state); with BENCH_WITH_REDIS=1 again on PostgreSQL + Redis,
# started here as throw-away servers under .tmp/ and stopped again whatever happens. Progress goes to stderr,
# a Markdown table for docs/BENCHMARKS.md to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp="$root/.tmp/bench"
duration=${BENCH_DURATION:-10}     # seconds measured per wrk measurement and for the hash rate (GETs: two halves)
warmup=${BENCH_WARMUP:-3}          # seconds of unmeasured wrk before each measured GET run (JIT, pools, caches)
# Sign-ins come at most a hundred a second, so their code takes ~15 s to reach its final JIT tier; before that
# the JIT alone adds ~20 % CPU to each sign-in. (The GET runs come first and warm the shared pipeline.)
login_warmup=${BENCH_LOGIN_WARMUP:-20}
users=${BENCH_USERS:-128}          # seeded accounts the login run cycles over
port=${BENCH_PORT:-5091}
pg_port=${BENCH_PG_PORT:-55442}
redis_port=${BENCH_REDIS_PORT:-56389}
login_connections=16
get_connections=32
session_count=16                   # sessions (one per account) the authenticated run cycles over
password='Corr3ct-Horse-Battery!'
url="http://127.0.0.1:$port"
loadhost="bench/Bastion.LoadHost/bin/Release/net10.0/Bastion.LoadHost.dll"
benchmarks="bench/Bastion.Benchmarks/bin/Release/net10.0/Bastion.Benchmarks.dll"

say() { echo "== $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ldconfig -p 2>/dev/null | grep -q 'libsodium.so.23' || missing+=(libsodium23)
  if [ "${BENCH_WITH_REDIS:-0}" = 1 ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# --- Throw-away PostgreSQL and Redis on loopback (as scripts/test.sh starts them, on other ports) ---

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }
# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
services="$tmp/services"

start_services() {
  rm -rf "$services" && mkdir -p "$services"
  local pg_password redis_password
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  [ "$(id -u)" -eq 0 ] && chown postgres "$services"
  printf '%s\n' "$pg_password" > "$services/pwfile" && [ "$(id -u)" -eq 0 ] && chown postgres "$services/pwfile"
  as_pg "$(pg_bin)/initdb" -D "$services/pg" -U bastion --pwfile="$services/pwfile" --auth=scram-sha-256 -E UTF8 >/dev/null
  as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -l "$services/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$services -c fsync=off" start >/dev/null
  # The configuration comes on standard input, so the password is not on a command line.
  printf 'port %s\nbind 127.0.0.1\nrequirepass %s\nsave ""\nappendonly no\ndaemonize yes\npidfile %s\nlogfile %s\ndir %s\n' \
    "$redis_port" "$redis_password" "$services/redis.pid" "$services/redis.log" "$services" | redis-server - >/dev/null
  export BENCH_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=bastion;Password=$pg_password;Database=postgres"
  export BENCH_REDIS="127.0.0.1:$redis_port,password=$redis_password"
}

stop_services() {
  [ -d "$services/pg" ] && as_pg "$(pg_bin)/pg_ctl" -D "$services/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$services/redis.pid" ] && kill "$(cat "$services/redis.pid")" 2>/dev/null || true
}

# --- The load host ---

host_pid=""
random_key() { head -c 32 /dev/urandom | base64; }
# Production refuses to start without its secrets: fresh ones for each run.
secrets=(Bastion__Secrets__MasterKey="$(random_key)" Bastion__Encryption__Keys__1="$(random_key)"
  Bastion__Encryption__CurrentVersion=1 Bastion__Encryption__BlindIndexKey="$(random_key)")

start_host() { # <name> [VAR=value …]: starts the load host with these settings and waits until it is seeded
  local name=$1 data="$tmp/$1"; shift
  rm -rf "$data" && mkdir -p "$data"
  # Production behind a TLS-terminating proxy on loopback: the scripts send its X-Forwarded-Proto/-For headers.
  env "${secrets[@]}" Bastion__Network__TrustedProxies__0=127.0.0.1 \
    Bastion__DataDirectory="$data" "$@" \
    dotnet "$loadhost" --contentRoot "$root/src/Bastion.Server" \
    --Bench:Port="$port" --Bench:Users="$users" --Bench:Password="$password" >"$data/host.log" 2>&1 &
  host_pid=$!
  for _ in $(seq 240); do
    grep -qs '^READY' "$data/host.log" && return 0
    kill -0 "$host_pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "The load host did not start:" >&2 && cat "$data/host.log" >&2 && exit 1
}

stop_host() {
  if [ -n "$host_pid" ]; then
    kill "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
  fi
}

trap 'stop_host; stop_services' EXIT

# --- Measurements ---

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$host_pid/stat"; }   # the host's user + system time
proxied() { curl -sS -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' "$@"; }   # as through the proxy
hash_cpu() { proxied "$url/bench/hash-cpu" | sed -n 's/.*cpu_us=\([0-9]*\).*/\1/p'; }   # µs the host spent hashing

wrk_run() { # <connections> <script> [script arguments …]: a warm-up, then one measured run, printed as
  # "requests/s p50_ms p99_ms errors cpu_us hash_cpu_us", the last two being the host's CPU time per request in
  # all and inside the password hasher, which other load on the machine moves less than requests/s.
  local connections=$1 script=$2 ticks hashed result; shift 2
  [ "$warmup" -eq 0 ] || wrk -t2 -c"$connections" -d"${warmup}s" --timeout 10s -s "$script" "$url" -- "$@" >/dev/null
  ticks=$(cpu_ticks) hashed=$(hash_cpu)
  result=$(wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$script" "$url" -- "$@" | grep '^RESULT ')
  ticks=$(($(cpu_ticks) - ticks)) hashed=$(($(hash_cpu) - hashed))
  echo "$result" | awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" -v hashed="$hashed" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%s %s %s %s %.1f %.1f\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"],
      1e6 * ticks / hz / v["requests"], hashed / v["requests"] }'
}

session_cookie() { # <account index>: signs in and prints the session cookie as name=value
  proxied -o /dev/null -D - -H 'Content-Type: application/json' \
    --data "{\"email\":\"bench$1@example.com\",\"password\":\"$password\",\"useCookie\":true}" "$url/api/auth/login" \
    | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^=]*bastion\)=\([^;]*\).*/\1=\2/p'
}

require_session() { # <cookie>: fails unless the cookie still authenticates, so the run measured what it claims
  [ "$(proxied -o /dev/null -w '%{http_code}' -H "Cookie: $1" "$url/api/auth/me")" = 200 ] \
    || { echo "A session cookie did not authenticate GET /api/auth/me." >&2; exit 1; }
}

combine() { # <slice> <slice>: two equally long wrk_run results as one; p50 is their mean, p99 the higher one
  echo "$1 $2" | awk '{ printf "%.1f %.2f %.2f %d %.1f %.1f\n", ($1 + $7) / 2, ($2 + $8) / 2, ($3 > $9 ? $3 : $9),
    $4 + $10, ($5 * $1 + $11 * $7) / ($1 + $7), ($6 * $1 + $12 * $7) / ($1 + $7) }'
}

calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
verdict() { awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN { ok = op == "<=" ? v <= limit : v >= limit; print ok ? "met" : "**missed**" }'; }

rows=""
goals=""
row() { # <storage> <measurement> "<requests/s> <p50> <p99> <errors> <cpu_us> <hash_cpu_us>"
  local rps p50 p99 errors cpu hashed
  read -r rps p50 p99 errors cpu hashed <<<"$3"
  rows+="| $1 | $2 | $rps | $p50 | $p99 | $errors | $cpu | $hashed | $(awk -v r="$rps" -v c="$cpu" 'BEGIN { printf "%.2f", r * c / 1e6 }') |"$'\n'
}

measure() { # <storage label>: the two GET runs, then the hash rate and right after it the login run
  local label=$1 hash login anonymous authenticated cookies=() i
  for i in $(seq 0 $((session_count - 1))); do cookies+=("$(session_cookie "$i")"); done
  require_session "${cookies[0]}"
  # Anonymous, authenticated, authenticated, anonymous, each half the duration: a load on the machine that
  # rises or falls steadily during the runs then weighs on both sides alike.
  local half=$((duration / 2)) anonymous_first authenticated_first
  say "$label: GET /bench/whoami anonymous and with a session cookie, $get_connections connections, alternated"
  anonymous_first=$(duration=$half wrk_run "$get_connections" bench/wrk/whoami.lua)
  authenticated_first=$(duration=$half wrk_run "$get_connections" bench/wrk/whoami.lua "${cookies[@]}")
  authenticated=$(combine "$authenticated_first" \
    "$(duration=$half warmup=0 wrk_run "$get_connections" bench/wrk/whoami.lua "${cookies[@]}")")
  anonymous=$(combine "$anonymous_first" "$(duration=$half warmup=0 wrk_run "$get_connections" bench/wrk/whoami.lua)")
  require_session "${cookies[0]}"

  say "$label: raw Argon2id verifications, $(nproc) threads, ${duration}s"
  hash=$(dotnet "$benchmarks" hashrate "$duration" \
    | sed -n 's/^RESULT verifies_per_s=\([^ ]*\) cpu_us_per_verify=\([^ ]*\).*/\1 - - 0 \2 \2/p')
  say "$label: POST /api/auth/login with a session cookie, $login_connections connections"
  login=$(warmup=$login_warmup wrk_run "$login_connections" bench/wrk/login.lua "$users" "$password" cookie)

  row "$label" "Argon2id verify alone, $(nproc) threads (raw hash rate; CPU of that process)" "$hash"
  row "$label" "POST /api/auth/login (session cookie), $login_connections connections" "$login"
  row "$label" "GET /bench/whoami anonymous, $get_connections connections" "$anonymous"
  row "$label" "GET /bench/whoami with session cookie, $get_connections connections" "$authenticated"

  local hash_rps login_rps login_cpu login_hashed anonymous_rps anonymous_cpu authenticated_rps authenticated_cpu
  read -r hash_rps _ <<<"$hash"
  read -r login_rps _ _ _ login_cpu login_hashed <<<"$login"
  read -r anonymous_rps _ _ _ anonymous_cpu _ <<<"$anonymous"
  read -r authenticated_rps _ _ _ authenticated_cpu _ <<<"$authenticated"
  local overhead ratio
  overhead=$(calc "100 * (1 - $login_rps / $hash_rps)")
  ratio=$(calc "100 * $authenticated_rps / $anonymous_rps")
  goals+="| $label | Login overhead beyond hashing | ≤ 10 % | $overhead % | $(calc "100 * ($login_cpu - $login_hashed) / $login_hashed") % | $(verdict "$overhead" 10 "<=") |"$'\n'
  goals+="| $label | Authenticated ÷ anonymous GET | ≥ 80 % | $ratio % | $(calc "100 * $anonymous_cpu / $authenticated_cpu") % | $(verdict "$ratio" 80 ">=") |"$'\n'
}

run_storage() { # <label> <name> [VAR=value …]: every measurement on one storage
  local label=$1 name=$2; shift 2
  say "Starting the load host on $label"
  start_host "$name" "$@"
  measure "$label"
  stop_host
}

install_missing
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' with local changes in src/')"
say "Building (Release)"
mkdir -p "$tmp"
for project in bench/Bastion.Benchmarks bench/Bastion.LoadHost; do
  dotnet build "$project" -c Release --nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
done

run_storage "SQLite + memory" sqlite-memory
if [ "${BENCH_WITH_REDIS:-0}" = 1 ]; then
  say "Starting PostgreSQL and Redis"
  start_services
  run_storage "PostgreSQL + Redis" postgres-redis Bastion__Database__Provider=Postgres \
    Bastion__Database__ConnectionString="$BENCH_POSTGRES" Bastion__State__Provider=Redis Bastion__State__Redis="$BENCH_REDIS"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
half_duration=$((duration / 2))
runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)
cat <<EOF
Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), .NET $runtime, commit $commit;
load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after. wrk with 2 threads; login: ${login_warmup} s of
warm-up, ${duration} s measured; GET: ${warmup} s of warm-up, then ${half_duration} s halves in the order anonymous, authenticated,
authenticated, anonymous (requests/s and CPU are their mean, p50 the mean of the halves', p99 the higher one).

| Storage | Measurement | Requests/s | p50 ms | p99 ms | Errors | Server CPU µs/request | of which hashing | Cores used |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows}
"By throughput" is each goal as stated: login requests/s against the verifications/s of the hash-rate run, and
authenticated against anonymous requests/s. "By server CPU" makes the same comparison from the host's own CPU time
per request (for login: CPU outside the hasher ÷ CPU inside it, both from the same run), which is less sensitive
to other load on the machine. "Cores used" is requests/s × CPU per request: on an otherwise idle machine the
login and hash-rate rows come near $(nproc); less means other processes had the rest.

| Storage | Goal | Target | By throughput | By server CPU | Result (throughput) |
| --- | --- | --- | ---: | ---: | --- |
${goals}
EOF
