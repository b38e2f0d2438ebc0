"""Translation records as Saleor shows them (``ProductTranslation`` …), and the one
``translation(languageCode:)`` field every translatable type declares.

A type adds ``translation = translation_field(ProductTranslation, "product")``; the field
answers the stored record for the requested language or null (Saleor's behaviour: the
client falls back to the original text), through one batched query per request."""

from __future__ import annotations

import graphene

from api.catalog.types.common import editorjs
from api.core.context import ChannelContext
from api.core.dataloaders import DataLoader
from content import models

from .languages import LanguageCodeEnum, LanguageDisplay, stored_language


def _blank_none(field):
    return staticmethod(lambda root, _info: getattr(root, field) or None)


class TranslationBase:
    """Fields every translation type has; each is a Relay node of its own."""

    language = graphene.Field(LanguageDisplay, required=True)
    resolve_language = staticmethod(lambda root, _info: LanguageDisplay.of(root.language_code))


class SeoFields:
    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    name = graphene.String()
    description = graphene.JSONString()

    resolve_seo_title = _blank_none("seo_title")
    resolve_seo_description = _blank_none("seo_description")
    resolve_slug = _blank_none("slug")
    resolve_name = _blank_none("name")
    resolve_description = staticmethod(
        lambda root, _info: editorjs(root.description) if root.description else None)


def _is(model):
    return classmethod(lambda cls, root, _info: isinstance(root, model))


class ProductTranslation(SeoFields, TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    is_type_of = _is(models.ProductTranslation)


class CategoryTranslation(SeoFields, TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    is_type_of = _is(models.CategoryTranslation)


class CollectionTranslation(SeoFields, TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    is_type_of = _is(models.CollectionTranslation)


class ProductVariantTranslation(TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    is_type_of = _is(models.ProductVariantTranslation)


class AttributeTranslation(TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    is_type_of = _is(models.AttributeTranslation)


class AttributeValueTranslation(TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    rich_text = graphene.JSONString()
    plain_text = graphene.String()
    is_type_of = _is(models.AttributeValueTranslation)

    resolve_rich_text = staticmethod(
        lambda root, _info: editorjs(root.rich_text) if root.rich_text else None)
    resolve_plain_text = _blank_none("rich_text")


class PageTranslation(TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    seo_title = graphene.String()
    seo_description = graphene.String()
    slug = graphene.String()
    title = graphene.String()
    content = graphene.JSONString()
    is_type_of = _is(models.PageTranslation)

    resolve_seo_title = _blank_none("seo_title")
    resolve_seo_description = _blank_none("seo_description")
    resolve_slug = _blank_none("slug")
    resolve_title = _blank_none("title")
    resolve_content = staticmethod(
        lambda root, _info: editorjs(root.content) if root.content else None)


class MenuItemTranslation(TranslationBase, graphene.ObjectType):
    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    is_type_of = _is(models.MenuItemTranslation)


class PavilionTranslation(TranslationBase, graphene.ObjectType):
    """A pavilion's name, slogan and story in another language (county-pavilion
    extension, in the shape of Saleor's translation types)."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String()
    slogan = graphene.String()
    story = graphene.String()
    is_type_of = _is(models.PavilionTranslation)

    resolve_name = _blank_none("name")
    resolve_slogan = _blank_none("slogan")
    resolve_story = _blank_none("story")


class BaseTranslation(TranslationBase, graphene.ObjectType):
    """A production base's name and place in another language (county-pavilion
    extension, in the shape of Saleor's translation types)."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String()
    location = graphene.String()
    is_type_of = _is(models.BaseTranslation)

    resolve_name = _blank_none("name")
    resolve_location = _blank_none("location")


def _loader(model, target):
    """A loader of ``model`` records by ``(object id, stored language)``."""

    def batch_load(self, keys):
        ids = {pk for pk, _language in keys}
        languages = {language for _pk, language in keys}
        rows = model.objects.filter(**{f"{target}_id__in": ids, "language_code__in": languages})
        found = {(getattr(row, f"{target}_id"), row.language_code): row for row in rows}
        return [found.get(key) for key in keys]

    return type(f"{model.__name__}Loader", (DataLoader,), {"batch_load": batch_load})


TARGETS = {
    "product": models.ProductTranslation, "product_variant": models.ProductVariantTranslation,
    "category": models.CategoryTranslation, "collection": models.CollectionTranslation,
    "attribute": models.AttributeTranslation, "attribute_value": models.AttributeValueTranslation,
    "page": models.PageTranslation, "menu_item": models.MenuItemTranslation,
    "pavilion": models.PavilionTranslation, "base": models.BaseTranslation,
}
LOADERS = {target: _loader(model, target) for target, model in TARGETS.items()}


def translation_field(type_, target: str):
    """``translation(languageCode: LanguageCodeEnum!)`` for a type whose model is the
    ``target`` of ``type_``'s records (``"product"``, ``"menu_item"`` …)."""
    return graphene.Field(
        type_, language_code=graphene.Argument(LanguageCodeEnum, required=True,
                                               description="A language code to return the "
                                                           "translation for."),
        description="Returns translated fields for the given language code.",
        resolver=_resolver(target))


def _resolver(target):
    loader = LOADERS[target]

    def resolve(root, info, language_code):
        instance = root.node if isinstance(root, ChannelContext) else root
        return loader(info.context).load((instance.pk, stored_language(language_code)))

    return resolve
