"""The scan buffer: a trace-page view records its scan in Redis (one round trip) and a
Celery task writes the buffered scans to the database in batches.

In Redis, for a code with primary key ``id``:

- the trace pages' versions (``shop.versions``: ``version:trace`` for every page,
  ``version:lot:<id>`` for one graded lot's) live here (:data:`STORE`): the script that
  records a scan first compares them with the stamp of the page entry the view holds, and
  records nothing when they differ (the view then reads the entry again), so checking
  that a page is current costs no round trip of its own.
- ``trace:count:<id>`` (a hash: ``c`` the scan count, ``f`` the first scan's time) counts
  the scans as the page shows them. It is seeded from the database the first time it is
  needed and incremented by the same Lua script that buffers the scan, so two concurrent
  first scans of one code get counts 1 and 2: exactly one of them sees the first-scan
  notice.
- ``trace:seen:<id>:<client>`` marks that this client's scan of the code was recorded in
  the last ``TRACE_SCAN_REPEAT_SECONDS``; a repeat inside that window shows the page
  without recording another scan.
- ``trace:unknown:<client>`` counts a client's look-ups of codes never issued in the
  current ``TRACE_UNKNOWN_WINDOW_SECONDS``; beyond ``TRACE_UNKNOWN_BUDGET`` the script
  records nothing and answers how long the client has to wait.
- ``trace:scans:pending`` (a list) holds the buffered scans, each a JSON object with its
  own idempotency key. The writer moves a batch atomically (``LMOVE``) onto
  ``trace:scans:processing``, inserts it with ``ON CONFLICT (idempotency_key) DO
  NOTHING`` and adds to the codes' counters only the rows it inserted, in one
  transaction, and only then removes the batch from the processing list. A writer that
  dies before the commit leaves the batch in the processing list, and one that dies after
  it leaves rows the next writer's insert skips: every scan arrives exactly once.

Without ``REDIS_URL``, or while Redis does not answer, :func:`buffer_scan` returns
``None`` and the caller writes the scan directly (``scans.record_scan``). After a failure
Redis is left alone for a few seconds, so an unreachable server costs one timeout, not one
per page."""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection, transaction

from shop import versions

from ..models import Scan, TraceCode

log = logging.getLogger(__name__)

PENDING = "trace:scans:pending"
PROCESSING = "trace:scans:processing"
COUNTER_TTL = 7 * 24 * 3600

_clients: dict[str, redis.Redis] = {}
_scripts: dict[int, object] = {}
_down_until = 0.0

# A client's look-up of a code never issued, counted against its budget: 0 within it,
# else the seconds until the window ends.
_OVER_BUDGET = """
local function over_budget(key, window, budget)
  local used = redis.call('INCR', key)
  if used == 1 then redis.call('EXPIRE', key, window) end
  if used <= budget then return 0 end
  local wait = redis.call('TTL', key)
  if wait < 1 then wait = window end
  return wait
end
"""

# KEYS: the n version keys of the entry's stamp, then the seen marker (a known code) or
#       budget counter (a code never issued), counter hash, pending list.
# ARGV: 1 expected stamp (the versions joined by ','; '' = any), 2 repeat window or budget
#       window (s, 0 = always record), 3 budget of unknown look-ups ('' = a known code),
#       4 seeded count, 5 seeded first time, 6 now, 7 counter TTL, 8 scan JSON (without
#       its count), 9 a random first value of a missing version, 10 n, 11 '0' when the
#       scan is kept without adding to the code's count (a touch screen's), else '1'.
# Returns {outcome, count or seconds to wait, first time, current stamp}; outcome 1
# recorded, 0 a repeat (shown, not recorded), -1 the expected stamp is not current, -2
# over the budget of unknown look-ups.
_RECORD = _OVER_BUDGET + """
local n = tonumber(ARGV[10])
local versions = {}
for i = 1, n do
  local value = redis.call('GET', KEYS[i])
  if not value then
    redis.call('SET', KEYS[i], ARGV[9], 'NX')
    value = redis.call('GET', KEYS[i])
  end
  versions[i] = value
end
local current = table.concat(versions, ',')
if ARGV[1] ~= '' and ARGV[1] ~= current then return {-1, 0, '', current} end
local recorded = 1
if ARGV[3] ~= '' then
  local wait = over_budget(KEYS[n + 1], tonumber(ARGV[2]), tonumber(ARGV[3]))
  if wait > 0 then return {-2, wait, '', current} end
elseif tonumber(ARGV[2]) > 0 then
  if not redis.call('SET', KEYS[n + 1], '1', 'NX', 'EX', ARGV[2]) then recorded = 0 end
end
if redis.call('EXISTS', KEYS[n + 2]) == 0 then
  redis.call('HSET', KEYS[n + 2], 'c', ARGV[4], 'f', ARGV[5])
end
local count = tonumber(redis.call('HGET', KEYS[n + 2], 'c'))
local first = redis.call('HGET', KEYS[n + 2], 'f')
if recorded == 1 then
  if ARGV[11] ~= '0' then
    count = redis.call('HINCRBY', KEYS[n + 2], 'c', 1)
    if first == '' then
      first = ARGV[6]
      redis.call('HSET', KEYS[n + 2], 'f', first)
    end
  end
  local scan = cjson.decode(ARGV[8])
  scan['c'] = count
  redis.call('RPUSH', KEYS[n + 3], cjson.encode(scan))
end
redis.call('EXPIRE', KEYS[n + 2], ARGV[7])
return {recorded, count, first, current}
"""

