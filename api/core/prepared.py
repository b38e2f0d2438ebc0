"""A page's SQL compiled once per process for its shape.

Building and compiling a queryset costs the ORM more than running it: for the
storefront's browse page (products with their category and thumbnail, under the
visibility subquery) about 2 ms of the request's CPU, against well under 1 ms to run it
and read its rows. :func:`rows` compiles a queryset the first time its caller's *shape*
is seen and keeps the SQL, its parameters and how its columns become model instances
(Django's own ``select_related`` populators); later pages of that shape run the same SQL,
with the parameters that are the current time (a visibility rule's ``published_at <=
now``) set to this request's.

The caller's shape names everything the SQL's text and its other parameters depend on
(the channel, what is joined, the sort, the page size; never a cursor or a filter value:
a page with those goes through the ORM). A queryset is run through the ORM as usual, and
its shape remembered as such, when it is anything but plain model rows: a parameter that
is a date or a time other than "now" (a date-time within seconds of the clock as it was
compiled), values converted after reading, prefetches, known related objects."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from threading import Lock

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable, get_related_populators
from django.utils import timezone

# How far back a date-time parameter may be and still be the request's "now": the
# queryset was built (and read the clock) an instant before it was compiled.
NOW_WINDOW = timedelta(seconds=5)
# Shapes kept per process; the least recently used is forgotten first.
LIMIT = 256

_REFUSED = "refused"
_kept: OrderedDict = OrderedDict()
_lock = Lock()


class _Prepared:
    __slots__ = ("sql", "params", "now_at", "db", "model", "start", "end", "init_list",
                 "populators", "annotations")

    def run(self) -> list:
        params = list(self.params)
        if self.now_at:
            now = timezone.now()
            for index in self.now_at:
                params[index] = now
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        from_db, db, init_list = self.model.from_db, self.db, self.init_list
        start, end = self.start, self.end
        objects = []
        for row in fetched:
            obj = from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def rows(queryset, shape: tuple) -> list:
    """``list(queryset)``, its SQL compiled once per process for ``shape``."""
    key = (queryset.model, queryset.db, shape)
    with _lock:
        prepared = _kept.get(key)
        if prepared is not None:
            _kept.move_to_end(key)
    if prepared is None:
        prepared = _prepare(queryset)
        with _lock:
            _kept[key] = prepared
            while len(_kept) > LIMIT:
                _kept.popitem(last=False)
    if prepared is _REFUSED:
        return list(queryset)
    return prepared.run()


def _prepare(queryset):
    if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups \
            or queryset._known_related_objects or queryset._result_cache is not None:
        return _REFUSED
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _REFUSED
    compiled_at = timezone.now()
    now_at = []
    for index, value in enumerate(params):
        if isinstance(value, (date, time, timedelta)):
            if not (isinstance(value, datetime) and value.tzinfo is not None
                    and compiled_at - NOW_WINDOW <= value <= compiled_at):
                return _REFUSED
            now_at.append(index)
    select = compiler.select
    if compiler.get_converters([column[0] for column in select[:compiler.col_count]]):
        return _REFUSED
    klass_info = compiler.klass_info
    prepared = _Prepared()
    prepared.sql, prepared.params, prepared.now_at = sql, tuple(params), tuple(now_at)
    prepared.db, prepared.model = queryset.db, klass_info["model"]
    prepared.start = klass_info["select_fields"][0]
    prepared.end = klass_info["select_fields"][-1] + 1
    prepared.init_list = [column[0].target.attname
                          for column in select[prepared.start:prepared.end]]
    prepared.populators = get_related_populators(klass_info, select, queryset.db)
    prepared.annotations = tuple(compiler.annotation_col_map.items())
    return prepared
