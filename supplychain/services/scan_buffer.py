"""The scan buffer: a trace-page view records its scan in Redis (one round trip) and a
Celery task writes the buffered scans to the database in batches.

In Redis, for a code with primary key ``id``:

- ``trace:count:<id>`` (a hash: ``c`` the scan count, ``f`` the first scan's time) counts
  the scans as the page shows them. It is seeded from the database the first time it is
  needed and incremented by the same Lua script that buffers the scan, so two concurrent
  first scans of one code get counts 1 and 2: exactly one of them sees the first-scan
  notice.
- ``trace:seen:<id>:<client>`` marks that this client's scan of the code was recorded in
  the last ``TRACE_SCAN_REPEAT_SECONDS``; a repeat inside that window shows the page
  without recording another scan.
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
import time
import uuid
from datetime import datetime

import redis
from django.conf import settings
from django.db import connection, transaction

from ..models import Scan, TraceCode

PENDING = "trace:scans:pending"
PROCESSING = "trace:scans:processing"
COUNTER_TTL = 7 * 24 * 3600

_clients: dict[str, redis.Redis] = {}
_down_until = 0.0

# KEYS: seen marker, counter hash, pending list.
# ARGV: repeat window (s, 0 = always record), seeded count, seeded first time, now,
#       counter TTL, scan JSON (without its count).
# Returns {recorded 0/1, count, first time}.
_RECORD = """
local recorded = 1
if tonumber(ARGV[1]) > 0 then
  if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then recorded = 0 end
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'c', ARGV[2], 'f', ARGV[3])
end
local count = tonumber(redis.call('HGET', KEYS[2], 'c'))
local first = redis.call('HGET', KEYS[2], 'f')
if recorded == 1 then
  count = redis.call('HINCRBY', KEYS[2], 'c', 1)
  if first == '' then
    first = ARGV[4]
    redis.call('HSET', KEYS[2], 'f', first)
  end
  local scan = cjson.decode(ARGV[6])
  scan['c'] = count
  redis.call('RPUSH', KEYS[3], cjson.encode(scan))
end
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {recorded, count, first}
"""


def client() -> redis.Redis | None:
    """The Redis client of ``REDIS_URL`` (short timeouts), or ``None`` when unset or
    recently unreachable."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _down_until:
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


def buffer_scan(scan: dict, *, trace_id: int | None, client_key: str, seed_count: int,
                seed_first: datetime | None, now: datetime) -> tuple[bool, int, str] | None:
    """Buffer one scan; returns ``(recorded, count, first scan ISO time)`` or ``None`` when
    Redis is not there (the caller then writes the scan itself)."""
    conn = client()
    if conn is None:
        return None
    key = str(trace_id) if trace_id else "unknown"
    window = settings.TRACE_SCAN_REPEAT_SECONDS if trace_id else 0
    try:
        recorded, count, first = conn.eval(
            _RECORD, 3, f"trace:seen:{key}:{client_key}", f"trace:count:{key}", PENDING,
            window, seed_count, seed_first.isoformat() if seed_first else "",
            now.isoformat(), COUNTER_TTL, json.dumps({**scan, "k": uuid.uuid4().hex}))
    except redis.RedisError:
        mark_down()
        return None
    first = first.decode() if isinstance(first, bytes) else first
    return bool(recorded), int(count), first


def forget_counter(trace_id: int) -> None:
    """Drop a code's Redis counter (tests, and a code whose count was rewritten)."""
    conn = client()
    if conn is not None:
        try:
            conn.delete(f"trace:count:{trace_id}")
        except redis.RedisError:
            mark_down()


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
RETURNING trace_code_id, scanned_at"""

_COUNT = """
UPDATE {codes} AS t SET scan_count = t.scan_count + n.added,
       first_scanned_at = LEAST(COALESCE(t.first_scanned_at, n.first), n.first),
       last_scanned_at = GREATEST(COALESCE(t.last_scanned_at, n.last), n.last)
FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[], %s::timestamptz[])
     AS n(id, added, first, last)
WHERE t.id = n.id"""


def write_batch(items: list[bytes]) -> int:
    """Insert buffered scans (each once) and add them to their codes' counters, in one
    transaction; returns the rows inserted."""
    scans = [json.loads(item) for item in items]
    threshold = settings.TRACE_SCAN_ALERT_THRESHOLD
    columns = [[] for _i in range(11)]
    for s in scans:
        too_many = bool(s.get("id")) and s.get("c", 0) > threshold
        flagged = s["ni"] or s["bs"] or too_many
        for column, value in zip(columns, (
                s["k"], s.get("id"), s["t"], s["at"], s["s"], s["n"], s["ua"], s["ni"],
                s["bs"], too_many, flagged), strict=True):
            column.append(value)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_INSERT.format(scans=Scan._meta.db_table), columns)
        inserted = cursor.fetchall()
        per_code: dict[int, list] = {}
        for trace_id, at in inserted:
            if trace_id is None:
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
