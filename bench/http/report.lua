-- wrk hook for bench/http/run.sh: after the run, one machine-readable line with what the script needs
-- (latencies in microseconds, straight from wrk's histogram, so nothing is parsed back from "1.23ms").
-- No request() or response() hook: those run Lua per request and would slow wrk itself down.
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH-RESULT requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f"
         .. " non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      e.status, e.connect, e.read, e.write, e.timeout))
end
