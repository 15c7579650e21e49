-- GET /bench/whoami. Arguments: session cookies ("name=value"), cycled per request; none for the anonymous run.
-- Every request carries what a TLS-terminating proxy adds. Both runs hand wrk requests formatted once in init, so
-- they cost the client the same. Prints one "RESULT" line for bench/run.sh.
local gets, position

local function get(cookie)
  return wrk.format("GET", "/bench/whoami", {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = "203.0.113.7",
    Cookie = cookie,
  })
end

function init(args)
  gets = {}
  for _, cookie in ipairs(args) do
    gets[#gets + 1] = get(cookie)
  end
  if #gets == 0 then
    gets[1] = get(nil)
  end
  position = 0
end

function request()
  position = position % #gets + 1
  return gets[position]
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, summary.requests))
end
