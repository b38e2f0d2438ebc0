"""Saleor's page mutations for the pavilion's story pages (品牌故事, 产地故事):
``pageCreate``, ``pageUpdate``, ``pageDelete`` and ``pageTranslate``. Only the pavilion's
operators write them; every write goes through ``content.services``, as the operators'
pages on the workbench do. A page's ``content`` is EditorJS JSON (or plain text): each
block becomes a paragraph."""

from __future__ import annotations

import graphene

from api.catalog.mutations.base import get_instance, plain_description
from api.core.mutations import BaseMutation
from api.core.permissions import OPERATOR
from api.core.types import error_type
from api.translations.languages import LanguageCodeEnum, stored_language
from content import services
from content.error_codes import PageErrorCode as PageErrorCodeEnum
from content.models import Page as PageModel

from . import types

PageErrorCode = graphene.Enum.from_enum(PageErrorCodeEnum)
PageError = error_type("PageError", PageErrorCode,
                       attributes=graphene.List(graphene.NonNull(graphene.ID)),
                       values=graphene.List(graphene.NonNull(graphene.ID)))


def paragraphs(value) -> str | None:
    """EditorJS JSON (as Saleor clients send it) or plain text, as the stored text: one
    paragraph per block, blank lines between them. ``None`` stays ``None`` (not given)."""
    return None if value is None else plain_description(value, separator="\n\n")


class SeoInput(graphene.InputObjectType):
    title = graphene.String()
    description = graphene.String()


class PageInput(graphene.InputObjectType):
    slug = graphene.String(description="The page's address; made from the title when empty.")
    title = graphene.String()
    content = graphene.JSONString(description="The page's text (EditorJS JSON or plain text).")
    is_published = graphene.Boolean()
    seo = SeoInput()


class PageCreateInput(PageInput):
    page_type = graphene.ID(description="Accepted for Saleor clients; every page written "
                                        "here is a story page.")


class PageTranslationInput(graphene.InputObjectType):
    title = graphene.String()
    content = graphene.JSONString()
    seo_title = graphene.String(description="Not kept per language: ignored.")
    seo_description = graphene.String(description="Not kept per language: ignored.")


class PageMutation(BaseMutation):
    error_type_class = PageError
    error_code_enum = PageErrorCodeEnum

    class Meta:
        abstract = True


def _values(page, data) -> dict:
    """The service's arguments: what ``data`` gives, the rest as ``page`` has it."""
    seo = data.get("seo") or {}

    def given(value, current):
        return current if value is None else value

    return {
        "title": given(data.get("title"), page.title if page else ""),
        "slug": given(data.get("slug"), page.slug if page else ""),
        "content": given(paragraphs(data.get("content")), page.content if page else ""),
        "seo_title": given(seo.get("title"), page.seo_title if page else ""),
        "seo_description": given(seo.get("description"), page.seo_description if page else ""),
        "is_published": given(data.get("is_published"), page.is_published if page else True),
    }


class PageCreate(PageMutation):
    page = graphene.Field(types.Page)

    class Arguments:
        input = PageCreateInput(required=True)

    class Meta:
        description = "Creates a story page (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        return cls(page=services.save_page(None, **_values(None, input)))


class PageUpdate(PageMutation):
    page = graphene.Field(types.Page)

    class Arguments:
        id = graphene.ID(required=True)
        input = PageInput(required=True)

    class Meta:
        description = "Changes a story page (operators): the fields given, the others kept."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, _info, id, input):
        page = get_instance(PageModel, id, "Page")
        return cls(page=services.save_page(page, **_values(page, input)))


class PageDelete(PageMutation):
    page = graphene.Field(types.Page)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Removes a story page with its translations and menu links (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, _info, id):
        page = get_instance(PageModel, id, "Page")
        pk = page.pk
        services.delete_page(page)
        page.pk = pk
        return cls(page=page)


class PageTranslate(PageMutation):
    page = graphene.Field(types.Page)

    class Arguments:
        id = graphene.ID(required=True)
        language_code = graphene.Argument(LanguageCodeEnum, required=True)
        input = PageTranslationInput(required=True)

    class Meta:
        description = ("Writes a story page's title and text in English or Tibetan "
                       "(operators); both empty removes the translation.")
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, _info, id, language_code, input):
        page = get_instance(PageModel, id, "Page")
        services.translate_page(page, stored_language(language_code), title=input.get("title"),
                                content=paragraphs(input.get("content")))
        return cls(page=page)


class ContentMutations(graphene.ObjectType):
    page_create = PageCreate.Field()
    page_update = PageUpdate.Field()
    page_delete = PageDelete.Field()
    page_translate = PageTranslate.Field()
