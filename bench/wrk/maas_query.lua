-- wrk script for scenario 5: MAAS's query headers, and one machine-readable
-- summary line at the end. Environment: BENCH_TOKEN (Bearer token, optional),
-- WRK_CONNECTION_CLOSE=1 to send `Connection: close` as MAAS does.
wrk.method = "GET"
wrk.headers["User-Agent"] = "MAAS 3.5.0"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Length"] = "0"
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
if os.getenv("WRK_CONNECTION_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
    '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"latency_p50_us":%d,"latency_p90_us":%d,' ..
    '"latency_p99_us":%d,"latency_max_us":%d,"latency_mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
