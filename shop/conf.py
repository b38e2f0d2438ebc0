"""How an app declares its own settings and periodic tasks.

The project's settings (``config/settings.py``) hold only the wiring: database, broker,
search server, locale, static files. Each app keeps the knobs of its own rules in its
``conf.py`` (``defaults()``, read from the environment where an operator may change them,
and ``BEAT_SCHEDULE``, its Celery beat entries) and installs them from its
``AppConfig.ready`` with :func:`install`. A value already set in the settings module (or by
a test's ``settings`` fixture) wins over the app's default.
"""

from __future__ import annotations

import os
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated environment variable as a list of non-empty, stripped items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def install(defaults: dict | None = None, beat_schedule: dict | None = None) -> None:
    """Give ``settings`` each default it does not set yet, and add the app's beat entries
    to the Celery app's schedule (read by ``celery beat`` when it starts)."""
    for name, value in (defaults or {}).items():
        if not hasattr(settings, name):
            setattr(settings, name, value)
    if beat_schedule:
        current_app.conf.beat_schedule.update(beat_schedule)

# The shop's own settings; installed by ShopConfig.ready.


def defaults() -> dict:
    public_url = settings.PUBLIC_URL
    return {
        "DEFAULT_CHANNEL_SLUG": "default",
        "DEFAULT_CURRENCY": "CNY",
        "ADMIN_SITE_HEADER": _("County pavilion administration"),
        "JWT_ACCESS_TTL": timedelta(minutes=env_int("JWT_ACCESS_TTL_MINUTES", 5)),
        "JWT_REFRESH_TTL": timedelta(days=env_int("JWT_REFRESH_TTL_DAYS", 30)),
        # Alipay. Keys come from files (ALIPAY_PRIVATE_KEY_PATH: our application's RSA
        # private key; ALIPAY_PUBLIC_KEY_PATH: Alipay's public key) or inline
        # (ALIPAY_PRIVATE_KEY / ALIPAY_PUBLIC_KEY). Without them a development key pair for
        # the application is made under var/alipay/ at first use (shop/alipay.py);
        # Alipay's public key must still be configured to accept notices.
        "ALIPAY_APP_ID": env_str("ALIPAY_APP_ID"),
        "ALIPAY_GATEWAY_URL": env_str("ALIPAY_GATEWAY_URL"),
        "ALIPAY_SANDBOX": env_bool("ALIPAY_SANDBOX", True),
        "ALIPAY_PRIVATE_KEY_PATH": env_str("ALIPAY_PRIVATE_KEY_PATH"),
        "ALIPAY_PUBLIC_KEY_PATH": env_str("ALIPAY_PUBLIC_KEY_PATH"),
        "ALIPAY_PRIVATE_KEY": env_str("ALIPAY_PRIVATE_KEY"),
        "ALIPAY_PUBLIC_KEY": env_str("ALIPAY_PUBLIC_KEY"),
        "ALIPAY_KEY_DIR": settings.VAR_DIR / "alipay",
        "ALIPAY_NOTIFY_URL": env_str("ALIPAY_NOTIFY_URL", f"{public_url}/alipay/notify/"),
        "ALIPAY_RETURN_URL": env_str("ALIPAY_RETURN_URL", f"{public_url}/alipay/return/"),
        "ALIPAY_TIMEOUT_SECONDS": env_int("ALIPAY_TIMEOUT_SECONDS", 15),
        # Reverse proxies (addresses or networks) whose X-Forwarded-For names the client
        # (shop.middleware.ClientAddressMiddleware); empty: REMOTE_ADDR is the client.
        "TRUSTED_PROXIES": env_list("TRUSTED_PROXIES", ""),
        # One password-reset (and one account-confirmation) mail per account within this
        # many seconds.
        "PASSWORD_RESET_MAIL_INTERVAL": env_int("PASSWORD_RESET_MAIL_INTERVAL", 120),
        # A new account must be confirmed through a link e-mailed to it before it can sign
        # in (Saleor's ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL). Off by default: many of the
        # county's shoppers register on a phone and read no e-mail, and the demo lets a
        # new shopper register and buy at once.
        "ACCOUNT_CONFIRMATION_BY_EMAIL": env_bool("ACCOUNT_CONFIRMATION_BY_EMAIL", False),
        # An invitation to join an organisation works once, for this many days.
        "MEMBER_INVITATION_DAYS": env_int("MEMBER_INVITATION_DAYS", 7),
        # An unpaid order releases its stock after this many minutes.
        "ORDER_UNPAID_EXPIRY_MINUTES": env_int("ORDER_UNPAID_EXPIRY_MINUTES", 30),
        # A checkout paid through its transactions but neither completed nor changed for
        # this long gets its money back (Saleor's CHECKOUT_TTL_BEFORE_RELEASING_FUNDS).
        "CHECKOUT_FUNDS_RELEASE_HOURS": env_int("CHECKOUT_FUNDS_RELEASE_HOURS", 6),
        # The trade of a payment called off is closed at Alipay (alipay.trade.close); a
        # close that fails is tried again on the beat for this long.
        "ALIPAY_CLOSE_RETRY_HOURS": env_int("ALIPAY_CLOSE_RETRY_HOURS", 24),
        # A shipped order the buyer has not confirmed (确认收货) is confirmed this many days
        # after its last package shipped, as the big marketplaces do.
        "ORDER_AUTO_CONFIRM_DAYS": env_int("ORDER_AUTO_CONFIRM_DAYS", 10),
        # After-sales (shop.services.returns): a shopper may ask for a refund or a return
        # this many days after delivery (七天无理由退货), and any time while the goods
        # are on their way.
        "RETURN_WINDOW_DAYS": env_int("RETURN_WINDOW_DAYS", 7),
        # Fresh and perishable goods (鲜活易腐, by category slug, sub-categories included)
        # are exempt from the no-reason return and are not sent back: refund only, for a
        # problem shown in a photo. By default the demo's fresh fruit, meat, eggs and dairy.
        "RETURN_REFUND_ONLY_CATEGORIES": env_list(
            "RETURN_REFUND_ONLY_CATEGORIES", "fresh-fruit,meat,eggs-dairy"),
        # Photos a shopper may attach to a request, and the size of each.
        "RETURN_PHOTOS_MAX": env_int("RETURN_PHOTOS_MAX", 3),
        "RETURN_PHOTO_MAX_BYTES": env_int("RETURN_PHOTO_MAX_BYTES", 5 * 1024 * 1024),
        # An approved request's refund that the gateway refused is tried again on a
        # schedule: first after this many minutes, then twice as long each time (a day
        # at most), under the same refund number.
        "RETURN_REFUND_RETRY_MINUTES": env_int("RETURN_REFUND_RETRY_MINUTES", 10),
        # Every notification goes through each of these backends (shop.notifications):
        # by default recorded in the database (the GraphQL ``notifications`` query) and
        # e-mailed.
        "NOTIFICATION_BACKENDS": env_list(
            "NOTIFICATION_BACKENDS",
            "shop.notifications.DatabaseBackend,shop.notifications.EmailBackend,"
            "shop.sms.SmsBackend"),
        # Text messages through Alibaba Cloud's SMS service (shop.sms): sent only with an
        # AccessKey, a signature (签名) and a template code (模板) for the notice's kind,
        # as "kind=SMS_123,..." (order_shipped, recall, any notice kind).
        "SMS_ACCESS_KEY_ID": env_str("SMS_ACCESS_KEY_ID"),
        "SMS_ACCESS_KEY_SECRET": env_str("SMS_ACCESS_KEY_SECRET"),
        "SMS_SIGN_NAME": env_str("SMS_SIGN_NAME"),
        "SMS_TEMPLATES": dict(item.split("=", 1) for item in env_list("SMS_TEMPLATES", "")
                              if "=" in item),
        # The API's address: Alibaba Cloud's by default, a local stand-in in tests.
        "SMS_ENDPOINT": env_str("SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com"),
        "SMS_TIMEOUT_MS": env_int("SMS_TIMEOUT_MS", 5000),
    }


BEAT_SCHEDULE = {
    # Hands the broker the after-commit work it missed while it was down (shop.outbox).
    "publish-pending-outbox": {"task": "shop.tasks.publish_pending_outbox", "schedule": 30.0},
    "expire-unpaid-orders": {"task": "shop.tasks.expire_unpaid_orders", "schedule": 60.0},
    "query-pending-alipay-payments": {
        "task": "shop.tasks.query_pending_alipay_payments", "schedule": 120.0},
    "refund-due-payments": {"task": "shop.tasks.refund_due_payments", "schedule": 300.0},
    "close-called-off-trades": {"task": "shop.tasks.close_called_off_trades",
                                "schedule": 300.0},
    "release-abandoned-checkout-payments": {
        "task": "shop.tasks.release_abandoned_checkout_payments", "schedule": 600.0},
    "confirm-overdue-receipts": {"task": "shop.tasks.confirm_overdue_receipts",
                                 "schedule": 3600.0},
    "retry-after-sales-refunds": {"task": "shop.tasks.retry_after_sales_refunds",
                                  "schedule": 300.0},
    "delete-expired-verification-codes": {
        "task": "shop.tasks.delete_expired_verification_codes", "schedule": 3600.0},
}
