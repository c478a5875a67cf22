-- Records progress of a running transfer: the record, the contract's progress key (TTL 3600, refreshed
-- on each write) and the lease. Does nothing for a download that is no longer downloading (cancelled,
-- deleted, or recovered by another instance), which tells the worker to stop.
-- KEYS[1] record hash  KEYS[2] download:{id}:progress
-- ARGV[1] id  ARGV[2] progress JSON (record field)  ARGV[3] snapshot JSON (progress key)
-- ARGV[4] lease expiry (ms)  ARGV[5] current file name
-- Returns 1 when recorded, 0 when the worker should stop.
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
if redis.call('HGET', KEYS[1], 'status') ~= 'downloading' then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[2], 'current_filename', ARGV[5])
redis.call('SET', KEYS[2], ARGV[3], 'EX', 3600)
redis.call('ZADD', 'hermes:queue:leases', 'XX', ARGV[4], ARGV[1])
bump_views('downloads')
return 1
