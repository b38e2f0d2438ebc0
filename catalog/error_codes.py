"""Error codes of the catalogue, Saleor's names (``saleor/product/error_codes.py``)."""

from enum import Enum


class ProductErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    INVALID_PRICE = "invalid_price"
    NOT_FOUND = "not_found"
    NOT_PRODUCTS_IMAGE = "not_products_image"
    FILE_TOO_LARGE = "file_too_large"
    PRODUCT_NOT_ASSIGNED_TO_CHANNEL = "product_not_assigned_to_channel"
    PRODUCT_WITHOUT_CATEGORY = "product_without_category"
    REQUIRED = "required"
    UNIQUE = "unique"
    CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT = "cannot_manage_product_without_variant"
    UNSUPPORTED_MEDIA_PROVIDER = "unsupported_media_provider"
    # A traced product's stock comes only from packing runs (one trace code per package).
    TRACED_STOCK_FROM_PACKING = "traced_stock_from_packing"
    # A brand-labelled product cannot stop being traced.
    BRAND_PRODUCT_TRACED = "brand_product_traced"


class CollectionErrorCode(Enum):
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    CANNOT_MANAGE_PRODUCT_WITHOUT_VARIANT = "cannot_manage_product_without_variant"
