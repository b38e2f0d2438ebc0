"""Without any setting the code is safe to put on the internet: DEBUG off, no key means no
service, only the public host answered, and with an https PUBLIC_URL Django's deployment
checks find nothing. Error pages are Chinese and never show a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
PROBE = textwrap.dedent("""\
    import json, django
    from django.conf import settings
    django.setup()
    try:
        key = bool(settings.SECRET_KEY)
    except Exception as exc:
        key = type(exc).__name__
    print(json.dumps({
        "debug": settings.DEBUG, "key": key, "hosts": settings.ALLOWED_HOSTS,
        "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
        "hsts": settings.SECURE_HSTS_SECONDS, "redirect": settings.SECURE_SSL_REDIRECT,
        "cache": settings.CACHES["default"]["BACKEND"],
        "cache_location": settings.CACHES["default"].get("LOCATION"),
        "email": [settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", None),
                  getattr(settings, "EMAIL_PORT", None),
                  getattr(settings, "EMAIL_USE_TLS", None)],
        "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
        "log_format": settings.LOG_FORMAT,
    }))
    """)
# Variables a developer's shell or CI may have that would change what is probed.
CLEARED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_URL", "REDIS_URL", "EMAIL_URL",
           "CSRF_TRUSTED_ORIGINS", "LOG_FORMAT", "SENTRY_DSN", "DJANGO_SETTINGS_MODULE")


def run_python(args, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", PAVILION_VAR_DIR=str(tmp_path),
                DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    base.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=180)


def probe(tmp_path, **env) -> dict:
    result = run_python(["-c", PROBE], tmp_path, **env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_no_settings_means_production_safe(tmp_path):
    seen = probe(tmp_path)
    assert seen["debug"] is False
    assert seen["key"] == "ImproperlyConfigured"  # no key, no signing
    assert seen["hosts"] == ["localhost"]  # PUBLIC_URL's host only, never "*"
    assert seen["log_format"] == "json"
    assert not (tmp_path / "secret_key").exists()
    # ... and gunicorn's application refuses to load rather than fail on the first cookie.
    served = run_python(["-c", "import config.wsgi"], tmp_path)
    assert served.returncode != 0 and "SECRET_KEY" in served.stderr


def test_debug_makes_and_keeps_a_development_key(tmp_path):
    first = probe(tmp_path, DEBUG="1")
    assert first["debug"] is True and first["key"] is True and first["log_format"] == "text"
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    probe(tmp_path, DEBUG="1")
    assert (tmp_path / "secret_key").read_text() == key


def test_https_public_url_secures_cookies_and_hsts(tmp_path):
    seen = probe(tmp_path, PUBLIC_URL="https://shop.example.cn", SECRET_KEY="x" * 60)
    assert seen["hosts"] == ["shop.example.cn"]
    assert seen["secure_cookies"] == [True, True]
    assert seen["hsts"] >= 31536000 and seen["redirect"] is True


def test_deploy_checks_find_nothing_in_the_production_configuration(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
        PUBLIC_URL="https://shop.example.cn",
        SECRET_KEY="kL3v9-Qm2xWz7pR4tY8uN1bC6dF0gH5jS2aE9iO3wX7zV4nM1qT8rU6yK0lP5hG",
        # Alipay's application and public key, as production has them (shop.W001 else).
        ALIPAY_APP_ID="2021000000000001", ALIPAY_PUBLIC_KEY="MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_services_come_from_the_environment(tmp_path):
    """REDIS_URL gives one Redis cache shared by every process (its database 1, so that
    clearing it never empties the broker's queues); EMAIL_URL gives SMTP; DATABASE_URL a
    pool with statement and lock timeouts."""
    seen = probe(tmp_path, REDIS_URL="redis://redis:6379/0", SECRET_KEY="k" * 60,
                 EMAIL_URL="smtp://mailer%40county.cn:p%40ss@smtp.county.cn:587/?tls=1",
                 DATABASE_URL="postgres://pavilion@db.county.cn/pavilion?sslmode=require")
    assert seen["cache"] == "config.redis_cache.RedisCache"
    assert seen["cache_location"] == "redis://redis:6379/1"
    assert seen["email"] == ["django.core.mail.backends.smtp.EmailBackend",
                             "smtp.county.cn", 587, True]
    assert seen["db_options"]["pool"]["max_size"] >= 1
    assert seen["db_options"]["sslmode"] == "require"  # the URL's own options are kept
    assert "statement_timeout=30000" in seen["db_options"]["options"]
    assert "lock_timeout=10000" in seen["db_options"]["options"]
    embedded = probe(tmp_path, SECRET_KEY="k" * 60)
    assert embedded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert embedded["email"][0] == "django.core.mail.backends.console.EmailBackend"


def test_an_unknown_mail_scheme_is_refused(tmp_path):
    result = run_python(["-c", PROBE], tmp_path, EMAIL_URL="smtpx://host")
    assert result.returncode != 0 and "EMAIL_URL" in result.stderr


@pytest.mark.django_db
def test_the_database_session_has_the_timeouts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]
    assert (lock_timeout, statement_timeout) == ("10s", "30s")


@pytest.mark.django_db
def test_a_missing_page_is_chinese_and_plain():
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回特色馆首页" in html
    assert "Traceback" not in html and "URLconf" not in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.infra.error_urls", DEBUG=False)
def test_a_server_error_is_chinese_and_shows_no_traceback():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in html and "请稍后再试" in html
    for leak in ("Traceback", "RuntimeError", "postgresql", "PGSQL"):
        assert leak not in html
