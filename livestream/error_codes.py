"""Error codes of the livestream area (Saleor's names where Saleor has one)."""

from enum import Enum


class LivestreamErrorCode(Enum):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    DUPLICATED_INPUT_ITEM = "duplicated_input_item"
    INSUFFICIENT_STOCK = "insufficient_stock"
    QUANTITY_GREATER_THAN_LIMIT = "quantity_greater_than_limit"
    PRODUCT_NOT_PUBLISHED = "product_not_published"
    HOST_NOT_ELIGIBLE = "host_not_eligible"
    OVERLAPPING_BOOKING = "overlapping_booking"
    INVALID_DATE_RANGE = "invalid_date_range"
    LIVE_PRICE_ABOVE_REGULAR = "live_price_above_regular"
    INVALID_STATUS = "invalid_status"
    LINEUP_LOCKED = "lineup_locked"
    BROADCAST_NOT_LIVE = "broadcast_not_live"
