-- Ends a sign-in session: its record and its access token go, and every instance hears of it on the
-- revocation channel (ending the streams opened with it). Refresh tokens issued to it find no session after.
-- KEYS: 1 hermes:session:{id}
-- ARGV: 1 the key prefix "hermes:session:", 2 the revocation channel, 3 the credential id "session:{id}"
-- Returns 1 when the session existed.
for _, field in ipairs({'access_hash', 'previous_access_hash'}) do
  local hash = redis.call('HGET', KEYS[1], field)
  if hash and hash ~= '' then
    redis.call('DEL', ARGV[1] .. 'access:' .. hash)
  end
end
local existed = redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return existed
