"""Error codes of the supply chain (one enum for the area, Saleor's generic names first)."""

from enum import Enum


class SupplyChainErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    INVALID_ID_NUMBER = "invalid_id_number"
    MASS_BALANCE_EXCEEDED = "mass_balance_exceeded"
    INSUFFICIENT_QUANTITY = "insufficient_quantity"
    NOT_INSPECTED = "not_inspected"
    INSPECTION_FAILED = "inspection_failed"
    RECALLED = "recalled"
    ALREADY_RECALLED = "already_recalled"
    WRONG_ORGANIZATION = "wrong_organization"
    TOO_MANY_CODES = "too_many_codes"
    TRACE_CODES_REQUIRED = "trace_codes_required"
    WITHDRAWAL_PERIOD = "withdrawal_period"
    ALREADY_VOIDED = "already_voided"
    # The brand's refusals of a brand-labelled packing run (brand.services.consume_label_quota).
    NOT_LICENSED = "not_licensed"
    QUOTA_EXCEEDED = "quota_exceeded"
    USAGE_REPORT_MISSING = "usage_report_missing"
