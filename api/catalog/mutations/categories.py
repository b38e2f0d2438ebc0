"""The category tree, for the pavilion's operators: Saleor's ``categoryCreate``,
``categoryUpdate`` (with ``parent`` to move a category and its subtree, an extension)
and ``categoryDelete``, over ``catalog.curation``. Errors are ``ProductError``, as in
Saleor."""

from __future__ import annotations

import graphene

from catalog import curation, models
from catalog.error_codes import ProductErrorCode as ProductErrorCodeEnum

from .. import types
from .base import OperatorMutation, ProductError, detail_changes, get_instance
from .products import SeoInput


class CategoryInput(graphene.InputObjectType):
    description = graphene.JSONString(description="Category description (EditorJS JSON or "
                                                  "text).")
    name = graphene.String(description="Category name.")
    slug = graphene.String(description="Category slug; from the name's pinyin when left out "
                                       "of a new category.")
    seo = SeoInput(description="Search engine optimization fields.")


def _parent(global_id):
    return get_instance(models.Category, global_id, "Category", "parent") if global_id else None


class CategoryMutation(OperatorMutation):
    """A category payload; errors are ``ProductError``, as in Saleor."""

    error_type_class = ProductError
    error_code_enum = ProductErrorCodeEnum
    node_field = "category"
    category = graphene.Field(types.Category)

    class Meta:
        abstract = True


class CategoryCreate(CategoryMutation):
    class Arguments:
        input = CategoryInput(required=True, description="Fields required to create a "
                                                         "category.")
        parent = graphene.ID(description="ID of the parent category; a top-level category "
                                         "when left out.")

    class Meta:
        description = "Creates a new category (the pavilion's operators)."

    @classmethod
    def perform_mutation(cls, _root, info, input, parent=None):
        changes = detail_changes(input)
        category = curation.create_category(changes.pop("name", None), parent=_parent(parent),
                                            **changes)
        return cls.answer(category, info)


class CategoryUpdate(CategoryMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of a category to update.")
        input = CategoryInput(required=True, description="Fields to change.")
        parent = graphene.ID(description="Move the category, with its subcategories, under "
                                         "this one; null for the top level; left out, it "
                                         "stays where it is (extension).")

    class Meta:
        description = "Updates a category (the pavilion's operators)."

    @classmethod
    def perform_mutation(cls, _root, info, id, input, **moved):
        category = get_instance(models.Category, id, "Category")
        changes = detail_changes(input)
        if "parent" in moved:
            changes["parent"] = _parent(moved["parent"])
        return cls.answer(curation.update_category(category, **changes), info)


class CategoryDelete(CategoryMutation):
    class Arguments:
        id = graphene.ID(required=True, description="ID of a category to delete.")

    class Meta:
        description = ("Deletes a category with its subcategories (the pavilion's operators). "
                       "Refused while any of them still holds a product: move the products "
                       "first (Saleor would take them off sale instead).")

    @classmethod
    def perform_mutation(cls, _root, info, id):
        category = get_instance(models.Category, id, "Category")
        return cls.answer_deleted(category, curation.delete_category, info)
