-- wrk script: valid SIMPAN posts of the data form (issue 3). Each wrk
-- thread is one employee with its own session (BENCH_SIMPAN holds
-- "cookie|body|versi|flip" entries separated by newlines, one per thread); every
-- post changes No. Telp between two values and carries the version the
-- previous save produced, so each request is a real, audited save.
local entries, n = {}, 0
for line in (os.getenv("BENCH_SIMPAN") or ""):gmatch("[^\n]+") do
   table.insert(entries, line)
end

function setup(thread)
   n = n + 1
   thread:set("entry", entries[n])
end

local cookie, body, versi, flip, bad

function init(args)
   cookie, body, versi, flip = entry:match("^([^|]*)|([^|]*)|(%d+)|(%d)$")
   versi, flip = tonumber(versi), tonumber(flip)
   bad = 0
end

function request()
   local telp = (flip == 0) and "02123456789" or "02198765432"
   return wrk.format("POST", "/profile/data",
                     {["Cookie"] = cookie,
                      ["Content-Type"] = "application/x-www-form-urlencoded"},
                     body .. "&no_telp=" .. telp .. "&versi=" .. versi)
end

function response(status, headers, rbody)
   if status == 303 then
      versi = versi + 1
      flip = 1 - flip
   else
      bad = bad + 1
      if bad == 1 then
         io.stderr:write("simpan: status " .. status .. "\n")
      end
   end
end
