-- Returns downloads whose lease expired (their instance died or lost Redis for too long) to the queue,
-- or fails them after too many attempts. Runs on any instance; atomic, so two sweepers never both act.
-- ARGV[1] now (ms)  ARGV[2] max attempts  ARGV[3] completed_at (ISO)  ARGV[4] UTC day  ARGV[5] UTC hour
-- Returns a flat list: id, new status, record, id, new status, record, … where record is the download's
-- hash (field, value, …) as this script left it, so what is announced is this change, even if a worker
-- claims the download again before the announcement is made.
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
local expired = redis.call('ZRANGEBYSCORE', 'hermes:queue:leases', '-inf', ARGV[1])
local changed = {}
for _, id in ipairs(expired) do
  redis.call('ZREM', 'hermes:queue:leases', id)
  local key = 'hermes:download:' .. id
  local status = redis.call('HGET', key, 'status')
  if status == 'downloading' or status == 'processing' then
    local owner = redis.call('HGET', key, 'owner')
    local created = redis.call('HGET', key, 'created_ms')
    local attempts = tonumber(redis.call('HGET', key, 'attempts') or '0')
    local to = 'queued'
    if attempts >= tonumber(ARGV[2]) then to = 'failed' end
    redis.call('ZREM', 'hermes:downloads:status:' .. status, id)
    redis.call('ZREM', 'hermes:downloads:owner:' .. owner .. ':status:' .. status, id)
    redis.call('ZADD', 'hermes:downloads:status:' .. to, created, id)
    redis.call('ZADD', 'hermes:downloads:owner:' .. owner .. ':status:' .. to, created, id)
    redis.call('HSET', key, 'status', to)
    redis.call('DEL', 'download:' .. id .. ':progress')
    if to == 'queued' then
      redis.call('HSET', key, 'message', 'Re-queued: the worker running it stopped responding')
      redis.call('RPUSH', 'hermes:queue:pending', id)
    else
      local message = 'Failed: the worker stopped responding ' .. attempts .. ' times'
      redis.call('HSET', key, 'error', message, 'message', message, 'error_type', 'worker_lost', 'completed_at', ARGV[3])
      redis.call('ZADD', 'hermes:history', ARGV[1], id)
      redis.call('ZADD', 'hermes:history:owner:' .. owner, ARGV[1], id)
      for _, scope in ipairs({'all', 'owner:' .. owner}) do
        local day = 'hermes:stats:' .. scope .. ':' .. ARGV[4]
        redis.call('HINCRBY', day, 'total', 1)
        redis.call('HINCRBY', day, 'failed', 1)
        redis.call('HINCRBY', day, 'hour:' .. ARGV[5], 1)
        redis.call('HINCRBY', day, 'error:worker_lost', 1)
      end
    end
    table.insert(changed, id)
    table.insert(changed, to)
    table.insert(changed, redis.call('HGETALL', key))
    if to == 'failed' then bump_views('downloads', 'history') else bump_views('downloads') end
  end
end
return changed
