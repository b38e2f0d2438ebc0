"""The GraphQL endpoint's own settings: the limits every request to ``/graphql/`` is held
to before anything runs (see ``api.core.limits`` and the README's "Query limits").
Installed by ``ApiConfig.ready``; a value set in the settings module or the environment
wins."""

from __future__ import annotations

from shop.conf import env_int


def defaults() -> dict:
    return {
        # Bytes of the query text; longer documents are refused unparsed.
        "GRAPHQL_MAX_DOCUMENT_BYTES": env_int("GRAPHQL_MAX_DOCUMENT_BYTES", 20_000),
        # Documents kept parsed and validated (api.core.documents): how many, the longest
        # kept, and the bytes of text kept in all (a parsed document takes ~180x its text).
        "GRAPHQL_DOCUMENT_CACHE_ENTRIES": env_int("GRAPHQL_DOCUMENT_CACHE_ENTRIES", 256),
        "GRAPHQL_DOCUMENT_CACHE_MAX_BYTES": env_int("GRAPHQL_DOCUMENT_CACHE_MAX_BYTES",
                                                    10_000),
        "GRAPHQL_DOCUMENT_CACHE_TOTAL_BYTES": env_int("GRAPHQL_DOCUMENT_CACHE_TOTAL_BYTES",
                                                      250_000),
        # Fields (with aliases) at the top of one operation.
        "GRAPHQL_MAX_TOP_LEVEL_FIELDS": env_int("GRAPHQL_MAX_TOP_LEVEL_FIELDS", 20),
        # Aliases anywhere in one operation.
        "GRAPHQL_MAX_ALIASES": env_int("GRAPHQL_MAX_ALIASES", 40),
        # Nesting of selections (introspection's type references included).
        "GRAPHQL_MAX_DEPTH": env_int("GRAPHQL_MAX_DEPTH", 15),
        # Estimated fields resolved: every field costs one, times the page sizes
        # (``first``/``last``) of the connections it sits under. Saleor's own storefront
        # asks about 12,000 for its product list; pages of 100 products nested two deep
        # ask over 30,000.
        "GRAPHQL_MAX_COST": env_int("GRAPHQL_MAX_COST", 20_000),
        # Operators (the pavilion's staff) run bigger reports.
        "GRAPHQL_MAX_COST_OPERATOR": env_int("GRAPHQL_MAX_COST_OPERATOR", 100_000),
        # Fields ("Type.field") that do more than read: each counts this much, not one
        # (a trace-code look-up records a scan: ten per request at most).
        "GRAPHQL_FIELD_COSTS": {"Query.traceCode": 2000, "Query.searchSuggestions": 10},
    }
