-- wrk script: every request is a full login of demo employee 181679
-- with the form token taken once by bench.sh (BENCH_TOKEN).
local token = os.getenv("BENCH_TOKEN") or ""

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "nrk=181679&password=rahasia-demo&csrf_token=" .. token

local ok, other = 0, 0

function response(status, headers, body)
   if status == 303 then
      ok = ok + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   io.stderr:write(string.format("logins: %d redirects, %d others\n",
                                 ok, other))
end
