"""Error codes of accounts and channels, Saleor's names."""

from enum import Enum


class AccountErrorCode(Enum):
    ACTIVATE_OWN_ACCOUNT = "activate_own_account"
    ACCOUNT_NOT_CONFIRMED = "account_not_confirmed"
    GRAPHQL_ERROR = "graphql_error"
    INACTIVE = "inactive"
    INVALID = "invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_PASSWORD = "invalid_password"
    JWT_DECODE_ERROR = "jwt_decode_error"
    JWT_INVALID_TOKEN = "jwt_invalid_token"
    JWT_MISSING_TOKEN = "jwt_missing_token"
    JWT_SIGNATURE_EXPIRED = "jwt_signature_expired"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"


class ChannelErrorCode(Enum):
    ALREADY_EXISTS = "already_exists"
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
