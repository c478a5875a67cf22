-- Counts one failed sign-in for each key given; a count starts its window at its first failure.
-- KEYS: the counters; ARGV: 1 the window in seconds. Returns nothing.
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then
    redis.call('EXPIRE', key, ARGV[1])
  end
end
return 0
