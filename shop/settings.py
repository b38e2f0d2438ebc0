"""Settings for county-pavilion.

Everything comes from environment variables with embedded defaults, so that one command
runs the platform on a fresh machine: ``DATABASE_URL`` (else an embedded PostgreSQL under
``var/``), ``REDIS_URL`` (else Celery runs tasks inline), ``ELASTICSEARCH_URL`` (else search
uses the database), ``ALIPAY_*`` for the payment gateway.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .embedded import embedded_postgres

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PAVILION_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Public address used in absolute links (trace-code QR codes, certificates, e-mails).
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "shop",
    "catalog",
    "supplychain",
    "brand",
    "livestream",
    "api",
    "storefront",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": embedded_postgres(
            Path(os.environ.get("PGSERVER_DATA", VAR_DIR / "pgdata")),
            os.environ.get("PGSERVER_DATABASE", "pavilion"),
        )
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "shop.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first; English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise serves from STATIC_ROOT; it exists before the first collectstatic so that a
# fresh checkout (tests, the first run) does not warn about a missing folder.
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only image: collectstatic made it at build time
    pass
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Celery: a real broker when REDIS_URL is set, otherwise tasks run inline.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE: dict = {}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, otherwise the database.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

# Alipay (the payment issue fills these in).
ALIPAY_APP_ID = os.environ.get("ALIPAY_APP_ID", "")
ALIPAY_GATEWAY_URL = os.environ.get("ALIPAY_GATEWAY_URL", "")
ALIPAY_SANDBOX = env_bool("ALIPAY_SANDBOX", True)

# Catalogue
DEFAULT_CHANNEL_SLUG = "default"
DEFAULT_CURRENCY = "CNY"
# Thumbnail sizes (px, longest side) and formats served for product media.
THUMBNAIL_SIZES = [64, 128, 256, 512, 1024]
THUMBNAIL_FORMATS = ["WEBP", "JPEG"]
# Uploaded images: limits checked before anything is stored.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 8 * 1024 * 1024))
IMAGE_MIN_DIMENSION = 200
IMAGE_MAX_DIMENSION = 6000

# GraphQL
GRAPHENE = {
    "SCHEMA": "api.schema.schema",
    "SCHEMA_OUTPUT": "api/schema.graphql",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
}
GRAPHQL_MAX_PAGE_SIZE = 100
JWT_ACCESS_TTL = timedelta(minutes=int(os.environ.get("JWT_ACCESS_TTL_MINUTES", 5)))
JWT_REFRESH_TTL = timedelta(days=int(os.environ.get("JWT_REFRESH_TTL_DAYS", 30)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        # Django's own loggers print through the root handler only (not twice).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

ADMIN_SITE_HEADER = _("County pavilion administration")

# Checkout, orders and Alipay (issue #3) -------------------------------------------------
# ALIPAY_APP_ID, ALIPAY_GATEWAY_URL and ALIPAY_SANDBOX are read above. Keys come from
# files (ALIPAY_PRIVATE_KEY_PATH: our application's RSA private key; ALIPAY_PUBLIC_KEY_PATH:
# Alipay's public key) or inline (ALIPAY_PRIVATE_KEY / ALIPAY_PUBLIC_KEY). Without them a
# development key pair for the application is generated under var/alipay/ at first use
# (see shop/payments.py); Alipay's public key must still be configured to accept notices.
ALIPAY_PRIVATE_KEY_PATH = os.environ.get("ALIPAY_PRIVATE_KEY_PATH", "")
ALIPAY_PUBLIC_KEY_PATH = os.environ.get("ALIPAY_PUBLIC_KEY_PATH", "")
ALIPAY_PRIVATE_KEY = os.environ.get("ALIPAY_PRIVATE_KEY", "")
ALIPAY_PUBLIC_KEY = os.environ.get("ALIPAY_PUBLIC_KEY", "")
ALIPAY_KEY_DIR = VAR_DIR / "alipay"
ALIPAY_NOTIFY_URL = os.environ.get("ALIPAY_NOTIFY_URL", f"{PUBLIC_URL}/alipay/notify/")
ALIPAY_RETURN_URL = os.environ.get("ALIPAY_RETURN_URL", f"{PUBLIC_URL}/alipay/return/")
ALIPAY_TIMEOUT_SECONDS = int(os.environ.get("ALIPAY_TIMEOUT_SECONDS", 15))
# An unpaid order releases its stock after this many minutes.
ORDER_UNPAID_EXPIRY_MINUTES = int(os.environ.get("ORDER_UNPAID_EXPIRY_MINUTES", 30))
# Callables "module.func(line, list_price, channel)" that may give a checkout line another
# price and attribution, e.g. a live price during a broadcast (the livestream issue).
CHECKOUT_PRICE_HOOKS: list[str] = []
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "特色馆 <noreply@localhost>")
# Notifications (shop.notifications): every message goes through each of these backends,
# classes with send(message). The defaults record it in the database (the GraphQL
# ``notifications`` query) and e-mail it; comma-separated in the environment.
NOTIFICATION_BACKENDS = [
    path.strip() for path in os.environ.get(
        "NOTIFICATION_BACKENDS",
        "shop.notifications.DatabaseBackend,shop.notifications.EmailBackend").split(",")
    if path.strip()]
CELERY_BEAT_SCHEDULE["expire-unpaid-orders"] = {
    "task": "shop.tasks.expire_unpaid_orders", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["query-pending-alipay-payments"] = {
    "task": "shop.tasks.query_pending_alipay_payments", "schedule": 120.0}

# Supply chain and trace codes (issue #4)
# A code scanned more often than this is flagged (a package is scanned a handful of times).
TRACE_SCAN_ALERT_THRESHOLD = int(os.environ.get("TRACE_SCAN_ALERT_THRESHOLD", 20))
# Largest packing run: one run issues this many codes at most in one transaction.
TRACE_MAX_CODES_PER_RUN = int(os.environ.get("TRACE_MAX_CODES_PER_RUN", 200_000))

# Product search (catalog.search). Elasticsearch when ELASTICSEARCH_URL is set (above):
# the analyzer for Chinese text is the built-in "cjk" (bigrams) or "smartcn" when the
# analysis-smartcn plugin is installed; the index is reached through this alias.
ELASTICSEARCH_ANALYZER = os.environ.get("ELASTICSEARCH_ANALYZER", "cjk")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "pavilion-products")
# Changes to products within this many seconds are indexed by one task run.
SEARCH_INDEX_DEBOUNCE_SECONDS = int(os.environ.get("SEARCH_INDEX_DEBOUNCE_SECONDS", 2))
# Safety net: index whatever is still marked dirty (a lost task, a change made by SQL).
CELERY_BEAT_SCHEDULE["catalog-update-search-index"] = {
    "task": "catalog.tasks.update_search_index",
    "schedule": 60.0,
}

# Regional brand licensing (issue #5) ------------------------------------------------------
CELERY_BEAT_SCHEDULE["brand-close-notice-periods"] = {
    "task": "brand.tasks.close_notice_periods", "schedule": 300.0}
CELERY_BEAT_SCHEDULE["brand-send-expiry-reminders"] = {
    "task": "brand.tasks.send_expiry_reminders", "schedule": 6 * 3600.0}
CELERY_BEAT_SCHEDULE["brand-expire-licences"] = {
    "task": "brand.tasks.expire_licences", "schedule": 3600.0}

# Livestream selling (issue #6) --------------------------------------------------------------
# Live price inside a broadcast's window, taken only from its live allocation.
CHECKOUT_PRICE_HOOKS = [*CHECKOUT_PRICE_HOOKS, "livestream.services.live_price_hook"]
CHECKOUT_COMPLETE_HOOKS = [*globals().get("CHECKOUT_COMPLETE_HOOKS", []),
                           "livestream.services.take_live_allocation"]
# Reminders go through NOTIFICATION_BACKENDS; each is also a livestream.Reminder row.
LIVESTREAM_REMINDER_LEAD_MINUTES = int(os.environ.get("LIVESTREAM_REMINDER_LEAD_MINUTES", 30))
LIVESTREAM_POST_LIVE_DAYS = 7          # orders this many days after a broadcast: post-live sales
LIVESTREAM_SCHEDULE_WEEKS_AHEAD = 4    # weekly schedules generate broadcasts this far ahead
LIVESTREAM_TIME_ZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE["livestream-send-reminders"] = {
    "task": "livestream.tasks.send_broadcast_reminders", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["livestream-extend-schedules"] = {
    "task": "livestream.tasks.extend_weekly_schedules", "schedule": 6 * 3600.0}
CELERY_BEAT_SCHEDULE["livestream-check-weekly-coverage"] = {
    "task": "livestream.tasks.check_weekly_coverage", "schedule": 6 * 3600.0}
CELERY_BEAT_SCHEDULE["livestream-end-overdue-broadcasts"] = {
    "task": "livestream.tasks.end_overdue_broadcasts", "schedule": 300.0}
