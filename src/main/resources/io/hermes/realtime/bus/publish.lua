-- Publishes one replayable Hermes event, atomically.
-- KEYS[1]  the replay stream: hermes:events
-- ARGV[1]  events to retain (HERMES_SSE_REPLAY_SIZE; trimming is approximate, never below it)
-- ARGV[2]  the pub/sub channel, e.g. queue:updates
-- ARGV[3]  the envelope without "id": {"type":…,"data":{…},"timestamp":…}
-- Returns the stream id, which the live copy carries as "id" so clients can resume after it.
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'channel', ARGV[2], 'envelope', ARGV[3])
redis.call('PUBLISH', ARGV[2], '{"id":"' .. id .. '",' .. string.sub(ARGV[3], 2))
return id
