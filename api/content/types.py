"""Pages and menus as Saleor shows them: a menu's items nest (``children``) and point at a
category, a collection, a page or a URL; a page's text is EditorJS JSON."""

from __future__ import annotations

import graphene

from api.catalog.types.common import editorjs
from api.core.connection import CountableConnection
from api.core.context import ChannelContext
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.translations import types as translations
from content import models


class PageType(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)

    class Meta:
        model = models.PageType


class Page(ModelObjectType, ObjectWithMetadata):
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    content = graphene.JSONString(description="Content of the page (EditorJS).")
    seo_title = graphene.String()
    seo_description = graphene.String()
    is_published = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    published_at = graphene.DateTime(
        description="When a page is scheduled to appear; always null here, where a page is "
                    "shown from the moment it is published.")
    page_type = graphene.Field(PageType, required=True)
    assigned_attributes = graphene.List(
        graphene.NonNull("api.catalog.types.assigned.AssignedAttribute"), required=True,
        limit=graphene.Int(), description="Pages carry no attributes here: always empty.")
    assigned_attribute = graphene.Field(
        "api.catalog.types.assigned.AssignedAttribute", slug=graphene.String(required=True),
        description="Pages carry no attributes here: always null.")
    translation = translations.translation_field(translations.PageTranslation, "page")

    class Meta:
        model = models.Page

    resolve_content = staticmethod(lambda root, _info: editorjs(root.content))
    resolve_seo_title = staticmethod(lambda root, _info: root.seo_title or None)
    resolve_seo_description = staticmethod(lambda root, _info: root.seo_description or None)
    resolve_created = staticmethod(lambda root, _info: root.created_at)
    resolve_assigned_attributes = staticmethod(lambda _root, _info, **_kwargs: [])
    resolve_published_at = staticmethod(lambda _root, _info: None)
    resolve_assigned_attribute = staticmethod(lambda _root, _info, slug: None)

    @classmethod
    def get_queryset(cls, info):
        return models.Page.objects.filter(is_published=True)


class PageCountableConnection(CountableConnection):
    class Meta:
        node = Page


class MenuItem(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    menu = graphene.Field(lambda: Menu, required=True)
    parent = graphene.Field(lambda: MenuItem)
    level = graphene.Int(required=True)
    url = graphene.String()
    category = graphene.Field("api.catalog.types.Category")
    collection = graphene.Field("api.catalog.types.Collection")
    page = graphene.Field(Page)
    children = graphene.List(graphene.NonNull(lambda: MenuItem))
    translation = translations.translation_field(translations.MenuItemTranslation, "menu_item")

    class Meta:
        model = models.MenuItem

    resolve_url = staticmethod(lambda root, _info: root.url or None)

    @staticmethod
    def resolve_level(root, _info):
        level, parent = 0, root.parent_id and _items(root).get(root.parent_id)
        while parent is not None:
            level += 1
            parent = parent.parent_id and _items(root).get(parent.parent_id)
        return level

    @staticmethod
    def resolve_children(root, _info):
        return [item for item in _items(root).values() if item.parent_id == root.pk]

    @staticmethod
    def resolve_category(root, _info):
        return ChannelContext(root.category, _channel(root)) if root.category_id else None

    @staticmethod
    def resolve_collection(root, _info):
        return ChannelContext(root.collection, _channel(root)) if root.collection_id else None

    @staticmethod
    def resolve_page(root, _info):
        return root.page if root.page_id and root.page.is_published else None


def _items(item) -> dict:
    """All items of the item's menu, loaded once per menu (menus are small)."""
    return item.menu_items


def _channel(item) -> str:
    return item.channel_slug


class Menu(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(MenuItem), description="The top-level items.")

    class Meta:
        model = models.Menu

    @staticmethod
    def resolve_items(root, _info):
        return [item for item in root.menu_items.values() if item.parent_id is None]


class MenuCountableConnection(CountableConnection):
    class Meta:
        node = Menu


def load_menu(menu, channel_slug: str):
    """Attach the menu's items (with what they point at) to the menu and to each item."""
    items = {item.pk: item for item in menu.items.select_related("category", "collection",
                                                                  "page", "menu")}
    menu.menu_items = items
    for item in items.values():
        item.menu_items = items
        item.channel_slug = channel_slug
    return menu
