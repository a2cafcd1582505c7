/**
 * The Lua scripts of `RedisStateStore`. Each runs atomically in Redis, so every read-then-write of
 * the `StateStore` contract (first binding, lock extension, compare-and-replace, filtered deletes,
 * failure counts) is atomic across instances, and one pick is one round trip. Time is never
 * Redis's own: the caller passes `now` from its injected clock.
 *
 * Data (every key under the store's prefix):
 * - `bindings`: hash session → `touchedAt|accountId`; `binding-order`: sorted set session → use
 *   sequence (`binding-seq`), least recently used first, so eviction and sweeping start there;
 * - `locks`: hash `lockKey` → lock JSON; `failures`: hash account → `{count,lastFailureAt}` JSON;
 * - `counter`, `last-used` (JSON), `fixed` (account id): plain strings.
 */

/** Key names in the order every binding script takes them (KEYS[1..3]). */
export const BINDING_KEYS = ['bindings', 'binding-order', 'binding-seq'] as const;

/**
 * Binding helpers shared by the scripts: `live(session, now, ttl)` returns the live binding's
 * account (or nil), `touch`, `put` (with LRU eviction at `max`) and `drop`.
 */
const BINDING_PRELUDE = `
local function parse(value)
  local bar = string.find(value, '|', 1, true)
  return tonumber(string.sub(value, 1, bar - 1)), string.sub(value, bar + 1)
end
local function live(session, now, ttl)
  local value = redis.call('HGET', KEYS[1], session)
  if not value then return nil end
  local touched, account = parse(value)
  if now - touched >= ttl then return nil end
  return account
end
local function touch(session, account, now)
  redis.call('HSET', KEYS[1], session, now .. '|' .. account)
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), session)
end
local function put(session, account, now, max)
  if redis.call('HEXISTS', KEYS[1], session) == 0 and redis.call('HLEN', KEYS[1]) >= max then
    local oldest = redis.call('ZPOPMIN', KEYS[2])
    if oldest[1] then redis.call('HDEL', KEYS[1], oldest[1]) end
  end
  touch(session, account, now)
end
local function drop(session)
  redis.call('HDEL', KEYS[1], session)
  redis.call('ZREM', KEYS[2], session)
end
local function bind_if_absent(session, account, replacing, force, now, ttl, max)
  if force ~= '1' then
    local current = live(session, now, ttl)
    if current and current ~= replacing then
      touch(session, current, now)
      return current
    end
  end
  put(session, account, now, max)
  return account
end
`;

/**
 * getBinding: KEYS bindings, order, seq; ARGV session, now, ttl. Returns the live account
 * (touched) or false; an expired binding is removed.
 */
export const GET_BINDING = `${BINDING_PRELUDE}
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local account = live(ARGV[1], now, ttl)
if not account then drop(ARGV[1]) return false end
touch(ARGV[1], account, now)
return account`;

/** bindIfAbsent: KEYS as above; ARGV session, account, replacing ('' none), force ('1'), now, ttl, max. */
export const BIND_IF_ABSENT = `${BINDING_PRELUDE}
return bind_if_absent(ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]))`;

/** deleteBinding: KEYS as above; ARGV session, now, ttl, onlyTo ('' any). Returns 1 when a live one went. */
export const DELETE_BINDING = `${BINDING_PRELUDE}
local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return 0 end
local touched, account = parse(value)
if ARGV[4] ~= '' and account ~= ARGV[4] then return 0 end
drop(ARGV[1])
if tonumber(ARGV[2]) - touched >= tonumber(ARGV[3]) then return 0 end
return 1`;

/**
 * deleteBindingsForAccount / clearBindings: KEYS as above; ARGV now, ttl, account ('' every one).
 * A full scan: it runs only on an account's removal or an operator's clear. Returns the live ones removed.
 */
export const DELETE_BINDINGS = `${BINDING_PRELUDE}
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local all = redis.call('HGETALL', KEYS[1])
local removed = 0
for index = 1, #all, 2 do
  local touched, account = parse(all[index + 1])
  if ARGV[3] == '' or account == ARGV[3] then
    drop(all[index])
    if now - touched < ttl then removed = removed + 1 end
  end
end
return removed`;

/** Sweeps expired bindings (a prefix of the use order): KEYS as above; ARGV now, ttl. Returns the live count. */
export const SWEEP_BINDINGS = `${BINDING_PRELUDE}
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
while true do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)
  if not oldest[1] then break end
  local value = redis.call('HGET', KEYS[1], oldest[1])
  if value then
    local touched = parse(value)
    if now - touched < ttl then break end
  end
  drop(oldest[1])
end
return redis.call('HLEN', KEYS[1])`;

/**
 * readForPick: KEYS bindings, order, seq, counter, last-used, fixed; ARGV session ('' none), now,
 * ttl, want last used ('1'). Returns {bound account or '', fixed or '', last used JSON or '', counter}.
 */
