-- Removes one presence entry.
-- KEYS[1] presence hash  KEYS[2] presence expiry zset   ARGV[1] client id
-- Returns 1 when a live entry was removed, else 0.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local exp = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]))
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if exp and exp > now then
  return 1
end
return 0
