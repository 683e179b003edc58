-- The live presence entries of a channel; drops some expired ones on the way.
-- KEYS[1] presence hash  KEYS[2] presence expiry zset
-- Returns {value1, value2, ...} ("<clock> <ClientInfo JSON>").
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 128)
if #expired > 0 then
  redis.call('HDEL', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')
if #live == 0 then
  return {}
end
local out = {}
-- HMGET in chunks: unpack() of a very large table would overflow Lua's stack
for i = 1, #live, 1000 do
  local chunk = {}
  for j = i, math.min(i + 999, #live) do
    chunk[#chunk + 1] = live[j]
  end
  local values = redis.call('HMGET', KEYS[1], unpack(chunk))
  for _, v in ipairs(values) do
    if v then
      out[#out + 1] = v
    end
  end
end
return out
