-- 5h: mixed.lua's workload at a fixed pace, for latency below saturation:
-- each connection waits <pace> ms after each answer before its next
-- request, so 32 connections at 31 ms make about 1,000 requests a second.
-- (A closed loop: a slow answer delays that connection's next request, so
-- the rate dips when the server stalls; the table shows the rate reached.)
-- Args: <visitors file> <max requests per thread> <pace in ms>.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "mixed.lua")

local pace = 0
local mixed_init = init

function init(args)
  mixed_init(args)
  pace = tonumber(args[3])
end

function delay()
  return pace
end