export const READ_FOR_PICK = `${BINDING_PRELUDE}
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local bound = ''
if ARGV[1] ~= '' then
  local account = live(ARGV[1], now, ttl)
  if account then touch(ARGV[1], account, now) bound = account end
end
local counter = redis.call('INCR', KEYS[4])
local last = ''
if ARGV[4] == '1' then last = redis.call('GET', KEYS[5]) or '' end
return {bound, redis.call('GET', KEYS[6]) or '', last, counter}`;

/**
 * applyPick: KEYS bindings, order, seq, counter, last-used; ARGV session ('' none), bind account
 * ('' none), replacing, force, unbindFrom ('' none), last used JSON ('' none), skip, now, ttl, max.
 * Returns the bound account or ''.
 */
export const APPLY_PICK = `${BINDING_PRELUDE}
local now, ttl, max = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local bound = ''
if ARGV[1] ~= '' and ARGV[2] ~= '' then
  bound = bind_if_absent(ARGV[1], ARGV[2], ARGV[3], ARGV[4], now, ttl, max)
elseif ARGV[1] ~= '' and ARGV[5] ~= '' then
  local value = redis.call('HGET', KEYS[1], ARGV[1])
  if value then
    local _, account = parse(value)
    if account == ARGV[5] then drop(ARGV[1]) end
  end
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[5], ARGV[6]) end
if tonumber(ARGV[7]) > 0 then redis.call('INCRBY', KEYS[4], ARGV[7]) end
return bound`;

/** extendLock: KEYS locks; ARGV key, lock JSON, its until, now. Returns the lock JSON in force. */
export const EXTEND_LOCK = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then
  local ends = cjson.decode(stored)['until']
  if ends > tonumber(ARGV[4]) and ends >= tonumber(ARGV[3]) then return stored end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]`;

/** replaceLock: KEYS locks; ARGV key, expected source, expected until, next JSON ('' delete). Returns 1 when done. */
export const REPLACE_LOCK = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
local lock = cjson.decode(stored)
if lock['source'] ~= ARGV[2] or lock['until'] ~= tonumber(ARGV[3]) then return 0 end
if ARGV[4] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[4]) end
return 1`;

/**
 * deleteLocks: KEYS locks; ARGV filter JSON `{accountId?, model? (false: account level), source?}`.
 * Returns the JSON of every lock removed.
 */
export const DELETE_LOCKS = `
local filter = cjson.decode(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
local removed = {}
for index = 1, #all, 2 do
  local lock = cjson.decode(all[index + 1])
  local model = lock['model']
  if model == cjson.null then model = false end
  local match = (filter['accountId'] == nil or lock['accountId'] == filter['accountId'])
    and (filter['model'] == nil or model == filter['model'])
    and (filter['source'] == nil or lock['source'] == filter['source'])
  if match then
    redis.call('HDEL', KEYS[1], all[index])
    removed[#removed + 1] = all[index + 1]
  end
end
return removed`;

/** Removes ended locks: KEYS locks; ARGV now. Returns the JSON of the active ones. */
export const ACTIVE_LOCKS = `
local all = redis.call('HGETALL', KEYS[1])
local active = {}
for index = 1, #all, 2 do
  if cjson.decode(all[index + 1])['until'] > tonumber(ARGV[1]) then
    active[#active + 1] = all[index + 1]
  else
    redis.call('HDEL', KEYS[1], all[index])
  end
end
return active`;

/** Failure counts: KEYS failures; ARGV account, now, fade ms, op ('incr' | 'get'). Returns JSON or false. */
export const FAILURE_COUNT = `
local now, fade = tonumber(ARGV[2]), tonumber(ARGV[3])
local stored = redis.call('HGET', KEYS[1], ARGV[1])
local count = 0
if stored then
  local failure = cjson.decode(stored)
  if now - failure['lastFailureAt'] < fade then
    if ARGV[4] == 'get' then return stored end
    count = failure['count']
  else
    redis.call('HDEL', KEYS[1], ARGV[1])
  end
end
if ARGV[4] == 'get' then return false end
local next = cjson.encode({count = count + 1, lastFailureAt = now})
redis.call('HSET', KEYS[1], ARGV[1], next)
return next`;

/**
 * claim: KEYS claim; ARGV holder, now, ttl. The claim is `until|holder`; Redis's own expiry (the
 * same ttl) only removes it afterwards. Returns 1 when the holder holds it afterwards.
 */
export const CLAIM = `
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local value = redis.call('GET', KEYS[1])
if value then
  local bar = string.find(value, '|', 1, true)
  if tonumber(string.sub(value, 1, bar - 1)) > now then
    if string.sub(value, bar + 1) == ARGV[1] then return 1 end
    return 0
  end
end
redis.call('SET', KEYS[1], (now + ttl) .. '|' .. ARGV[1], 'PX', ttl)
return 1`;

/** Releases an exclusive lock only when this holder still has it: KEYS lock; ARGV token. */
export const RELEASE_EXCLUSIVE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
