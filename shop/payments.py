"""The Alipay client under the name the storefront still imports it by; it lives in
``shop.alipay``. Remove this module once ``storefront/views.py`` imports ``shop.alipay``."""

from .alipay import (  # noqa: F401
    AlipayError,
    AlipayNotConfigured,
    query_trade,
    refund_trade,
    trade_pay_url,
    verify_notice,
)
