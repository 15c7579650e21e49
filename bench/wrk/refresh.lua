-- POST /api/auth/refresh in chains: each refresh spends its token, and the next request goes on with the token it
-- returned. Arguments: <token file> <number of wrk threads>; thread n takes lines n+1, n+1+threads, … of the file,
-- one refresh token a line. wrk does not tell which connection a response arrived on, so each thread keeps a pool:
-- request() takes a token from it and response() puts back the refresh_token of a 200 body. With more tokens than
-- connections the pool is never empty while refreshes succeed. At the end the unspent tokens are written back to
-- the file for the next run; a request still in flight when wrk stops takes its chain with it. Prints one "RESULT"
-- line for bench/run.sh in which only 200s count as requests; "errors" is every other answer and socket error.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  threads[#threads + 1] = thread
end

pool, ok, failed = {}, 0, 0

function init(args)
  local count, line_number = tonumber(args[2]), 0
  file_name = args[1]
  for line in io.lines(file_name) do
    if line ~= "" and line_number % count == index then
      pool[#pool + 1] = line
    end
    line_number = line_number + 1
  end
end

local headers = { ["Content-Type"] = "application/json", ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.7" }

function request()
  -- An empty pool (only after failures) sends a token that cannot exist, which is answered and counted as an error.
  local token = table.remove(pool) or "-"
  return wrk.format("POST", "/api/auth/refresh", headers, '{"refresh_token":"' .. token .. '"}')
end

function response(status, _, body)
  local token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then
    pool[#pool + 1] = token
    ok = ok + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency)
  local succeeded, refused, out = 0, 0, assert(io.open(threads[1]:get("file_name"), "w"))
  for _, thread in ipairs(threads) do
    succeeded = succeeded + thread:get("ok")
    refused = refused + thread:get("failed")
    for _, token in ipairs(thread:get("pool")) do
      out:write(token, "\n")
    end
  end
  out:close()
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d\n",
    succeeded / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    refused + e.connect + e.read + e.write + e.timeout, succeeded))
end