def configured() -> bool:
    """Whether this installation has Redis (``REDIS_URL``), reachable or not."""
    return bool(getattr(settings, "REDIS_URL", ""))


def client(*, even_if_down: bool = False) -> redis.Redis | None:
    """The Redis client of ``REDIS_URL`` (short timeouts), or ``None`` when unset or
    recently unreachable (unless ``even_if_down``)."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or (time.monotonic() < _down_until and not even_if_down):
        return None
    found = _clients.get(url)
    if found is None:
        found = _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=0.25, socket_timeout=0.5, health_check_interval=30)
    return found


def mark_down() -> None:
    """Redis failed: write scans directly for the next few seconds."""
    global _down_until
    _down_until = time.monotonic() + settings.TRACE_REDIS_RETRY_SECONDS


class RedisStore(versions.Store):
    """The trace pages' versions: in Redis beside the scans when there is one (read in
    one round trip, and checked by the script that records a scan), else in Django's
    cache. While Redis does not answer they cannot be read (nothing is cached), and a
    raise is tried anyway: a missed raise would leave pages stale."""

    def read(self, keys):
        if not configured():
            return super().read(keys)
        conn = client()
        if conn is None:
            return None
        try:
            pipe = conn.pipeline(transaction=False)
            for key in keys:
                pipe.set(key, versions.random_start(), nx=True)
            for key in keys:
                pipe.get(key)
            return tuple(int(value) for value in pipe.execute()[len(keys):])
        except redis.RedisError:
            mark_down()
            return None

    def bump(self, keys):
        if not configured():
            return super().bump(keys)
        conn = client(even_if_down=True)
        try:
            pipe = conn.pipeline(transaction=False)
            for key in keys:
                pipe.set(key, versions.random_start(), nx=True)
                pipe.incr(key)
            pipe.execute()
        except redis.RedisError:
            mark_down()
            log.warning("trace pages not invalidated: Redis did not answer (%s)", keys)


STORE = RedisStore()


@dataclass(frozen=True)
class Buffered:
    """What the script answered: ``outcome`` (``RECORDED``, ``REPEAT``, ``STALE``,
    ``OVER_BUDGET``), the code's count (or, over the budget, the seconds to wait), its
    first scan's ISO time, and the current stamp of the versions it was given."""

    outcome: int
    count: int
    first: str
    stamp: tuple[int, ...]


RECORDED, REPEAT, STALE, OVER_BUDGET = 1, 0, -1, -2


def _script(conn: redis.Redis):
    # Sent once per connection pool, then called by its SHA (EVALSHA, reloaded by
    # redis-py after a server restart).
    found = _scripts.get(id(conn))
    if found is None:
        found = _scripts[id(conn)] = conn.register_script(_RECORD)
    return found


def buffer_scan(scan: dict, *, trace_id: int | None, client_key: str, seed_count: int,
                seed_first: datetime | None, now: datetime,
                stamp_keys: list[str] = (), expected_stamp: tuple[int, ...] | None = None,
                unknown_budget: int | None = None, counted: bool = True) -> Buffered | None:
    """Buffer one scan; returns what the script answered, or ``None`` when Redis is not
    there (the caller then writes the scan itself).

    With ``expected_stamp`` (the values of the versions ``stamp_keys`` the caller's page
    entry was built at) the scan is recorded only while they are current (outcome
    ``STALE`` otherwise); the answer carries their current values either way. With
    ``unknown_budget`` (a code never issued) the scan counts against the client's budget of
    such look-ups and is not recorded beyond it (outcome ``OVER_BUDGET``). A scan not
    ``counted`` is kept (``scan["nc"]``) without adding to the code's count, which it
    answers as it stands."""
    conn = client()
    if conn is None:
        return None
    key = str(trace_id) if trace_id else "unknown"
    budget = ""  # a known code: its client's repeat window instead
    if trace_id:
        limit_key = f"trace:seen:{key}:{client_key}"
        window = settings.TRACE_SCAN_REPEAT_SECONDS
    elif unknown_budget is not None:
        limit_key, budget = f"trace:unknown:{client_key}", unknown_budget
        window = settings.TRACE_UNKNOWN_WINDOW_SECONDS
    else:
        limit_key, window = f"trace:seen:{key}:{client_key}", 0
    stamp_keys = list(stamp_keys)
    try:
        outcome, count, first, current = _script(conn)(
            keys=[*stamp_keys, limit_key, f"trace:count:{key}", PENDING],
            args=["" if expected_stamp is None else ",".join(map(str, expected_stamp)),
                  window, budget, seed_count, seed_first.isoformat() if seed_first else "",
                  now.isoformat(), COUNTER_TTL, json.dumps({**scan, "k": uuid.uuid4().hex}),
                  versions.random_start(), len(stamp_keys), "1" if counted else "0"])
    except redis.RedisError:
        mark_down()
        return None
    first = first.decode() if isinstance(first, bytes) else first
    current = current.decode() if isinstance(current, bytes) else current
    return Buffered(int(outcome), int(count), first,
                    tuple(int(value) for value in current.split(",") if value))


