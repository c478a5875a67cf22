-- Removes a download's record and every index entry. Per-day statistics are history and stay.
-- KEYS[1] record hash  ARGV[1] id
-- Returns the record's file_path (or '') when deleted, false when there was no such download.
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
return path
