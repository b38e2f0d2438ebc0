"""The category tree, for the pavilion's operators: Saleor's ``categoryCreate``,
``categoryUpdate`` (with ``parent`` to move a category and its subtree, an extension)
and ``categoryDelete``, over ``catalog.curation``. Errors are ``ProductError``, as in
Saleor."""

from __future__ import annotations

import graphene

from api.core.permissions import OPERATOR
from catalog import curation, models

from .. import types
from .base import ProductMutation, channel_payload, get_instance, plain_description
from .products import SeoInput


class CategoryInput(graphene.InputObjectType):
    description = graphene.JSONString(description="Category description (EditorJS JSON or "
                                                  "text).")
    name = graphene.String(description="Category name.")
    slug = graphene.String(description="Category slug; from the name's pinyin when left out "
                                       "of a new category.")
    seo = SeoInput(description="Search engine optimization fields.")


def _changes(data: dict) -> dict:
    changes = {key: data[key] for key in ("name", "slug") if data.get(key) is not None}
    if data.get("description") is not None:
        changes["description"] = plain_description(data["description"])
    seo = data.get("seo") or {}
    for key, field in (("title", "seo_title"), ("description", "seo_description")):
        if key in seo:
            changes[field] = seo[key] or ""
    return changes


def _parent(global_id):
    return get_instance(models.Category, global_id, "Category", "parent") if global_id else None


class CategoryCreate(ProductMutation):
    category = graphene.Field(types.Category)

    class Arguments:
        input = CategoryInput(required=True, description="Fields required to create a "
                                                         "category.")
        parent = graphene.ID(description="ID of the parent category; a top-level category "
                                         "when left out.")

    class Meta:
        description = "Creates a new category (the pavilion's operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, input, parent=None):
        changes = _changes(input)
        category = curation.create_category(changes.pop("name", None), parent=_parent(parent),
                                            **changes)
        return cls(category=channel_payload(category, info))


class CategoryUpdate(ProductMutation):
    category = graphene.Field(types.Category)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a category to update.")
        input = CategoryInput(required=True, description="Fields to change.")
        parent = graphene.ID(description="Move the category, with its subcategories, under "
                                         "this one; null for the top level; left out, it "
                                         "stays where it is (extension).")

    class Meta:
        description = "Updates a category (the pavilion's operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input, **moved):
        category = get_instance(models.Category, id, "Category")
        changes = _changes(input)
        if "parent" in moved:
            changes["parent"] = _parent(moved["parent"])
        category = curation.update_category(category, **changes)
        return cls(category=channel_payload(category, info))


class CategoryDelete(ProductMutation):
    category = graphene.Field(types.Category)

    class Arguments:
        id = graphene.ID(required=True, description="ID of a category to delete.")

    class Meta:
        description = ("Deletes a category with its subcategories (the pavilion's operators). "
                       "Refused while any of them still holds a product: move the products "
                       "first (Saleor would take them off sale instead).")
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        category = get_instance(models.Category, id, "Category")
        pk = category.pk
        curation.delete_category(category)
        category.pk = pk
        return cls(category=channel_payload(category, info))
