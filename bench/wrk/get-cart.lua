-- GET the visitor's current cart. Args: <access token> <max requests per thread>.
-- wrk bounds the run in time (-d); this bounds it in requests too.
local limit, done = 0, 0

function init(args)
  wrk.headers["Authorization"] = args[1]
  limit = tonumber(args[2])
end

function request()
  return wrk.format("GET", "/ecom/v1/carts/current")
end

function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
