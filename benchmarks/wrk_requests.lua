-- wrk script of the sandbox benchmarks: cycles through the requests in the file named by
-- $BENCH_REQUESTS (one per line: METHOD, path, bearer token or empty, JSON body or empty;
-- tab-separated), so each connection spreads its load over many customers, and prints the
-- figures as one JSON line at the end.
local prepared = {}
local next_index = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, token, body = line:match("^(%S+)\t(%S+)\t(%S*)\t(.*)$")
    local headers = {}
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/json"
    end
    prepared[#prepared + 1] = wrk.format(method, path, headers, body)
  end
  -- Threads start at different requests.
  next_index = math.random(#prepared) - 1
end

function request()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d,'
      .. ' "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
