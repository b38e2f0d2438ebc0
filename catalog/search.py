"""Product search over the database: the fallback backend used when no Elasticsearch is
configured. The search issue extends this module into a backend interface."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 100


def clean_query(query: str | None) -> str:
    query = " ".join((query or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _("Search text is too long (at most %(n)s characters)."),
            code="invalid", params={"n": MAX_QUERY_LENGTH},
        )
    return query


def search_products(queryset: QuerySet, query: str) -> QuerySet:
    """Products whose search text contains every word of ``query``, annotated with
    ``search_rank`` (name matches first)."""
    query = clean_query(query)
    if not query:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    words = query.lower().split(" ")
    condition = Q()
    for word in words:
        condition &= Q(search_document__contains=word)
    return queryset.filter(condition).annotate(
        search_rank=Case(
            When(name__iexact=query, then=Value(4)),
            When(name__istartswith=query, then=Value(3)),
            When(name__icontains=query, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
