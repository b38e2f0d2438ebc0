"""The Redis cache backend (``config.redis_cache``) against a real Redis server: what is
stored is read back, counters count, many threads share it, and each connection pool has
one client (Django's own builds one per operation)."""

import threading

import redis

from config.redis_cache import RedisCache


def test_values_counters_and_threads_through_one_client(redis_url):
    location = redis_url.rsplit("/", 1)[0] + "/3"
    redis.Redis.from_url(location).flushdb()
    cache = RedisCache(location, {"KEY_PREFIX": "test"})
    cache.set("page", (1, b"<html>", "text/html"), 30)
    assert cache.get_many(["page", "absent"]) == {"page": (1, b"<html>", "text/html")}
    assert cache.add("version", 7, None) and not cache.add("version", 9, None)
    assert cache.incr("version") == 8
    failures = []

    def work(n):
        try:
            for i in range(100):
                cache.set(f"key-{n}", i, 30)
                assert cache.get(f"key-{n}") == i
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cache.get_many([f"key-{n}" for n in range(8)]) == {f"key-{n}": 99 for n in range(8)}
    assert cache._cache.get_client(write=True) is cache._cache.get_client()
    cache.delete_many(["page", "version"])
    assert cache.get("page") is None and cache.get("version") is None
