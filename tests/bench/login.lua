-- wrk script: every request is a full login of demo employee 181679
-- with the form token taken once by bench.sh (BENCH_TOKEN). A login
-- answers 303; anything else is reported and fails the benchmark.
local token = os.getenv("BENCH_TOKEN") or ""
local bad = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "nrk=181679&password=rahasia-demo&csrf_token=" .. token

function response(status, headers, body)
   if status ~= 303 then
      bad = bad + 1
      if bad == 1 then
         io.stderr:write("login: status " .. status .. "\n")
      end
   end
end
