-- Makes every id the replay stream hands out from now on sort after one that clients have already seen.
-- After a Sentinel failover the new master may lack the last entries the old one appended (replication is
-- asynchronous), and its clock may be behind the old master's: without this, its next ids could sort
-- before ids that browsers hold as their Last-Event-ID, and they would drop those events as already seen.
-- KEYS[1]  the replay stream: hermes:events
-- ARGV[1]  an id clients have seen (MILLIS-SEQ), taken from Redis by the subscriber, never from a client
-- Returns 1 when it moved the stream's last id forward, 0 when new ids already sort after ARGV[1].
local function parse(id)
  local millis, seq = string.match(id, '^(%d+)-(%d+)$')
  if not millis then return nil end
  return millis, seq
end
-- Digit strings compared as numbers of any length: shorter is smaller, then character by character.
local function less(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function before(ms1, seq1, ms2, seq2)
  if ms1 ~= ms2 then return less(ms1, ms2) end
  return less(seq1, seq2)
end
local seen_ms, seen_seq = parse(ARGV[1])
if not seen_ms then return redis.error_reply('ERR not a stream id: ' .. tostring(ARGV[1])) end
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- An empty stream keeps its last id: add the seen id itself and delete it again.
  redis.call('XADD', KEYS[1], ARGV[1], 'channel', 'hermes:fence', 'envelope', '')
  redis.call('XDEL', KEYS[1], ARGV[1])
  return 1
end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then last = info[i + 1] end
end
local last_ms, last_seq = parse(last)
if before(last_ms, last_seq, seen_ms, seen_seq) then
  redis.call('XSETID', KEYS[1], ARGV[1])
  return 1
end
return 0
