-- wrk script for bench/peers.py: every request posts a new comment as JSON.
-- Arguments (after --): the body template, with WRITER and NOTE to fill in, and the Origin.
-- Each wrk thread's connections post as writers 4*t .. 4*t+3; each text is unique, so no
-- duplicate rule refuses it. done() prints the 2xx answers of all threads: "ACCEPTED <n>".

local threads = {}
local counter = 0
local template, origin
accepted = 0
statuses = ""

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  template, origin = args[1], args[2]
end

function request()
  counter = counter + 1
  local writer = tostring(id * 4 + counter % 4)
  local body = template:gsub("WRITER", writer):gsub("NOTE", id .. "-" .. counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Origin"] = origin}, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    accepted = accepted + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("accepted")
  end
  io.write(string.format("ACCEPTED %d\n", total))
end
