-- Makes a download no longer list a file of it that was deleted (DELETE /files), so that listings,
-- the history and the files endpoints stay true. The record, its statistics and its indexes stay.
-- KEYS[1] record hash
-- ARGV[1] the file's path exactly as the record names it (relative to the download directory)
-- ARGV[2] the record's `files` (a JSON array) as the caller read it, '' when it had none
-- ARGV[3] `files` without the path, '' when it had none
-- Returns 'ok'; 'missing' when there is no such download; 'changed' when `files` is no longer ARGV[2]
-- (another deletion came first): the caller reads the record again and retries.
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
if not redis.call('HGET', KEYS[1], 'status') then return 'missing' end
local files = redis.call('HGET', KEYS[1], 'files') or ''
if files ~= ARGV[2] then return 'changed' end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'files', ARGV[3]) end
if redis.call('HGET', KEYS[1], 'file_path') == ARGV[1] then redis.call('HDEL', KEYS[1], 'file_path') end
bump_views('downloads')
return 'ok'
