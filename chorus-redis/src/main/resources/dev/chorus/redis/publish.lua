-- Publishes one publication of a Chorus channel: idempotency check, offset, history, fan-out,
-- all in one script so they are atomic per channel.
-- KEYS[1] stream  KEYS[2] meta  KEYS[3] idempotency hash  KEYS[4] idempotency expiry zset
-- ARGV[1] Pub/Sub channel   ARGV[2] publication body   ARGV[3] history size   ARGV[4] history TTL ms
-- ARGV[5] idempotency key ('' for none)   ARGV[6] idempotency window ms   ARGV[7] epoch suffix
-- ARGV[8] meta TTL ms   ARGV[9] 'SPUBLISH' or 'PUBLISH'   ARGV[10] max idempotency keys
-- Returns {duplicate (0/1), offset, epoch}.
local function field(f, name)
  for i = 1, #f, 2 do
    if f[i] == name then
      return f[i + 1]
    end
  end
  return nil
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = ARGV[5]
if key ~= '' then
  local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 32)
  if #expired > 0 then
    redis.call('HDEL', KEYS[3], unpack(expired))
    redis.call('ZREM', KEYS[4], unpack(expired))
  end
  local seen = redis.call('HGET', KEYS[3], key)
  if seen then
    local untilMs = tonumber(redis.call('ZSCORE', KEYS[4], key))
    if untilMs and untilMs > now then
      local sp = string.find(seen, ' ', 1, true)
      return {1, tonumber(string.sub(seen, 1, sp - 1)), string.sub(seen, sp + 1)}
    end
  end
end

local size = tonumber(ARGV[3])
local offset = 0
local epoch = ''
if size > 0 then
  local ttl = tonumber(ARGV[4])
  local metaTtl = tonumber(ARGV[8])
  local meta = redis.call('HMGET', KEYS[2], 'o', 'e')
  epoch = meta[2]
  if not epoch then
    -- the stream is new or was lost: a new epoch from the Redis clock (microseconds) and a random
    -- suffix, so it differs from every epoch this channel had before
    epoch = string.format('%x', tonumber(t[1]) * 1000000 + tonumber(t[2])) .. ARGV[7]
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[2], 'e', epoch, 'o', 1)
    offset = 1
  else
    offset = redis.call('HINCRBY', KEYS[2], 'o', 1)
  end
  local expires = 0
  if ttl > 0 then
    expires = now + ttl
  end
  redis.call('XADD', KEYS[1], 'MAXLEN', size, offset .. '-0', 'b', ARGV[2], 'x', expires)
  -- drop expired entries at the head (bounded work; reads skip the others)
  local head = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 16)
  local gone = {}
  for _, e in ipairs(head) do
    -- fields by name: an entry written by something else must not break the script
    local x = tonumber(field(e[2], 'x')) or 0
    if x > 0 and x <= now then
      gone[#gone + 1] = e[1]
    else
      break
    end
  end
  if #gone > 0 then
    redis.call('XDEL', KEYS[1], unpack(gone))
  end
  -- idle channels vanish: the stream with its entries' TTL, offset and epoch after the meta TTL
  local keep = ttl
  if keep <= 0 then
    keep = metaTtl
  end
  if redis.call('PTTL', KEYS[1]) < keep then
    redis.call('PEXPIRE', KEYS[1], keep)
  end
  local metaKeep = math.max(keep, metaTtl)
  if redis.call('PTTL', KEYS[2]) < metaKeep then
    redis.call('PEXPIRE', KEYS[2], metaKeep)
  end
end

-- published after the history write, inside the script: a node that receives it can read it
redis.call(ARGV[9], ARGV[1], 'P' .. offset .. ' ' .. epoch .. ' ' .. ARGV[2])

if key ~= '' then
  local window = tonumber(ARGV[6])
  if window > 0 then
    redis.call('HSET', KEYS[3], key, offset .. ' ' .. epoch)
    redis.call('ZADD', KEYS[4], now + window, key)
    local n = redis.call('ZCARD', KEYS[4])
    local max = tonumber(ARGV[10])
    if n > max then
      local popped = redis.call('ZPOPMIN', KEYS[4], n - max)
      for i = 1, #popped, 2 do
        redis.call('HDEL', KEYS[3], popped[i])
      end
    end
    for i = 3, 4 do
      if redis.call('PTTL', KEYS[i]) < window then
        redis.call('PEXPIRE', KEYS[i], window)
      end
    end
  end
end
return {0, offset, epoch}
