-- Removes a download's record and every index entry. Per-day statistics are history and stay.
-- KEYS[1] record hash  ARGV[1] id
-- Returns the record's file_path (or '') when deleted, false when there was no such download.
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
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
local id = ARGV[1]
local owner = redis.call('HGET', KEYS[1], 'owner')
local path = redis.call('HGET', KEYS[1], 'file_path') or ''
redis.call('DEL', KEYS[1], 'download:' .. id .. ':progress')
redis.call('ZREM', 'hermes:downloads', id)
redis.call('ZREM', 'hermes:downloads:owner:' .. owner, id)
redis.call('ZREM', 'hermes:downloads:status:' .. status, id)
redis.call('ZREM', 'hermes:downloads:owner:' .. owner .. ':status:' .. status, id)
redis.call('ZREM', 'hermes:history', id)
redis.call('ZREM', 'hermes:history:owner:' .. owner, id)
redis.call('ZREM', 'hermes:queue:leases', id)
redis.call('LREM', 'hermes:queue:pending', 0, id)
bump_views('downloads', 'history')
return path
