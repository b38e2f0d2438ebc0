"""Relay connections with keyset pagination, Saleor's way.

The cursor encodes the sort values plus the primary key, so a page is one indexed range
query whatever its depth; ``first``/``last`` are at most 100 and required to read the
edges (as in Saleor, ``totalCount`` alone needs neither); ``totalCount`` is counted only
when asked for."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from decimal import Decimal

import graphene
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from graphql import GraphQLError

from . import prepared


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(description="A total count of items in the collection.")

    @staticmethod
    def resolve_total_count(root, _info):
        queryset = getattr(root, "queryset", None)
        if queryset is None:
            return len(root.edges)
        return queryset.order_by().count()


def _encode(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(values: list) -> str:
    raw = json.dumps([_encode(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str, size: int) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
    except Exception:
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise GraphQLError(_("Received cursor (%(cursor)s) is invalid.") % {"cursor": cursor})
    return values


def _keyset_q(keys: list[str], values: list, forward: bool) -> Q:
    """Rows strictly after (``forward``) or before the row whose sort ``values`` are given:
    a lexicographic comparison over ``keys`` spelled out as OR of ANDs."""
    op = "gt" if forward else "lt"
    condition = Q()
    for i, key in enumerate(keys):
        term = Q(**{f"{key}__{op}": values[i]})
        for prev_key, prev_value in zip(keys[:i], values[:i]):
            term &= Q(**{prev_key: prev_value})
        condition |= term
    return condition


def validate_pagination(args: dict, connection_name: str, slice_required: bool = True):
    first, last = args.get("first"), args.get("last")
    limit = settings.GRAPHQL_MAX_PAGE_SIZE
    if first is not None and last is not None:
        raise GraphQLError(
            _("Mixing 'first' and 'last' is not supported on the %(name)s connection.")
            % {"name": connection_name}
        )
    if first is None and last is None and slice_required:
        raise _slice_missing(connection_name)
    for arg, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise GraphQLError(_("Argument `%(arg)s` must be a non-negative integer.") % {"arg": arg})
        if value is not None and value > limit:
            raise GraphQLError(
                _("Requesting %(value)s records on the `%(name)s` connection exceeds the "
                  "`%(arg)s` limit of %(limit)s records.")
                % {"value": value, "name": connection_name, "arg": arg, "limit": limit}
            )


def _slice_missing(connection_name: str) -> GraphQLError:
    return GraphQLError(
        _("You must provide a `first` or `last` value to properly paginate the `%(name)s` "
          "connection.") % {"name": connection_name})


class _UnslicedEdges:
    """The edges of a connection asked for without ``first`` or ``last``: as in Saleor,
    that is refused only when the edges are read (``totalCount`` alone is an answer)."""

    def __init__(self, connection_name: str):
        self.connection_name = connection_name

    def __iter__(self):
        raise _slice_missing(self.connection_name)

    def __len__(self):
        raise _slice_missing(self.connection_name)


def paginate(queryset: QuerySet, args: dict, connection_type, sort_keys: list[str],
             descending: bool = False, wrap=None, connection_name: str = "items",
             shape: tuple | None = None):
    """Slice ``queryset`` by ``first/after/last/before`` with keyset cursors.

    ``sort_keys`` are field or annotation names (never null) giving a stable order; ``pk``
    is appended as the final tie-breaker. ``wrap`` turns each row into the node object.
    ``shape``: what ``queryset``'s SQL depends on, when its caller knows it, so that a
    first or last page (no cursor) runs SQL compiled once (``api.core.prepared``)."""
    validate_pagination(args, connection_name, slice_required=False)
    keys = [*sort_keys, "pk"]
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        connection = connection_type(
            edges=_UnslicedEdges(connection_name),
            page_info=graphene.relay.PageInfo(has_next_page=False, has_previous_page=False))
        connection.queryset = queryset
        return connection
    after, before = args.get("after"), args.get("before")
    qs = queryset
    if after:
        qs = qs.filter(_keyset_q(keys, decode_cursor(after, len(keys)), forward=not descending))
    if before:
        qs = qs.filter(_keyset_q(keys, decode_cursor(before, len(keys)), forward=descending))
    forward_order = [f"-{k}" if descending else k for k in keys]
    backward_order = [k if descending else f"-{k}" for k in keys]
    if shape is not None and not after and not before:
        shape = (*shape, tuple(keys), descending, first, last)

        def fetch(rows):
            return prepared.rows(rows, shape)
    else:
        fetch = list
    if last is not None and first is None:
        rows = fetch(qs.order_by(*backward_order)[: last + 1])
        has_more = len(rows) > last
        rows = list(reversed(rows[:last]))
        has_next, has_previous = bool(before), has_more
    else:
        rows = fetch(qs.order_by(*forward_order)[: first + 1])
        has_more = len(rows) > first
        rows = rows[:first]
        has_next, has_previous = has_more, bool(after)
    edges = [Edge(wrap(row) if wrap else row, row, keys) for row in rows]
    page_info = graphene.relay.PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.queryset = queryset
    return connection


class Edge:
    """An edge of a connection (any connection type's ``Edge`` reads its ``node`` and
    ``cursor``); the cursor is encoded only when asked for."""

    __slots__ = ("node", "_row", "_keys", "_cursor")

    def __init__(self, node, row, keys: list[str]):
        self.node = node
        self._row = row
        self._keys = keys
        self._cursor = None

    @property
    def cursor(self) -> str:
        if self._cursor is None:
            self._cursor = encode_cursor([_lookup(self._row, key) for key in self._keys])
        return self._cursor


def _lookup(row, key: str):
    value = row
    for part in key.split("__"):
        value = getattr(value, part)
    return value


def connection_args(**extra):
    return {
        "first": graphene.Int(description="Return the first n elements from the list."),
        "after": graphene.String(description="Return the elements after the cursor."),
        "last": graphene.Int(description="Return the last n elements from the list."),
        "before": graphene.String(description="Return the elements before the cursor."),
        **extra,
    }
