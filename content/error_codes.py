"""Error codes of translations, Saleor's names (``saleor/core/error_codes.py``
``TranslationErrorCode``)."""

from enum import Enum


class TranslationErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"


class PageErrorCode(Enum):
    """Saleor's ``PageErrorCode`` names, for the story pages' writes."""

    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
