-- The mixed mutation workload: add to cart / update a line's quantity /
-- estimate totals, in turn, over many visitors (each with one line).
-- Args: <visitors file> <max requests per thread>. The visitors file has one
-- "<access token> <line item id>" per line (written by bench/run.mjs).
local visitors, limit, done, n = {}, 0, 0, 0
local product = "4da05fc0-7e60-4b54-af88-3a9ebb5c4d04" -- the e-book: no stock limit, no options
local app = "215238eb-22a5-4c36-9e7b-e7c08025e04e"

function init(args)
  for line in io.lines(args[1]) do
    local token, id = line:match("^(%S+) (%S+)$")
    visitors[#visitors + 1] = { token = token, line = id }
  end
  limit = tonumber(args[2])
  -- Threads start at different visitors.
  n = math.random(#visitors)
end

function request()
  n = n + 1
  local visitor = visitors[(n % #visitors) + 1]
  local headers = { ["Authorization"] = visitor.token, ["Content-Type"] = "application/json" }
  local kind = n % 3
  if kind == 0 then
    return wrk.format("POST", "/ecom/v1/carts/current/add-to-cart", headers,
      '{"lineItems":[{"catalogReference":{"catalogItemId":"' .. product .. '","appId":"' .. app .. '"},"quantity":1}]}')
  elseif kind == 1 then
    return wrk.format("POST", "/ecom/v1/carts/current/update-line-items-quantity", headers,
      '{"lineItems":[{"id":"' .. visitor.line .. '","quantity":' .. (n % 50 + 1) .. '}]}')
  else
    return wrk.format("POST", "/ecom/v1/carts/current/estimate-totals", headers, "{}")
  end
end

function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
