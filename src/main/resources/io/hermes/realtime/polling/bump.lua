-- Gives the polled views built from what a write changed a new version, so their ETags change.
-- Run it in the same MULTI as the write (or copy its lines into the write's own script, as the scripts
-- of the downloads package do), never after it: a reader must not see the new data under the old version.
-- KEYS[1]  hermes:views
-- ARGV[…]  the views whose data changed: downloads, history, notifications
-- A version that does not exist yet starts at Redis's clock in microseconds rather than at 0, so after
-- Redis lost its data the versions never fall back to numbers an ETag or a cached body was made for.
local now = redis.call('TIME')
local start = now[1] .. string.format('%06d', tonumber(now[2]))
for _, view in ipairs(ARGV) do
  redis.call('HSETNX', KEYS[1], view, start)
  redis.call('HINCRBY', KEYS[1], view, 1)
end
return true
