-- GET <path> (the first argument) with one more header per request, taken in turn from the other arguments
-- ("Name: value": a session cookie, "Authorization: Bearer …"); none for an anonymous run. Every request carries
-- what a TLS-terminating proxy adds. Requests are formatted once in init, so every variant costs the client the
-- same. Prints one "RESULT" line for bench/run.sh.
local gets, position

local function get(path, header)
  local headers = { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.7" }
  if header then
    local name, value = header:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  return wrk.format("GET", path, headers)
end

function init(args)
  local path = args[1]
  gets = {}
  for i = 2, #args do
    gets[#gets + 1] = get(path, args[i])
  end
  if #gets == 0 then
    gets[1] = get(path, nil)
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
