#!/usr/bin/env bash
# Measures, on the real server over loopback with wrk, in one run on this machine:
#  (a) POST /api/auth/login per second against raw Argon2id verifications per second on every core;
#  (b) GET /bench/whoami anonymous, with a session cookie and with a bearer token, and a bearer GET that requires a
#      signed-in caller against the same GET on ASP.NET Core's own JwtBearer handler (bench/peers/JwtBearerPeer);
#  (c) POST /api/auth/refresh in chains: every refresh spends its token and the next one uses the token it got;
#      --refresh-only: the anonymous GET and (c) alone, for comparing the CPU per refresh of two builds side by side;
#  (d) with --search: GET /api/equipment over 100,000 records, by a caller who may read them all and by one
#      limited to their own department, then again in a table that holds only that department's records.
# First on the embedded defaults (SQLite + in-process state); with --postgres (or BENCH_WITH_REDIS=1) again on
# PostgreSQL + Redis, started here as throw-away servers under .tmp/ and stopped again whatever happens. Progress
# goes to stderr, Markdown tables for docs/BENCHMARKS.md to stdout.
#
# Usage: bench/run.sh [--postgres | --postgres-only] [--search | --search-only | --refresh-only]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp="$root/.tmp/bench"

with_postgres=${BENCH_WITH_REDIS:-0}
with_sqlite=1
core=1      # (a) to (c)
search=0    # (d)
refresh_only=0
for option in "$@"; do
  case $option in
    --postgres) with_postgres=1 ;;
    --postgres-only) with_postgres=1 with_sqlite=0 ;;
    --search) search=1 ;;
    --search-only) search=1 core=0 ;;
    --refresh-only) refresh_only=1 core=0 ;;
    *) echo "Usage: bench/run.sh [--postgres | --postgres-only] [--search | --search-only | --refresh-only]" >&2 && exit 2 ;;
  esac
done

duration=${BENCH_DURATION:-10}     # seconds measured per wrk measurement and for the hash rate (GETs: two halves)
warmup=${BENCH_WARMUP:-3}          # seconds of unmeasured wrk before each measured GET run (JIT, pools, caches)
# Sign-ins come at most a hundred a second, so their code takes ~15 s to reach its final JIT tier; before that
# the JIT alone adds ~20 % CPU to each sign-in. (The GET runs come first and warm the shared pipeline.)
login_warmup=${BENCH_LOGIN_WARMUP:-20}
refresh_warmup=${BENCH_REFRESH_WARMUP:-5}
users=${BENCH_USERS:-128}          # seeded accounts the login run cycles over
port=${BENCH_PORT:-5091}
peer_port=${BENCH_PEER_PORT:-5092}
pg_port=${BENCH_PG_PORT:-55442}
redis_port=${BENCH_REDIS_PORT:-56389}
login_connections=16
get_connections=32
session_count=16                   # sessions (one per account), and access tokens, the authenticated runs cycle over
refresh_connections=16
refresh_accounts=64                # refresh chains: each of these accounts signs in refresh_chains / refresh_accounts times
refresh_chains=256
search_rows=${BENCH_SEARCH_ROWS:-100000}
search_owners=200                  # bench0 … bench199, in departments dept-00 … dept-19 by number modulo 20
search_duration=${BENCH_SEARCH_DURATION:-5}
search_warmup=2
password='Corr3ct-Horse-Battery!'
admin_email='admin@example.com'    # the bootstrap super_admin, who edits the permission matrix for (d)
host_url="http://127.0.0.1:$port"
peer_url="http://127.0.0.1:$peer_port"
loadhost="bench/Bastion.LoadHost/bin/Release/net10.0/Bastion.LoadHost.dll"
peer="bench/peers/JwtBearerPeer/bin/Release/net10.0/JwtBearerPeer.dll"
benchmarks="bench/Bastion.Benchmarks/bin/Release/net10.0/Bastion.Benchmarks.dll"

