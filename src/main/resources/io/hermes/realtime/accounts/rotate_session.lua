-- Rotates a sign-in session's refresh token, or ends the session when the token shown was already rotated
-- (someone kept a copy: reuse detection). One script, so two refreshes with one token cannot both succeed.
-- KEYS: 1 hermes:session:refresh:{hash of the token shown}
-- ARGV: 1 that hash, 2 the new refresh hash, 3 the new access hash, 4 access ttl (s), 5 refresh ttl (s),
--       6 the revocation channel, 7 the key prefix "hermes:session:", 8 now (ms), 9 the reuse grace (ms),
--       10 the new pair sealed with the token shown (empty when there is no grace)
-- Returns {"unknown"}, {"reused", session id}, {"rotated", session id, user id}, or, for the token replaced
-- last shown again within the grace, {"replayed", session id, user id, the pair sealed when it was replaced}.
local sid = redis.call('GET', KEYS[1])
if not sid then
  return {'unknown'}
end
local prefix = ARGV[7]
local session = prefix .. sid
local current = redis.call('HGET', session, 'refresh_hash')
if not current then
  return {'unknown'}
end
if current ~= ARGV[1] and ARGV[1] == redis.call('HGET', session, 'previous_hash') then
  local rotated = tonumber(redis.call('HGET', session, 'rotated_ms') or '0')
  local sealed = redis.call('HGET', session, 'grace_pair')
  if sealed and sealed ~= '' and tonumber(ARGV[8]) - rotated <= tonumber(ARGV[9]) then
    return {'replayed', sid, redis.call('HGET', session, 'user_id'), sealed}
  end
end
local access = redis.call('HGET', session, 'access_hash')
local earlier = redis.call('HGET', session, 'previous_access_hash')
if current ~= ARGV[1] then
  for _, hash in ipairs({access, earlier}) do
    if hash and hash ~= '' then redis.call('DEL', prefix .. 'access:' .. hash) end
  end
  redis.call('DEL', session)
  redis.call('PUBLISH', ARGV[6], 'session:' .. sid)
  return {'reused', sid}
end
-- The access token being replaced: requests of the client's that are still under way carry it (the app
-- sends several at once, and refreshes for each), so it lives on for the grace, then goes; none: at once.
local grace = math.floor(tonumber(ARGV[9]) / 1000)
if access then
  local key = prefix .. 'access:' .. access
  if grace > 0 then
    if redis.call('TTL', key) > grace then redis.call('EXPIRE', key, grace) end
  else
    redis.call('DEL', key)
  end
end
local user = redis.call('HGET', session, 'user_id')
redis.call('HSET', session, 'refresh_hash', ARGV[2], 'access_hash', ARGV[3], 'previous_hash', ARGV[1],
  'previous_access_hash', access or '', 'rotated_ms', ARGV[8], 'grace_pair', ARGV[10])
redis.call('EXPIRE', session, ARGV[5])
redis.call('HSET', prefix .. 'access:' .. ARGV[3], 'session', sid, 'user', user)
redis.call('EXPIRE', prefix .. 'access:' .. ARGV[3], ARGV[4])
redis.call('SET', prefix .. 'refresh:' .. ARGV[2], sid, 'EX', ARGV[5])
return {'rotated', sid, user}
