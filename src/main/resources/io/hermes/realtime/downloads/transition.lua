-- Changes a download's status atomically; a terminal download never changes again.
-- KEYS[1]  the record hash hermes:download:{id}
-- ARGV[1]  id            ARGV[2] new status        ARGV[3] allowed current statuses, comma-separated, or *
-- ARGV[4]  now (ms)      ARGV[5] UTC day (YYYY-MM-DD) ARGV[6] UTC hour (HH)
-- ARGV[7…] field, value pairs to set on the record (an empty value deletes the field)
-- Returns {outcome, previous status}: outcome is ok, missing, terminal or refused.
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
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return {'missing', ''} end
if current == 'completed' or current == 'failed' or current == 'cancelled' then return {'terminal', current} end
if ARGV[3] ~= '*' and not string.find(',' .. ARGV[3] .. ',', ',' .. current .. ',', 1, true) then
  return {'refused', current}
end
local id, to, now = ARGV[1], ARGV[2], tonumber(ARGV[4])
for i = 7, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('HSET', KEYS[1], 'status', to)
local owner = redis.call('HGET', KEYS[1], 'owner')
local created = redis.call('HGET', KEYS[1], 'created_ms')
local mine = 'hermes:downloads:owner:' .. owner
if current ~= to then
  redis.call('ZREM', 'hermes:downloads:status:' .. current, id)
  redis.call('ZREM', mine .. ':status:' .. current, id)
  redis.call('ZADD', 'hermes:downloads:status:' .. to, created, id)
  redis.call('ZADD', mine .. ':status:' .. to, created, id)
end
if to == 'completed' or to == 'failed' or to == 'cancelled' then
  redis.call('ZREM', 'hermes:queue:leases', id)
  redis.call('LREM', 'hermes:queue:pending', 0, id)
  redis.call('ZADD', 'hermes:history', now, id)
  redis.call('ZADD', 'hermes:history:owner:' .. owner, now, id)
  redis.call('DEL', 'download:' .. id .. ':progress')
  local extractor = redis.call('HGET', KEYS[1], 'extractor')
  local size = tonumber(redis.call('HGET', KEYS[1], 'file_size') or '0') or 0
  local transfer = tonumber(redis.call('HGET', KEYS[1], 'transfer_ms') or '0') or 0
  local errorType = redis.call('HGET', KEYS[1], 'error_type')
  for _, scope in ipairs({'all', 'owner:' .. owner}) do
    local day = 'hermes:stats:' .. scope .. ':' .. ARGV[5]
    redis.call('HINCRBY', day, 'total', 1)
    redis.call('HINCRBY', day, to, 1)
    redis.call('HINCRBY', day, 'hour:' .. ARGV[6], 1)
    if extractor then redis.call('HINCRBY', day, 'extractor:' .. extractor, 1) end
    if to == 'completed' then
      redis.call('HINCRBY', day, 'bytes', size)
      redis.call('HINCRBY', day, 'duration_ms', transfer)
    end
    if to == 'failed' and errorType then redis.call('HINCRBY', day, 'error:' .. errorType, 1) end
  end
  bump_views('downloads', 'history')
else
  bump_views('downloads')
end
return {'ok', current}