def _take_batch(conn: redis.Redis, size: int) -> list[bytes]:
    """The batch to write: what a previous writer left in the processing list, else up to
    ``size`` scans moved there from the pending list (each move atomic)."""
    left = conn.lrange(PROCESSING, 0, size - 1)
    if left:
        return left
    batch = []
    for _i in range(size):
        item = conn.lmove(PENDING, PROCESSING, "LEFT", "RIGHT")
        if item is None:
            break
        batch.append(item)
    return batch


_INSERT = """
INSERT INTO {scans} (idempotency_key, trace_code_id, code_text, scanned_at, source,
                     network, user_agent, never_issued, before_shipping, too_many,
                     is_flagged)
SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::varchar[], %s::timestamptz[],
                     %s::varchar[], %s::varchar[], %s::varchar[], %s::bool[], %s::bool[],
                     %s::bool[], %s::bool[])
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING trace_code_id, scanned_at, idempotency_key::text"""

_COUNT = """
UPDATE {codes} AS t SET scan_count = t.scan_count + n.added,
       first_scanned_at = LEAST(COALESCE(t.first_scanned_at, n.first), n.first),
       last_scanned_at = GREATEST(COALESCE(t.last_scanned_at, n.last), n.last)
FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[], %s::timestamptz[])
     AS n(id, added, first, last)
WHERE t.id = n.id"""


def write_batch(items: list[bytes]) -> int:
    """Insert buffered scans (each once) and add them to their codes' counters (those
    counted: not a touch screen's), in one transaction; returns the rows inserted."""
    scans = [json.loads(item) for item in items]
    uncounted = {uuid.UUID(s["k"]) for s in scans if s.get("nc")}
    threshold = settings.TRACE_SCAN_ALERT_THRESHOLD
    columns = [[] for _i in range(11)]
    for s in scans:
        too_many = bool(s.get("id")) and not s.get("nc") and s.get("c", 0) > threshold
        flagged = s["ni"] or s["bs"] or too_many
        for column, value in zip(columns, (
                s["k"], s.get("id"), s["t"], s["at"], s["s"], s["n"], s["ua"], s["ni"],
                s["bs"], too_many, flagged), strict=True):
            column.append(value)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT.format(scans=Scan._meta.db_table), columns)
        inserted = cursor.fetchall()
        per_code: dict[int, list] = {}
        for trace_id, at, key in inserted:
            if trace_id is None or uuid.UUID(key) in uncounted:
                continue
            entry = per_code.setdefault(trace_id, [0, at, at])
            entry[0] += 1
            entry[1], entry[2] = min(entry[1], at), max(entry[2], at)
        if per_code:
            ids = sorted(per_code)  # rows updated in primary-key order: no deadlocks
            cursor.execute(_COUNT.format(codes=TraceCode._meta.db_table), [
                ids, [per_code[i][0] for i in ids], [per_code[i][1] for i in ids],
                [per_code[i][2] for i in ids]])
    return len(inserted)


def flush(batch_size: int | None = None, max_batches: int = 100) -> int:
    """Write buffered scans until the buffer is empty (at most ``max_batches`` batches);
    returns the scans inserted. Safe to run concurrently and to repeat."""
    conn = client()
    if conn is None:
        return 0
    size = batch_size or settings.TRACE_SCAN_BATCH_SIZE
    written = 0
    for _i in range(max_batches):
        batch = _take_batch(conn, size)
        if not batch:
            break
        written += write_batch(batch)
        # Acknowledged only after the commit: these exact items leave the processing list.
        pipe = conn.pipeline(transaction=False)
        for item in batch:
            pipe.lrem(PROCESSING, 1, item)
        pipe.execute()
    return written


def pending() -> int:
    """Scans buffered and not yet written (pending and in processing)."""
    conn = client()
    if conn is None:
        return 0
    return conn.llen(PENDING) + conn.llen(PROCESSING)
