"""``menu``, ``page`` and ``pages``: the pavilion's navigation and its story pages."""

from __future__ import annotations

import graphene

from api.catalog.where import GlobalIDFilterInput, StringFilterInput
from api.core.connection import connection_args, paginate
from api.core.context import request_channel
from api.core.ids import resolve_global_id
from api.translations.languages import LanguageCodeEnum
from api.translations.slugs import original_slug
from content import models

from . import types


class PageWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slug = graphene.Field(StringFilterInput)
    page_type = graphene.Field(GlobalIDFilterInput)


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
    pages = graphene.Field(types.PageCountableConnection, channel=graphene.String(),
                           search=graphene.String(), where=PageWhereInput(),
                           **connection_args(), description="Published pages.")

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
    def resolve_page(_root, _info, id=None, slug=None, slug_language_code=None, channel=None):
        queryset = models.Page.objects.filter(is_published=True).select_related("page_type")
        if id is not None:
            return queryset.filter(pk=_pk(id, "Page")).first()
        if slug is None:
            return None
        return queryset.filter(slug=original_slug("page", slug, slug_language_code)).first()

    @staticmethod
    def resolve_pages(_root, _info, channel=None, search=None, where=None, **page):
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
        return paginate(queryset, page, types.PageCountableConnection, ["slug"],
                        connection_name="pages")