say() { echo "== $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ldconfig -p 2>/dev/null | grep -q 'libsodium.so.23' || missing+=(libsodium23)
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
  # fsync=off: a throw-away cluster on a shared disk; commits cost CPU and a WAL write, not a disk flush.
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

# --- The load host and the peer ---

host_pid=""
peer_pid=""
host_env=()
random_key() { head -c 32 /dev/urandom | base64; }
# Production refuses to start without its secrets: fresh ones for each run.
secrets=(Bastion__Secrets__MasterKey="$(random_key)" Bastion__Encryption__Keys__1="$(random_key)"
  Bastion__Encryption__CurrentVersion=1 Bastion__Encryption__BlindIndexKey="$(random_key)"
  Bastion__Email__From=bench@localhost Bastion__Email__PublicBaseUrl=https://bench.invalid
  Bastion__Email__PickupDirectory="$tmp/outbox")

loadhost_command() { # <subcommand> [options …]: the load host's seed-equipment or prune-equipment, same settings
  local command=$1; shift
  env "${host_env[@]}" dotnet "$loadhost" "$command" --contentRoot "$root/src/Bastion.Server" "$@"
}

start_host() { # <name> [VAR=value …]: starts the load host with these settings and waits until it is seeded
  local name=$1 data="$tmp/$1"; shift
  rm -rf "$data" && mkdir -p "$data"
  # Production behind a TLS-terminating proxy on loopback: the scripts send its X-Forwarded-Proto/-For headers.
  # Request rate limits, where the server has them, would answer 429 after the first few dozen requests: the
  # benchmarks measure what stands behind them.
  host_env=("${secrets[@]}" Bastion__Network__TrustedProxies__0=127.0.0.1 Bastion__DataDirectory="$data"
    Bastion__Abuse__RateLimits__Enabled=false
    Bastion__Bootstrap__AdminEmail="$admin_email" Bastion__Bootstrap__AdminPassword="$password" "$@")
  env "${host_env[@]}" dotnet "$loadhost" --contentRoot "$root/src/Bastion.Server" \
    --Bench:Port="$port" --Bench:Users="$((users > search_owners ? users : search_owners))" --Bench:Password="$password" \
    >"$data/host.log" 2>&1 &
  host_pid=$!
  wait_ready "$data/host.log" "$host_pid" "The load host"
}

start_peer() { # the JwtBearer peer, with the load host's current public keys
  dotnet "$peer" --Peer:Port="$peer_port" --Peer:Jwks="$host_url/.well-known/jwks.json" >"$tmp/peer.log" 2>&1 &
  peer_pid=$!
  wait_ready "$tmp/peer.log" "$peer_pid" "The JwtBearer peer"
}

wait_ready() { # <log> <pid> <what>
  for _ in $(seq 240); do
    grep -qs '^READY' "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  echo "$3 did not start:" >&2 && cat "$1" >&2 && exit 1
}

stop_host() {
  local pid
  for pid in "$peer_pid" "$host_pid"; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  host_pid="" peer_pid=""
}

trap 'stop_host; stop_services' EXIT

# --- Measurements ---

ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # a process's user + system time
# The user + system time of PostgreSQL (the postmaster, its children, and children that have exited) and Redis;
# 0 when the storage is SQLite + memory, whose work is done inside the host.
db_ticks() {
  [ "$services_running" = 1 ] || { echo 0; return; }
  local postmaster child total
  postmaster=$(head -n 1 "$services/pg/postmaster.pid")
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
  for child in $(pgrep -P "$postmaster") $(cat "$services/redis.pid"); do
    total=$((total + $(ticks_of "$child" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
proxied() { curl -sS -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 203.0.113.7' "$@"; }   # as through the proxy
hash_cpu() { proxied "$host_url/bench/hash-cpu" | sed -n 's/.*cpu_us=\([0-9]*\).*/\1/p'; }   # µs the host spent hashing

url=$host_url   # where wrk_run sends its requests; measured_pid is the process whose CPU time it counts
measured_pid=""
threads=2

wrk_run() { # <connections> <script> [script arguments …]: a warm-up, then one measured run, printed as
  # "requests/s p50_ms p99_ms errors cpu_us hash_cpu_us db_cpu_us": the measured process's CPU time per request in
  # all and inside the password hasher, and that of PostgreSQL and Redis, which other load on the machine moves
  # less than requests/s.
  local connections=$1 script=$2 pid=${measured_pid:-$host_pid} ticks hashed db result; shift 2
  [ "$warmup" -eq 0 ] || wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 10s -s "$script" "$url" -- "$@" >/dev/null
  ticks=$(ticks_of "$pid") hashed=$(hash_cpu) db=$(db_ticks)
  result=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$script" "$url" -- "$@" | grep '^RESULT ')
  ticks=$(($(ticks_of "$pid") - ticks)) hashed=$(($(hash_cpu) - hashed)) db=$(($(db_ticks) - db))
  echo "$result" | awk -v ticks="$ticks" -v db="$db" -v hz="$(getconf CLK_TCK)" -v hashed="$hashed" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    n = v["requests"] > 0 ? v["requests"] : 1
    printf "%s %s %s %s %.1f %.1f %.1f\n", v["rps"], v["p50_ms"], v["p99_ms"], v["errors"],
      1e6 * ticks / hz / n, hashed / n, 1e6 * db / hz / n }'
}

sign_in() { # <account index> [cookie]: signs in; prints the session cookie as name=value, else the token response
  local body="{\"email\":\"bench$1@example.com\",\"password\":\"$password\"${2:+,\"useCookie\":true}}"
  if [ -n "${2:-}" ]; then
    proxied -o /dev/null -D - -H 'Content-Type: application/json' --data "$body" "$host_url/api/auth/login" \
      | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^=]*bastion\)=\([^;]*\).*/\1=\2/p'
  else
    proxied -H 'Content-Type: application/json' --data "$body" "$host_url/api/auth/login"
    echo
  fi
}
json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }   # <name>: a string field of the JSON on stdin

require_status() { # <expected> <url> [curl options …]: fails unless the GET answers so, so a run measured what it claims
  local status
  status=$(proxied -o /dev/null -w '%{http_code}' "${@:3}" "$2")
  [ "$status" = "$1" ] || { echo "GET $2 answered $status, not $1." >&2; exit 1; }
}

combine() { # <slice> <slice>: two equally long wrk_run results as one; p50 is their mean, p99 the higher one
  echo "$1 $2" | awk '{ printf "%.1f %.2f %.2f %d %.1f %.1f %.1f\n", ($1 + $8) / 2, ($2 + $9) / 2, ($3 > $10 ? $3 : $10),
    $4 + $11, ($5 * $1 + $12 * $8) / ($1 + $8), ($6 * $1 + $13 * $8) / ($1 + $8), ($7 * $1 + $14 * $8) / ($1 + $8) }'
}

calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }
verdict() { awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN { ok = op == "<=" ? v <= limit : v >= limit; print ok ? "met" : "**missed**" }'; }
db_column() { if [ "$services_running" = 1 ]; then echo "$1"; else echo "-"; fi; }

rows=""
goals=""
search_rows_table=""
row() { # <storage> <measurement> "<requests/s> <p50> <p99> <errors> <cpu_us> <hash_cpu_us> <db_cpu_us>"
  local rps p50 p99 errors cpu hashed db
  read -r rps p50 p99 errors cpu hashed db <<<"$3"
  rows+="| $1 | $2 | $rps | $p50 | $p99 | $errors | $cpu | $hashed | $(db_column "$db") | $(awk -v r="$rps" -v c="$cpu" -v d="$db" 'BEGIN { printf "%.2f", r * (c + d) / 1e6 }') |"$'\n'
}

get_variant() { # <variant>: one wrk_run of a GET variant (see measure_gets)
  case $1 in
    anonymous) wrk_run "$get_connections" bench/wrk/get.lua /bench/whoami ;;
    cookie) wrk_run "$get_connections" bench/wrk/get.lua /bench/whoami "${cookie_headers[@]}" ;;
    bearer) wrk_run "$get_connections" bench/wrk/get.lua /bench/whoami "${bearer_headers[@]}" ;;
    authorized) wrk_run "$get_connections" bench/wrk/get.lua /bench/whoami-authorized "${bearer_headers[@]}" ;;
    peer) url=$peer_url measured_pid=$peer_pid wrk_run "$get_connections" bench/wrk/get.lua /bench/whoami "${bearer_headers[@]}" ;;
  esac
}

