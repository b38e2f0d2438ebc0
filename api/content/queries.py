"""``menu``, ``menus``, ``page`` and ``pages``: the pavilion's navigation and its story
pages, filtered and sorted with Saleor's inputs."""

from __future__ import annotations

import graphene
from django.db.models import Count

from api.catalog.where import GlobalIDFilterInput, StringFilterInput
from api.core.connection import connection_args, paginate
from api.core.context import request_channel
from api.core.ids import resolve_global_id
from api.core.metadata import MetadataFilter, metadata_q
from api.core.types import OrderDirection
from api.translations.languages import LanguageCodeEnum
from api.translations.slugs import original_slug
from content import models

from . import types


class PageWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slug = graphene.Field(StringFilterInput)
    page_type = graphene.Field(GlobalIDFilterInput)


class MenuFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slug = graphene.List(graphene.NonNull(graphene.String))
    metadata = graphene.List(graphene.NonNull(MetadataFilter))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class MenuSortField(graphene.Enum):
    NAME = "name"
    ITEMS_COUNT = "items_count"


class MenuSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(MenuSortField, required=True)


class PageSortField(graphene.Enum):
    TITLE = "title"
    SLUG = "slug"
    VISIBILITY = "visibility"
    CREATION_DATE = "creation_date"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"
    CREATED_AT = "created_at"
    RANK = "rank"


class PageSortingInput(graphene.InputObjectType):
    direction = graphene.Argument(OrderDirection, required=True)
    field = graphene.Argument(PageSortField, required=True)


# The keys each sort orders by. Only published pages are listed and a page appears when
# it is published, so visibility ties every page, and the publication date is its
# creation date; search here is a plain title match, so its rank ties every page too.
PAGE_SORT_KEYS = {"title": ["title", "slug"], "slug": ["slug"], "visibility": ["slug"],
                  "creation_date": ["created_at"], "created_at": ["created_at"],
                  "publication_date": ["created_at"], "published_at": ["created_at"],
                  "rank": ["slug"]}


def _sorting(sort_by, keys_by_field: dict, default: list[str]):
    """``(keys, descending)`` of a Saleor sorting input."""
    if not sort_by:
        return default, False
    field = getattr(sort_by["field"], "value", sort_by["field"])
    direction = getattr(sort_by["direction"], "value", sort_by["direction"])
    return keys_by_field[field], direction == "desc"


def _pk(global_id, type_name):
    _type, pk = resolve_global_id(global_id, type_name)
    return int(pk) if str(pk).isdigit() else None


def _values(filter_input):
    if filter_input.get("eq") is not None:
        return [filter_input["eq"]]
    return list(filter_input.get("one_of") or [])


class ContentQueries(graphene.ObjectType):
    menu = graphene.Field(types.Menu, id=graphene.ID(), name=graphene.String(),
                          slug=graphene.String(), channel=graphene.String(),
                          description="Look up a navigation menu by ID, name or slug.")
    page = graphene.Field(types.Page, id=graphene.ID(), slug=graphene.String(),
                          slug_language_code=graphene.Argument(LanguageCodeEnum),
                          channel=graphene.String(),
                          description="Look up a published page by ID or slug.")
    menus = graphene.Field(types.MenuCountableConnection, channel=graphene.String(),
                           sort_by=MenuSortingInput(), filter=MenuFilterInput(),
                           **connection_args(), description="The navigation menus.")
    pages = graphene.Field(types.PageCountableConnection, channel=graphene.String(),
                           search=graphene.String(), where=PageWhereInput(),
                           sort_by=PageSortingInput(), **connection_args(),
                           description="Published pages.")

    @staticmethod
    def resolve_menu(_root, info, id=None, name=None, slug=None, channel=None):
        queryset = models.Menu.objects.all()
        if id is not None:
            queryset = queryset.filter(pk=_pk(id, "Menu"))
        elif slug is not None:
            queryset = queryset.filter(slug=slug)
        elif name is not None:
            queryset = queryset.filter(name=name)
        else:
            return None
        menu = queryset.first()
        return types.load_menu(menu, request_channel(info, channel).slug) if menu else None

    @staticmethod
    def resolve_menus(_root, info, channel=None, sort_by=None, filter=None, **page):
        queryset = models.Menu.objects.all()
        filter = filter or {}
        if filter.get("search"):
            queryset = queryset.filter(name__icontains=filter["search"])
        slugs = [*(filter.get("slug") or ()), *(filter.get("slugs") or ())]
        if slugs:
            queryset = queryset.filter(slug__in=slugs)
        queryset = queryset.filter(metadata_q(models.Menu, filter.get("metadata")))
        if sort_by and getattr(sort_by["field"], "value", sort_by["field"]) == "items_count":
            queryset = queryset.annotate(sort_items=Count("items"))
        keys, descending = _sorting(sort_by, {"name": ["name", "slug"],
                                              "items_count": ["sort_items", "slug"]}, ["slug"])
        channel_slug = request_channel(info, channel).slug
        return paginate(queryset, page, types.MenuCountableConnection, keys,
                        descending=descending,
                        wrap=lambda menu: types.load_menu(menu, channel_slug),
                        connection_name="menus")

    @staticmethod
    def resolve_page(_root, _info, id=None, slug=None, slug_language_code=None, channel=None):
        queryset = models.Page.objects.filter(is_published=True).select_related("page_type")
        if id is not None:
            return queryset.filter(pk=_pk(id, "Page")).first()
        if slug is None:
            return None
        return queryset.filter(slug=original_slug("page", slug, slug_language_code)).first()

    @staticmethod
    def resolve_pages(_root, _info, channel=None, search=None, where=None, sort_by=None,
                      **page):
        queryset = models.Page.objects.filter(is_published=True).select_related("page_type")
        where = where or {}
        if where.get("ids"):
            queryset = queryset.filter(pk__in=[_pk(i, "Page") for i in where["ids"]])
        if where.get("slug"):
            queryset = queryset.filter(slug__in=_values(where["slug"]))
        if where.get("page_type"):
            queryset = queryset.filter(
                page_type_id__in=[_pk(i, "PageType") for i in _values(where["page_type"])])
        if search:
            queryset = queryset.filter(title__icontains=search)
        keys, descending = _sorting(sort_by, PAGE_SORT_KEYS, ["slug"])
        return paginate(queryset, page, types.PageCountableConnection, keys,
                        descending=descending, connection_name="pages")
