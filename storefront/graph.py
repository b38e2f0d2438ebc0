"""Reads through the project's GraphQL schema, in process: a page asks the same
``products``/``product``/``pavilion``/``searchSuggestions`` fields an API client would, so
filters, sorting, search, visibility, prices, stock and the brand badge have one source of
truth (the API's resolvers and DataLoaders over the apps' services).

Documents are parsed and validated once per process; each request gets its own DataLoaders
(they live on the request, as in the ``/graphql/`` view)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from graphql import execute, parse, validate

from api.core.execution import ExecutionContext
from api.schema import schema


class GraphQLFailure(RuntimeError):
    """A storefront query failed: a bug in a page, not a shopper's mistake."""


@lru_cache(maxsize=64)
def _document(source: str):
    document = parse(source)
    errors = validate(schema.graphql_schema, document)
    if errors:
        raise GraphQLFailure("; ".join(e.message for e in errors))
    return document


def query(request, source: str, **variables) -> dict:
    """The ``data`` of ``source`` run as ``request``'s user; raises on GraphQL errors."""
    result = execute(schema.graphql_schema, _document(source), context_value=request,
                     variable_values=variables, execution_context_class=ExecutionContext)
    if result.errors:
        raise GraphQLFailure("; ".join(e.message for e in result.errors))
    return result.data


def path_of(url: str | None) -> str:
    """``/thumbnail/1/256/webp/`` from the API's absolute URL: shorter HTML, same host."""
    if not url:
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
