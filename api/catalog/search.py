"""Search extensions of the catalogue API: ``searchSuggestions`` (type-ahead) and
``productFacets`` (counts for the filters of a search page), plus Saleor's
``AttributeInput`` used by ``ProductFilterInput.attributes`` (grade filter).

Resolvers validate, check visibility (``visible_products``: what the caller may see),
call ``catalog.search`` and shape the result."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError

from api.core.context import ChannelContext, request_channel
from api.core.permissions import visible_organization_ids
from api.core.types import Money, money
from catalog import search as catalog_search
from catalog import services as catalog_services

from . import types
from .filters import filter_products
from .where import StringFilterInput

GRADE = "grade"
MAX_SUGGESTIONS = 20


class AssignedAttributeValueInput(graphene.InputObjectType):
    slug = graphene.Field(StringFilterInput, description="Value slugs (te-ji).")
    name = graphene.Field(StringFilterInput, description="Value names (特级).")


class AttributeInput(graphene.InputObjectType):
    """Saleor's attribute filter: products whose variants (or the product) carry one of
    ``values`` (value slugs or names), or the values ``value`` names, of the attribute
    ``slug``; e.g. grade 特级."""

    slug = graphene.String(description="Attribute slug, e.g. grade.")
    values = graphene.List(graphene.NonNull(graphene.String),
                           description="Value slugs (te-ji) or names (特级).")
    value = graphene.Field(AssignedAttributeValueInput,
                           description="Values by slug or name (Saleor's newer shape).")


class SearchSuggestion(graphene.ObjectType):
    text = graphene.String(required=True, description="What to show in the type-ahead list.")
    product = graphene.Field(types.Product, required=True)


class CategoryFacet(graphene.ObjectType):
    category = graphene.Field(types.Category, required=True)
    count = graphene.Int(required=True)


class PavilionFacet(graphene.ObjectType):
    pavilion = graphene.Field(types.Pavilion, required=True)
    count = graphene.Int(required=True)


class AttributeValueFacet(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    count = graphene.Int(required=True)


class PriceFacet(graphene.ObjectType):
    min = graphene.Field(Money, description="Lowest price of the matching products.")
    max = graphene.Field(Money, description="Highest price of the matching products.")


class ProductFacets(graphene.ObjectType):
    """Counts of products per filter value for the same ``filter`` and ``search`` as
    ``products``; each facet ignores its own filter, so the other choices stay visible."""

    total_count = graphene.Int(required=True)
    categories = graphene.List(graphene.NonNull(CategoryFacet), required=True)
    pavilions = graphene.List(graphene.NonNull(PavilionFacet), required=True)
    grades = graphene.List(graphene.NonNull(AttributeValueFacet), required=True)
    price = graphene.Field(PriceFacet, required=True)


def resolve_search_suggestions(_root, info, query, channel=None, first=10):
    if first is None or first < 1 or first > MAX_SUGGESTIONS:
        raise GraphQLError(_("Argument `first` must be between 1 and %(n)s.")
                           % {"n": MAX_SUGGESTIONS})
    ch = request_channel(info, channel)
    queryset = catalog_services.visible_products(ch, visible_organization_ids(info))
    try:
        products = catalog_search.suggest_products(queryset, query, limit=first,
                                                   channel_id=ch.pk)
    except ValidationError as error:
        raise GraphQLError(error.messages[0]) from None
    return [SearchSuggestion(text=p.name, product=ChannelContext(p, ch.slug)) for p in products]


def _without(filter_input: dict, facet: str) -> dict:
    f = dict(filter_input)
    if facet == "category":
        f.pop("categories", None)
    elif facet == "pavilion":
        f.pop("pavilions", None)
    elif facet == "price":
        f.pop("price", None)
        f.pop("minimal_price", None)
    elif facet == "grade":
        f["attributes"] = [a for a in f.get("attributes") or [] if a.get("slug") != GRADE]
    return f


def resolve_product_facets(_root, info, channel=None, filter=None, search=None):
    ch = request_channel(info, channel)
    base = catalog_services.visible_products(ch, visible_organization_ids(info))
    f = dict(filter or {})
    text = search if search is not None else f.get("search")
    f.pop("search", None)
    try:
        base = catalog_search.matched(base, text)  # once; every count runs over these
    except ValidationError as error:
        raise GraphQLError(error.messages[0]) from None
    return _facets(base, ch, f)


def _facets(base, ch, f):
    total = filter_products(base, ch, f, None)
    querysets = {facet: filter_products(base, ch, _without(f, facet), None)
                 for facet in ("category", "pavilion", "grade", "price")}
    facets = catalog_search.product_facets(querysets, ch)
    currency = facets["currency"]
    return ProductFacets(
        total_count=total.order_by().count(),
        categories=[CategoryFacet(category=ChannelContext(c, ch.slug), count=n)
                    for c, n in facets["categories"]],
        pavilions=[PavilionFacet(pavilion=ChannelContext(p, ch.slug), count=n)
                   for p, n in facets["pavilions"]],
        grades=[AttributeValueFacet(name=v.name, slug=v.slug, count=n)
                for v, n in facets["grades"]],
        price=PriceFacet(min=money(facets["price_min"], currency),
                         max=money(facets["price_max"], currency)),
    )


CHANNEL_ARG = graphene.String(description="Slug of a channel; the default channel if omitted.")

search_suggestions_field = graphene.Field(
    graphene.List(graphene.NonNull(SearchSuggestion)),
    query=graphene.String(required=True, description="What the shopper has typed so far."),
    channel=CHANNEL_ARG,
    first=graphene.Int(default_value=10, description="At most 20."),
    required=True,
    description="Type-ahead suggestions for the search box (Chinese, pinyin or initials).",
    resolver=resolve_search_suggestions,
)

product_facets_field = graphene.Field(
    ProductFacets,
    channel=CHANNEL_ARG,
    filter=graphene.Argument("api.catalog.types.ProductFilterInput"),
    search=graphene.String(),
    required=True,
    description="Facet counts (category, pavilion, grade, price) for a product search.",
    resolver=resolve_product_facets,
)
