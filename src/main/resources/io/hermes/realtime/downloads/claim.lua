-- Takes the next queued download for a worker and leases it, atomically, so each download is
-- processed once however many instances compete. Ids whose download was cancelled or deleted while
-- queued are dropped on the way.
-- ARGV[1] now (ms)  ARGV[2] lease expiry (ms)  ARGV[3] started_at (ISO)
-- Returns the id, or false when nothing is queued.
-- A change to what polled views show gives them a new version: polling/bump.lua, inlined so this
-- script stays self-contained for workers that run it.
local function bump_views(...)
  local now = redis.call('TIME')
  local start = now[1] .. string.format('%06d', tonumber(now[2]))
  for _, view in ipairs({...}) do
    redis.call('HSETNX', 'hermes:views', view, start)
    redis.call('HINCRBY', 'hermes:views', view, 1)
  end
end
while true do
  local id = redis.call('RPOP', 'hermes:queue:pending')
  if not id then return false end
  local key = 'hermes:download:' .. id
  if redis.call('HGET', key, 'status') == 'queued' then
    local owner = redis.call('HGET', key, 'owner')
    local created = redis.call('HGET', key, 'created_ms')
    redis.call('HSET', key, 'status', 'downloading', 'started_at', ARGV[3], 'started_ms', ARGV[1],
      'message', 'Downloading…')
    redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('ZREM', 'hermes:downloads:status:queued', id)
    redis.call('ZREM', 'hermes:downloads:owner:' .. owner .. ':status:queued', id)
    redis.call('ZADD', 'hermes:downloads:status:downloading', created, id)
    redis.call('ZADD', 'hermes:downloads:owner:' .. owner .. ':status:downloading', created, id)
    redis.call('ZADD', 'hermes:queue:leases', ARGV[2], id)
    bump_views('downloads')
    return id
  end
end
