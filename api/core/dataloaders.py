"""DataLoaders for a synchronous Django view (``graphql-sync-dataloaders``).

One loader instance per request and class: ``ProductByIdLoader(info.context).load(pk)``.
Lists resolve through loaders, so the number of SQL queries for a page does not grow with
the page size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture


class DataLoader(SyncDataLoader):
    def __new__(cls, context):
        store = getattr(context, "dataloaders", None)
        if store is None:
            store = {}
            context.dataloaders = store
        loader = store.get(cls)
        if loader is None:
            loader = super().__new__(cls)
            loader._initialized = False
            store[cls] = loader
        return loader

    def __init__(self, context):
        if self._initialized:
            return
        self._initialized = True
        self.context = context
        super().__init__(self._batch)

    def _batch(self, keys):
        return self.batch_load(list(keys))

    def batch_load(self, keys: list) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def load_many(self, keys: Iterable) -> SyncFuture:
        futures = [self.load(key) for key in keys]
        return gather(futures)


class ByIdLoader(DataLoader):
    """Rows of ``model`` by primary key (``None`` for a missing one), with ``related``
    foreign keys joined in the same query."""

    model = None
    related: tuple = ()

    def batch_load(self, keys):
        queryset = self.model.objects.all()
        if self.related:
            queryset = queryset.select_related(*self.related)
        rows = queryset.in_bulk(keys)
        return [rows.get(key) for key in keys]


def then(value, fn: Callable):
    """Apply ``fn`` to a loaded value, now if it is ready, else once it is."""
    if not isinstance(value, SyncFuture):
        return fn(value)
    if value.done():
        return fn(value.result())
    out = SyncFuture()
    out.deferred_callback = value.deferred_callback

    def _done():
        try:
            out.set_result(fn(value.result()))
        except Exception as error:  # noqa: BLE001 - passed on to GraphQL
            out.set_exception(error)

    value.add_done_callback(_done)
    return out


def gather(futures: list) -> SyncFuture:
    """A future of the list of results of ``futures``."""
    out = SyncFuture()
    pending = [f for f in futures if isinstance(f, SyncFuture) and not f.done()]
    if not pending:
        out.set_result([f.result() if isinstance(f, SyncFuture) else f for f in futures])
        return out
    # Futures from different loaders each need their loader's queue dispatched.
    callbacks = list(dict.fromkeys(f.deferred_callback for f in pending if f.deferred_callback))
    if callbacks:
        out.deferred_callback = lambda: [callback() for callback in callbacks]
    remaining = {"n": len(pending)}

    def _one_done():
        remaining["n"] -= 1
        if remaining["n"] == 0 and not out.done():
            try:
                out.set_result([f.result() if isinstance(f, SyncFuture) else f for f in futures])
            except Exception as error:  # noqa: BLE001
                out.set_exception(error)

    for future in pending:
        future.add_done_callback(_one_done)
    return out


def by_key(rows: Iterable, key: Callable) -> dict:
    """Group ``rows`` into lists by ``key(row)``."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped
