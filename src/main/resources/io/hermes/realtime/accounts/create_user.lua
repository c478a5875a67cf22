-- Creates an account atomically: the first account ever is admin, and two signups at once cannot both be
-- first. Later signups need the public-signup switch (stored, else the default given).
-- KEYS: 1 the user's hash, 2 the username index, 3 the email index, 4 the set of ids, 5 hermes:settings
-- ARGV: 1 id, 2 username, 3 email, 4 password hash, 5 created_at,
--       6 "signup" (refused when signup is closed) or "admin" (an admin creates the account),
--       7 "1" when public signup is on by default, 8 "1" to make the account admin (for "admin" only)
-- Returns "closed", "username", "email" (taken), or "admin"/"user" for the account created.
local first = redis.call('SCARD', KEYS[4]) == 0
if not first and ARGV[6] == 'signup' then
  local switch = redis.call('HGET', KEYS[5], 'allow_public_signup')
  local open = switch == '1' or (switch == false and ARGV[7] == '1')
  if not open then
    return 'closed'
  end
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return 'username'
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  return 'email'
end
local admin = '0'
if first or (ARGV[6] == 'admin' and ARGV[8] == '1') then
  admin = '1'
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'username', ARGV[2], 'email', ARGV[3], 'password', ARGV[4],
  'created_at', ARGV[5], 'is_admin', admin, 'is_active', '1')
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
if admin == '1' then
  return 'admin'
end
return 'user'
