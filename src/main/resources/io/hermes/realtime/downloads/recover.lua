-- Returns downloads whose lease expired (their instance died or lost Redis for too long) to the queue,
-- or fails them after too many attempts. Runs on any instance; atomic, so two sweepers never both act.
-- ARGV[1] now (ms)  ARGV[2] max attempts  ARGV[3] completed_at (ISO)  ARGV[4] UTC day  ARGV[5] UTC hour
-- Returns a flat list: id, new status, id, new status, …
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
  end
end
return changed
