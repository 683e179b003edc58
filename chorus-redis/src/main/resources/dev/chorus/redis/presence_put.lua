-- Last-writer-wins put of one presence entry.
-- KEYS[1] presence hash  KEYS[2] presence expiry zset
-- ARGV[1] client id  ARGV[2] clock  ARGV[3] "<clock> <ClientInfo JSON>"  ARGV[4] TTL ms
-- Returns 1 when stored, 0 when a live entry with a higher clock was kept.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local client = ARGV[1]
local exp = tonumber(redis.call('ZSCORE', KEYS[2], client))
if exp and exp > now then
  local old = redis.call('HGET', KEYS[1], client)
  if old then
    local oldClock = tonumber(string.match(old, '^(%-?%d+) '))
    if oldClock and oldClock > tonumber(ARGV[2]) then
      return 0
    end
  end
end
local ttl = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], client, ARGV[3])
redis.call('ZADD', KEYS[2], now + ttl, client)
-- lazy cleanup of entries that expired without a remove (crashed nodes)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 32)
if #expired > 0 then
  redis.call('HDEL', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
for i = 1, 2 do
  if redis.call('PTTL', KEYS[i]) < ttl then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
return 1
