"""What a browser is told to defend itself with, and what an attacker learns from the
pages that refuse or fail: the production settings' cookies (HttpOnly, Secure, SameSite),
the security headers every page carries (framing refused, a Content-Security-Policy that
forbids plugins, foreign ``<base>`` and framing), a session that changes at sign-in (no
fixation), reset links made from the public address whatever Host the request named, the
workbench's forms refused without their CSRF token, and error pages with nothing of the
code, the settings or the database in them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, TestCase

from content.models import Page
from shop.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_production_cookies_are_httponly_secure_and_same_site(tmp_path):
    """The settings module itself, as an https deployment loads it (nothing set by tests)."""
    script = ("import json, config.settings as s; print(json.dumps({k: getattr(s, k) for k in "
              "('SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_SAMESITE',"
              " 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', 'DEBUG',"
              " 'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'LANGUAGE_COOKIE_SECURE')"
              " if hasattr(s, k)}))")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(PUBLIC_URL="https://shop.example.cn", SECRET_KEY="x" * 60,
               PAVILION_VAR_DIR=str(tmp_path))
    answer = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr[-2000:]
    values = json.loads(answer.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values.get("SESSION_COOKIE_HTTPONLY", True) is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values.get("SESSION_COOKIE_SAMESITE", "Lax") in ("Lax", "Strict")
    assert values.get("CSRF_COOKIE_SAMESITE", "Lax") in ("Lax", "Strict")
    assert values["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values.get("X_FRAME_OPTIONS", "DENY") == "DENY"


def test_every_kind_of_page_refuses_framing_plugins_and_a_foreign_base(channel):
    client = Client()
    for url in ("/", "/account/sign-in/", "/page/", "/live/", "/brand/", "/no-such-page/",
                "/work/", "/graphql/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        policy = {part.split()[0]: part.split()[1:] for part in
                  response.get("Content-Security-Policy", "").split(";") if part.strip()}
        assert policy.get("frame-ancestors") == ["'none'"], (url, policy)
        assert policy.get("object-src") == ["'none'"], (url, policy)
        assert policy.get("base-uri") == ["'self'"], (url, policy)


def test_signing_in_gives_the_browser_a_new_session():
    User.objects.create_user("shopper@example.com", PASSWORD)
    client = Client()
    # An attacker's session planted in the victim's browser before they sign in.
    planted = client.session
    planted["planted"] = True
    planted.save()
    client.cookies["sessionid"] = planted.session_key
    response = client.post("/account/sign-in/", {"email": "shopper@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted.session_key
    # The planted key is not signed in.
    attacker = Client()
    attacker.cookies["sessionid"] = planted.session_key
    assert "_auth_user_id" not in attacker.session


def test_a_reset_link_names_the_public_address_whatever_host_the_request_named(settings):
    User.objects.create_user("shopper@example.com", PASSWORD)
    settings.ALLOWED_HOSTS = ["testserver", "evil.example.com"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post("/account/password/", {"email": "shopper@example.com"},
                      HTTP_HOST="evil.example.com", HTTP_X_FORWARDED_HOST="evil.example.com")
    body = "\n".join(m.body for m in mail.outbox)
    assert settings.PUBLIC_URL in body and "evil.example.com" not in body


def test_a_workbench_form_without_its_csrf_token_is_refused(operator_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(operator_user)
    response = browser.post("/work/ops/pages/new/", {"title": "伪造", "content": "x"})
    assert response.status_code == 403
    assert not Page.objects.exists()
    # The refusal is the pavilion's own page, in Chinese, naming nothing of the framework.
    page = response.content.decode()
    assert "刷新页面后重新提交" in page and 'href="/work/"' in page
    assert "DEBUG" not in page and "CSRF" not in page


def test_a_failing_page_tells_nothing_of_the_code_or_the_settings(monkeypatch, settings):
    settings.DEBUG = False

    def broken(*_args, **_kwargs):
        raise RuntimeError(f"secret {settings.SECRET_KEY} at /srv/app/content.py")

    monkeypatch.setattr("storefront.content_pages.page_language", broken)
    response = Client(raise_request_exception=False).get("/page/")
    assert response.status_code == 500
    page = response.content.decode()
    for leak in (settings.SECRET_KEY, "Traceback", "RuntimeError", "content.py",
                 "DATABASES", "/srv/app"):
        assert leak not in page, leak
    assert "<html" in page
