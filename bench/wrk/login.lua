-- POST /api/auth/login with a JSON body per request, cycling over the seeded accounts bench0@example.com …
-- Arguments: <number of accounts> <password> <cookie|token>: "cookie" asks for a session cookie (useCookie),
-- "token" for the default access/refresh token pair. Every request carries what a TLS-terminating proxy adds.
-- Requests are formatted once in init, so wrk spends next to nothing per request. Prints one "RESULT" line.
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local logins, position

function init(args)
  local accounts, password, mode = tonumber(args[1]), args[2], args[3]
  local extra = mode == "cookie" and ',"useCookie":true' or ""
  logins = {}
  for i = 0, accounts - 1 do
    local body = string.format('{"email":"bench%d@example.com","password":"%s"%s}', i, password, extra)
    logins[#logins + 1] = wrk.format("POST", "/api/auth/login", {
      ["Content-Type"] = "application/json",
      ["X-Forwarded-Proto"] = "https",
      ["X-Forwarded-For"] = "203.0.113.7",
    }, body)
  end
  -- Threads start half the list apart, so two threads do not sign in the same account at the same moment.
  position = (thread_index or 0) * math.floor(#logins / 2)
end

function request()
  position = position % #logins + 1
  return logins[position]
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.requests))
end
