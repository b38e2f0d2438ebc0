"""GraphQL documents read once: parsed, checked by the standard validation rules and
measured for the query limits, kept by their text in a bounded LRU.

A storefront or an app sends the same few documents over and over with other variables;
what depends only on the text (the syntax tree, the standard rules' errors, each
operation's figures for ``api.core.limits``) is worked out on the first request and reused.
What depends on the request is not kept: the limits (the cost with this request's page
sizes, for this user), the CSRF refusal of mutations and the GET refusal are checked on
every request against the kept document.

A document that does not parse or breaks a rule is kept too, as its errors: it is answered
with the same errors again without being read again. The LRU holds at most
``GRAPHQL_DOCUMENT_CACHE_ENTRIES`` documents of at most ``GRAPHQL_DOCUMENT_CACHE_MAX_BYTES``
bytes each (longer ones are read for their request only), and at most
``GRAPHQL_DOCUMENT_CACHE_TOTAL_BYTES`` of text in all: a parsed document takes about 180
times its text in memory, so the default 250 KB keep under 50 MB."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, parse, specified_rules, validate
from graphql.language import ast

from .limits import OperationFigures, measure_operations


@dataclass(frozen=True)
class Document:
    """``syntax_error`` set: the text does not parse (no tree). Otherwise ``errors`` are
    the standard validation rules' (empty for a valid document)."""

    tree: ast.DocumentNode | None
    syntax_error: GraphQLError | None
    errors: tuple[GraphQLError, ...]
    operations: tuple[OperationFigures, ...]


# (schema, text) -> (Document, bytes of the text), least recently used first.
_documents: OrderedDict = OrderedDict()
_kept_bytes = 0
_lock = threading.Lock()


def read(schema, query: str) -> Document:
    """The document of ``query`` against ``schema``, from the LRU when it was read before."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > settings.GRAPHQL_DOCUMENT_CACHE_MAX_BYTES:
        return _read(schema, query)
    key = (schema, query)
    with _lock:
        kept = _documents.get(key)
        if kept is not None:
            _documents.move_to_end(key)
            return kept[0]
    document = _read(schema, query)
    global _kept_bytes
    with _lock:
        if key not in _documents:
            _documents[key] = (document, size)
            _kept_bytes += size
        while len(_documents) > settings.GRAPHQL_DOCUMENT_CACHE_ENTRIES or \
                _kept_bytes > settings.GRAPHQL_DOCUMENT_CACHE_TOTAL_BYTES:
            _kept_bytes -= _documents.popitem(last=False)[1][1]
    return document


def _read(schema, query: str) -> Document:
    try:
        tree = parse(query)
    except GraphQLError as error:
        return Document(None, error, (), ())
    errors = validate(schema, tree, specified_rules, graphene_settings.MAX_VALIDATION_ERRORS)
    return Document(tree, None, tuple(errors), measure_operations(schema, tree))


def clear() -> None:
    global _kept_bytes
    with _lock:
        _documents.clear()
        _kept_bytes = 0


@receiver(setting_changed)
def _forget_on_settings_change(setting, **_kwargs):
    # The figures kept depend on the field costs and the page-size cap (tests change them).
    if setting.startswith("GRAPHQL_") or setting == "GRAPHENE":
        clear()
