-- Reads a Chorus channel's position and history in one step (a publish cannot fall in between).
-- KEYS[1] stream  KEYS[2] meta
-- ARGV[1] since offset ('-1': none)  ARGV[2] since epoch  ARGV[3] limit (negative: all, 0: position only)
-- ARGV[4] '1' for newest first  ARGV[5] epoch suffix  ARGV[6] meta TTL ms
-- Returns {offset, epoch, id1, body1, id2, body2, ...}.
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
local meta = redis.call('HMGET', KEYS[2], 'o', 'e')
local epoch = meta[2]
if not epoch then
  -- an empty (or lost) stream gets its epoch now, so a subscriber holding (0, epoch) can recover
  -- the first publication, which continues this epoch
  epoch = string.format('%x', tonumber(t[1]) * 1000000 + tonumber(t[2])) .. ARGV[5]
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
  return {0, epoch}
end
local top = tonumber(meta[1])
local out = {top, epoch}
local limit = tonumber(ARGV[3])
if limit == 0 then
  return out
end
local after = 0
if ARGV[1] ~= '-1' and ARGV[2] == epoch then
  after = math.max(0, tonumber(ARGV[1]))
end
if after >= top then
  return out
end
local batch = limit
if batch < 0 or batch > 1000 then
  batch = 1000
end
local n = 0
local reverse = ARGV[4] == '1'
local lo = (after + 1) .. '-0'
local cursor = '+'
if not reverse then
  cursor = lo
end
while true do
  local es
  if reverse then
    es = redis.call('XREVRANGE', KEYS[1], cursor, lo, 'COUNT', batch)
  else
    es = redis.call('XRANGE', KEYS[1], cursor, '+', 'COUNT', batch)
  end
  for _, e in ipairs(es) do
    -- fields by name: an entry written by something else must not break the script
    local x = tonumber(field(e[2], 'x')) or 0
    if x == 0 or x > now then
      out[#out + 1] = e[1]
      out[#out + 1] = field(e[2], 'b') or ''
      n = n + 1
      if limit > 0 and n >= limit then
        return out
      end
    end
  end
  if #es < batch then
    return out
  end
  cursor = '(' .. es[#es][1]
end