measure_gets() { # <storage label>: the GET variants, each in two halves, the second halves in reverse order
  local label=$1 half=$((duration / 2)) i variant
  local variants=(anonymous cookie bearer authorized peer)
  local -A first result
  cookie_headers=() bearer_headers=()
  for i in $(seq 0 $((session_count - 1))); do
    cookie_headers+=("Cookie: $(sign_in "$i" cookie)")
    bearer_headers+=("Authorization: Bearer $(sign_in "$i" | json_field access_token)")
  done
  require_status 200 "$host_url/api/auth/me" -H "${cookie_headers[0]}"
  require_status 200 "$host_url/bench/whoami-authorized" -H "${bearer_headers[0]}"
  require_status 302 "$host_url/bench/whoami-authorized"   # without a token: the session scheme's challenge, to /login
  require_status 200 "$peer_url/bench/whoami" -H "${bearer_headers[0]}"
  require_status 401 "$peer_url/bench/whoami"
  # Anonymous, cookie, bearer, bearer where sign-in is required, the peer, then the same in reverse order, each half
  # the duration: a load on the machine that rises or falls steadily during the runs weighs on all of them alike.
  say "$label: GET /bench/whoami, five variants, $get_connections connections, 2 × ${half} s each"
  for variant in "${variants[@]}"; do
    first[$variant]=$(duration=$half get_variant "$variant")
  done
  for ((i = ${#variants[@]} - 1; i >= 0; i--)); do
    variant=${variants[i]}
    result[$variant]=$(combine "${first[$variant]}" "$(duration=$half warmup=0 get_variant "$variant")")
  done
  require_status 200 "$host_url/api/auth/me" -H "${cookie_headers[0]}"

  row "$label" "GET /bench/whoami anonymous, $get_connections connections" "${result[anonymous]}"
  row "$label" "GET /bench/whoami with session cookie" "${result[cookie]}"
  row "$label" "GET /bench/whoami with bearer token" "${result[bearer]}"
  row "$label" "GET /bench/whoami-authorized with bearer token (sign-in required)" "${result[authorized]}"
  row "$label" "JwtBearer peer: GET /bench/whoami with bearer token (sign-in required; peer's CPU)" "${result[peer]}"

  local anonymous_rps anonymous_cpu cookie_rps cookie_cpu bearer_rps bearer_cpu authorized_rps authorized_cpu peer_rps peer_cpu ratio
  read -r anonymous_rps _ _ _ anonymous_cpu _ <<<"${result[anonymous]}"
  read -r cookie_rps _ _ _ cookie_cpu _ <<<"${result[cookie]}"
  read -r bearer_rps _ _ _ bearer_cpu _ <<<"${result[bearer]}"
  read -r authorized_rps _ _ _ authorized_cpu _ <<<"${result[authorized]}"
  read -r peer_rps _ _ _ peer_cpu _ <<<"${result[peer]}"
  ratio=$(calc "100 * $cookie_rps / $anonymous_rps")
  goals+="| $label | Session cookie ÷ anonymous GET | ≥ 80 % | $ratio % | $(calc "100 * $anonymous_cpu / $cookie_cpu") % | $(verdict "$ratio" 80 ">=") |"$'\n'
  ratio=$(calc "100 * $bearer_rps / $anonymous_rps")
  goals+="| $label | Bearer token ÷ anonymous GET | ≥ 85 % | $ratio % | $(calc "100 * $anonymous_cpu / $bearer_cpu") % | $(verdict "$ratio" 85 ">=") |"$'\n'
  ratio=$(calc "100 * $authorized_rps / $peer_rps")
  goals+="| $label | Bastion bearer ÷ JwtBearer peer, sign-in required | ≥ 100 % | $ratio % | $(calc "100 * $peer_cpu / $authorized_cpu") % | $(verdict "$ratio" 100 ">=") |"$'\n'
}

measure_login() { # <storage label>: the hash rate and right after it the login run
  local label=$1 hash login
  say "$label: raw Argon2id verifications, $(nproc) threads, ${duration}s"
  hash=$(dotnet "$benchmarks" hashrate "$duration" \
    | sed -n 's/^RESULT verifies_per_s=\([^ ]*\) cpu_us_per_verify=\([^ ]*\).*/\1 - - 0 \2 \2 0/p')
  say "$label: POST /api/auth/login with a session cookie, $login_connections connections"
  login=$(warmup=$login_warmup wrk_run "$login_connections" bench/wrk/login.lua "$users" "$password" cookie)
  # The hash-rate run is another process: its CPU column is that process's, and the database does nothing.
  services_running=0 row "$label" "Argon2id verify alone, $(nproc) threads (raw hash rate; CPU of that process)" "$hash"
  row "$label" "POST /api/auth/login (session cookie), $login_connections connections" "$login"

  local hash_rps login_rps login_cpu login_hashed overhead
  read -r hash_rps _ <<<"$hash"
  read -r login_rps _ _ _ login_cpu login_hashed _ <<<"$login"
  overhead=$(calc "100 * (1 - $login_rps / $hash_rps)")
  goals+="| $label | Login overhead beyond hashing | ≤ 10 % | $overhead % | $(calc "100 * ($login_cpu - $login_hashed) / $login_hashed") % | $(verdict "$overhead" 10 "<=") |"$'\n'
}

measure_refresh() { # <storage label>: chains of refreshes from refresh_chains sign-ins, 4 sign-ins at a time
  local label=$1 tokens="$tmp/refresh-tokens" i refresh rps cpu db errors
  say "$label: $refresh_chains sign-ins for refresh chains"
  rm -rf "$tokens.d" && mkdir -p "$tokens.d"
  local signing_in=()
  for i in $(seq 0 $((refresh_chains - 1))); do
    sign_in $((i % refresh_accounts)) | json_field refresh_token >"$tokens.d/$i" &
    signing_in+=($!)
    if ((i % 4 == 3)); then wait "${signing_in[@]}"; signing_in=(); fi
  done
  [ ${#signing_in[@]} -eq 0 ] || wait "${signing_in[@]}"
  cat "$tokens.d"/* | grep . >"$tokens" || true
  [ "$(wc -l <"$tokens")" -eq "$refresh_chains" ] || { echo "Only $(wc -l <"$tokens") of $refresh_chains sign-ins gave a refresh token." >&2; exit 1; }
  say "$label: POST /api/auth/refresh in $refresh_chains chains, $refresh_connections connections"
  refresh=$(warmup=$refresh_warmup wrk_run "$refresh_connections" bench/wrk/refresh.lua "$tokens" "$threads")
  row "$label" "POST /api/auth/refresh (rotation; 200s only), $refresh_connections connections" "$refresh"
  read -r rps _ _ errors cpu _ db <<<"$refresh"
  refresh_result=$refresh
  # "By server CPU": what the cores could do if the host and the database had them all: cores ÷ CPU per refresh.
  goals+="| $label | Refreshes per second ($errors errors) | ≥ 1,200 | $rps | $(calc "$(nproc) * 1e6 / ($cpu + $db)") | $(verdict "$rps" 1200 ">=") |"$'\n'
}

measure_refresh_against_get() { # <storage label>: the anonymous GET, then refresh chains, and their CPU ratio
  local label=$1 anonymous anonymous_cpu refresh_cpu refresh_db
  say "$label: GET /bench/whoami anonymous, $get_connections connections"
  anonymous=$(get_variant anonymous)
  row "$label" "GET /bench/whoami anonymous, $get_connections connections" "$anonymous"
  measure_refresh "$label"
  read -r _ _ _ _ anonymous_cpu _ <<<"$anonymous"
  read -r _ _ _ _ refresh_cpu _ refresh_db <<<"$refresh_result"
  goals+="| $label | CPU per refresh (server + database) ÷ CPU per anonymous GET | — | - | $(calc "($refresh_cpu + ${refresh_db/-/0}) / $anonymous_cpu") × | - |"$'\n'
}

search_run() { # <storage label> <rows in table> <caller> <token> <query>: one search measurement on one connection;
  # adds its table row and leaves "p50 cpu_us db_cpu_us" in last_search
  local result rps p50 p99 errors cpu db
  result=$(threads=1 warmup=$search_warmup duration=$search_duration wrk_run 1 bench/wrk/get.lua "/api/equipment?$5" "Authorization: Bearer $4")
  read -r rps p50 p99 errors cpu _ db <<<"$result"
  search_rows_table+="| $1 | $2 | $3 | \`$5\` | $rps | $p50 | $p99 | $errors | $cpu | $(db_column "$db") |"$'\n'
  last_search="$p50 $cpu $db"
}

departments_seen() { # <token>: the distinct departments of the first 100 laptops the caller may see
  proxied -H "Authorization: Bearer $1" "$host_url/api/equipment?q=$common_word&pageSize=100" \
    | grep -o '"department":"[^"]*"' | sort -u | wc -l
}

measure_search() { # <storage label>
  local label=$1 seeded serial caller admin kept query limited pruned ratio
  say "$label: seeding $search_rows equipment records"
  seeded=$(loadhost_command seed-equipment --Bench:Equipment="$search_rows" --Bench:Owners="$search_owners" | grep '^SEEDED ')
  say "$seeded"
  serial=$(sed -n 's/.*serial=\([^ ]*\).*/\1/p' <<<"$seeded")
  seed_seconds=$(sed -n 's/.*seconds=\([^ ]*\).*/\1/p' <<<"$seeded")
  common_word=laptop rare_word=oscilloscope   # EquipmentSeeder.CommonWord and RareWord
  local queries=("q=$common_word" "q=$rare_word" "serialNumber=$serial")
  caller=$(sign_in 0 | json_field access_token)   # bench0, a viewer in dept-00
  [ "$(departments_seen "$caller")" -gt 1 ] || { echo "The caller should see every department." >&2; exit 1; }

  say "$label: searches by a caller who may read everything"
  for query in "${queries[@]}"; do search_run "$label" "$search_rows" "everything" "$caller" "$query"; done

  # The matrix edit an administrator would make: viewers read only their own department's equipment.
  admin=$(proxied -H 'Content-Type: application/json' --data "{\"email\":\"$admin_email\",\"password\":\"$password\"}" \
    "$host_url/api/auth/login" | json_field access_token)
  proxied -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' --data \
    '{"resource":"equipment","action":"read","condition":"same_department","description":"Read the equipment of one'\''s own department"}' \
    "$host_url/api/admin/permissions"
  [ "$(proxied -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    --data '{"permissions":["equipment:read:same_department","reports:read"]}' "$host_url/api/admin/roles/viewer/permissions")" = 204 ] \
    || { echo "Could not limit the viewer role to its department." >&2; exit 1; }
  [ "$(departments_seen "$caller")" -eq 1 ] || { echo "The caller should see only their department." >&2; exit 1; }

  say "$label: searches by a caller limited to their department"
  limited=()
  for query in "${queries[@]}"; do
    search_run "$label" "$search_rows" "own department" "$caller" "$query"
    limited+=("$last_search")
  done
  pruned=$(loadhost_command prune-equipment --Bench:KeepDepartment=dept-00 | grep '^PRUNED ')
  kept=$(sed -n 's/.*kept=\([0-9]*\).*/\1/p' <<<"$pruned")
  say "$label: the same searches with only the department's $kept records left"
  for i in "${!queries[@]}"; do
    local p50 cpu db p50_full cpu_full db_full
    search_run "$label" "$kept" "own department" "$caller" "${queries[i]}"
    read -r p50 cpu db <<<"$last_search"
    read -r p50_full cpu_full db_full <<<"${limited[i]}"
    ratio=$(calc "$p50_full / $p50")
    goals+="| $label | Department-limited \`${queries[i]}\`: $search_rows rows ÷ $kept rows | ≤ 1.2 × | $ratio × (p50) | $(calc "($cpu_full + $db_full) / ($cpu + $db)") × | $(verdict "$ratio" 1.2 "<=") |"$'\n'
  done
}

run_storage() { # <label> <name> [VAR=value …]: every measurement on one storage
  local label=$1 name=$2; shift 2
  say "Starting the load host on $label"
  start_host "$name" "$@"
  if [ "$core" = 1 ]; then
    start_peer
    measure_gets "$label"
    measure_login "$label"
    measure_refresh "$label"
  fi
  [ "$refresh_only" = 1 ] && measure_refresh_against_get "$label"
  [ "$search" = 1 ] && measure_search "$label"
  stop_host
}

install_missing
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' with local changes in src/')"
say "Building (Release)"
mkdir -p "$tmp"
for project in bench/Bastion.Benchmarks bench/Bastion.LoadHost bench/peers/JwtBearerPeer; do
  dotnet build "$project" -c Release --nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
done

services_running=0
[ "$with_sqlite" = 1 ] && run_storage "SQLite + memory" sqlite-memory
if [ "$with_postgres" = 1 ]; then
  say "Starting PostgreSQL and Redis"
  start_services
  services_running=1
  run_storage "PostgreSQL + Redis" postgres-redis Bastion__Database__Provider=Postgres \
    Bastion__Database__ConnectionString="$BENCH_POSTGRES" Bastion__State__Provider=Redis Bastion__State__Redis="$BENCH_REDIS"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -n 1)
echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu), .NET $runtime, commit $commit;"
echo "load average $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after."
if [ "$core" = 1 ] || [ "$refresh_only" = 1 ]; then
  cat <<EOF
wrk with 2 threads; login: ${login_warmup} s of warm-up, ${duration} s measured; refresh: ${refresh_warmup} s of warm-up,
${duration} s measured; GET: ${warmup} s of warm-up, then $((duration / 2)) s halves in the order anonymous, cookie, bearer,
bearer with sign-in required, peer, and back (requests/s and CPU are their mean, p50 the mean of the halves', p99 the
higher one).

| Storage | Measurement | Requests/s | p50 ms | p99 ms | Errors | Server CPU µs/request | of which hashing | DB + Redis CPU µs/request | Cores used |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows}
"Server CPU" is the CPU time of the process that answered (the load host, or the peer in the peer's row);
"DB + Redis CPU" that of PostgreSQL and Redis over the same run (on SQLite + memory that work is inside the host).
"Cores used" is requests/s × both: on an otherwise idle machine the busiest rows come near $(nproc); less means
other processes had the rest.
EOF
fi
if [ "$search" = 1 ]; then
  cat <<EOF

Search: ${search_rows} equipment records seeded (the last seeding took ${seed_seconds} s), owned by ${search_owners} accounts in
20 departments; the caller is a viewer in dept-00. One connection, ${search_warmup} s of warm-up, ${search_duration} s measured.
"everything": the default grant equipment:read; "own department": equipment:read:same_department.

| Storage | Rows in table | Caller may read | Query | Requests/s | p50 ms | p99 ms | Errors | Server CPU µs/request | DB CPU µs/request |
| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${search_rows_table}
EOF
fi
cat <<EOF

"By throughput" is each goal as stated (for the search goal: p50 latency). "By server CPU" makes the same comparison
from CPU time per request (for login: CPU outside the hasher ÷ CPU inside it; for refresh: the refreshes per second
the cores could do with host and database alone on them, cores ÷ CPU per refresh), which is less sensitive to other
load on the machine.

| Storage | Goal | Target | By throughput | By server CPU | Result (throughput) |
| --- | --- | --- | ---: | ---: | --- |
${goals}
EOF
