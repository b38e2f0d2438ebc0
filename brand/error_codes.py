"""Error codes of the brand area. Saleor's names where Saleor has one (``invalid``,
``required``, ``not_found``, ``unique``, ``graphql_error``, ``duplicated_input_item``,
``invalid_status``); the rest are the licensing rules' own."""

from enum import Enum


class BrandErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    INVALID_STATUS = "invalid_status"
    CATEGORY_NOT_COVERED = "category_not_covered"
    PRODUCT_NOT_OWNED = "product_not_owned"
    DOCUMENT_EXPIRED = "document_expired"
    DOCUMENT_MISSING = "document_missing"
    NOTICE_PERIOD_NOT_ENDED = "notice_period_not_ended"
    NOTICE_CLOSED = "notice_closed"
    OBJECTION_OPEN = "objection_open"
    NOT_LICENSED = "not_licensed"
    QUOTA_EXCEEDED = "quota_exceeded"
    FILE_TOO_LARGE = "file_too_large"
    QUESTION_OPEN = "question_open"
    USAGE_REPORT_MISSING = "usage_report_missing"
