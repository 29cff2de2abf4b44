-- GET one path with no credentials (5a's floor: /openapi.json).
-- Args: <path> <max requests per thread>.
local path, limit, done = "/", 0, 0

function init(args)
  path = args[1]
  limit = tonumber(args[2])
end

function request()
  return wrk.format("GET", path)
end

function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
