"""Settings for county-pavilion.

Safe for production without any variable: ``DEBUG`` is off, ``SECRET_KEY`` must be given
(``DEBUG=1`` makes a development key under ``var/``; scripts/dev.sh sets it), the site
answers only for ``PUBLIC_URL``'s host unless ``ALLOWED_HOSTS`` says more, and an https
``PUBLIC_URL`` turns on secure cookies, HSTS and the HTTPS redirect.

Services come from environment variables with embedded defaults, so that one command runs
the platform on a fresh machine: ``DATABASE_URL`` (else an embedded PostgreSQL under
``var/``), ``REDIS_URL`` (else Celery runs tasks inline and the cache is per process),
``ELASTICSEARCH_URL`` (else search uses the database), ``EMAIL_URL`` (else mail is printed),
``SENTRY_DSN`` (error reporting), ``ALIPAY_*`` for the payment gateway. The README's
configuration section lists them all.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from .embedded import development_secret_key, embedded_postgres
from .mail import email_settings
from .observability import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PAVILION_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if value is None else [item.strip() for item in value.split(",") if item]


DEBUG = env_bool("DEBUG", False)
# Empty means unset: Django then refuses to sign anything, and config/wsgi.py refuses to
# serve. Only a development run (DEBUG on) gets a generated key kept under var/.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or (development_secret_key(VAR_DIR) if DEBUG else "")
# The public address: every absolute link (pages, e-mails, trace-code QR codes, media,
# Alipay's return and notify URLs) is built from it, never from a request's Host header.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:8000").rstrip("/")
_public = urlsplit(PUBLIC_URL)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [_public.hostname or "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_public.scheme}://{_public.netloc}"])

# HTTPS: served behind a proxy that ends TLS and says so in X-Forwarded-Proto.
HTTPS = _public.scheme == "https"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "graphene_django",
    "graphene_django_graphiql_static",
    "shop",
    "catalog",
    "supplychain",
    "brand",
    "livestream",
    "api",
    "django_htmx",
    "workbench",
    "county_statistics",
    "content",
    "storefront",
    "demo",
]

MIDDLEWARE = [
    # First: probes are answered before host checks and the HTTPS redirect.
    "config.health.HealthCheckMiddleware",
    "config.observability.RequestIdMiddleware",
    "shop.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "shop.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own templates: the 404 and 500 pages.
        "DIRS": [Path(__file__).resolve().parent / "templates"],
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
    # Health checks: a connection the database dropped (a restart) is replaced before use.
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"],
                                                  conn_health_checks=True)}
    if env_bool("DB_POOL", True):
        # Django's own pool (psycopg_pool), one per process, added to the URL's own options
        # (sslmode, a socket folder); each gunicorn thread or Celery child borrows a
        # connection, checked before it is handed out.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 1),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
else:
    DATABASES = {
        "default": embedded_postgres(
            Path(os.environ.get("PGSERVER_DATA", VAR_DIR / "pgdata")),
            os.environ.get("PGSERVER_DATABASE", "pavilion"),
        )
    }
# A statement may run 30 s and wait 10 s for a row lock (milliseconds; 0 turns one off), so
# that a held lock answers a clear error instead of blocking a request until gunicorn
# kills the worker. The planner keeps the server's own settings (the search plans its
# statements for the GIN index itself: catalog.search.db.gin_plans).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000)}"
    f" -c lock_timeout={env_int('DB_LOCK_TIMEOUT_MS', 10000)}"
)
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
LANGUAGES = [("zh-hans", "简体中文"), ("bo", "བོད་ཡིག"), ("en", "English")]
# The translation catalogue lives in this package so that an installed copy finds it.
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
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
# Media may be served from another address (the object store or a web server in front);
# absolute links to it are still made from PUBLIC_URL when MEDIA_URL is a path.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# With S3_BUCKET every upload, thumbnail, label sheet and document goes to that bucket of an
# S3-compatible store (Alibaba Cloud OSS, Tencent COS, MinIO) through django-storages.
# Public images are linked by their plain address (S3_CUSTOM_DOMAIN, or the endpoint's;
# the bucket's policy lets anyone read products/ and thumbnails/, never private/); private files
# only by presigned addresses that expire after PRIVATE_URL_SECONDS (shop/private_files.py),
# handed out after a permission check. Keys: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
PRIVATE_URL_SECONDS = int(os.environ.get("PRIVATE_URL_SECONDS", 300))
if S3_BUCKET:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
        # "path" for MinIO and most self-hosted stores; OSS and COS want "virtual".
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "querystring_auth": False,
        "file_overwrite": False,
    }}
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
# A task whose worker process died is given back to the queue at once instead of being
# lost; a worker killed outright leaves its tasks unacknowledged, and Redis hands them to
# another worker after the visibility timeout (longer than any task runs or waits).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 900)),
    # Sending a task tries the connection twice, briefly: with Redis down the caller
    # (a request) gets an error at once and keeps the work in the outbox (shop/outbox.py).
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    "socket_connect_timeout": 3,
}
# A worker that loses Redis keeps trying to reconnect (compose restarts it if it stops).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Logs go through LOGGING below (JSON in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat wakes at least once a minute, which keeps its heartbeat file fresh (config/health.py).
CELERY_BEAT_MAX_LOOP_INTERVAL = 60

# One cache for every process (debounces, throttles): Redis when REDIS_URL is set (its
# database 1 unless REDIS_CACHE_URL says otherwise, so that clearing the cache never empties
# the broker's queues), otherwise each process keeps its own in memory.
REDIS_CACHE_URL = os.environ.get("REDIS_CACHE_URL", "") or (
    urlsplit(REDIS_URL)._replace(path="/1").geturl() if REDIS_URL else "")
CACHES = {"default": (
    {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": REDIS_CACHE_URL,
     "KEY_PREFIX": "pavilion"}
    if REDIS_CACHE_URL else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)}
# Sessions read from the cache (written to both): a page served from the page cache then
# costs no SQL for a visitor with a session (storefront/cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Search: Elasticsearch when ELASTICSEARCH_URL is set, otherwise the database.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

# GraphQL
GRAPHENE = {
    "SCHEMA": "api.schema.schema",
    "SCHEMA_OUTPUT": "api/schema.graphql",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
}
GRAPHQL_MAX_PAGE_SIZE = 100

# Mail: one URL (config/mail.py lists the forms), printed to the console by default.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "特色馆 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
globals().update(email_settings(os.environ.get("EMAIL_URL", "console://")))

# Logs: JSON lines in production, text in development, each with its request id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = logging_config(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))

# Errors reported to Sentry (or a compatible service) when a DSN is given.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    init_sentry(SENTRY_DSN, os.environ.get("SENTRY_ENVIRONMENT", "production"),
                float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")))

# Each app's own settings (thumbnail sizes, trace-code limits, Alipay, live-sale rules...)
# and its Celery beat entries are declared in the app's conf.py and installed by its
# AppConfig.ready (shop/conf.py says how); set one here or in the environment to override.
