-- Saves a task session's new state, unless the session ended meanwhile or a later state is stored already
-- (two updates racing), so the stored state is always that of the latest event announced.
-- KEYS[1]  hermes:task:{id}
-- ARGV[1]  the state as JSON    ARGV[2] its status
-- ARGV[3]  the id of the session_status event that announced it (a replay stream id, MS-SEQ)
-- ARGV[4]  seconds to keep the session after this update (HERMES_SESSION_TTL)
-- Returns 1 saved, 0 the stored status is final, -1 no such session, 2 a later state is stored.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  return -1
end
if status == 'completed' or status == 'failed' or status == 'cancelled' then
  return 0
end
local stored = redis.call('HGET', KEYS[1], 'event_id')
if stored and stored ~= '' then
  local storedMs, storedSeq = string.match(stored, '^(%d+)-(%d+)$')
  local newMs, newSeq = string.match(ARGV[3], '^(%d+)-(%d+)$')
  -- Milliseconds since 1970 and sequence numbers stay far below 2^53, where Lua numbers are exact.
  storedMs, storedSeq, newMs, newSeq = tonumber(storedMs), tonumber(storedSeq), tonumber(newMs), tonumber(newSeq)
  if newMs < storedMs or (newMs == storedMs and newSeq <= storedSeq) then
    return 2
  end
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'status', ARGV[2], 'event_id', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
