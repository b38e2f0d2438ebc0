"""Chinese first: the catalogue is complete and compiled, pages and the admin speak
Simplified Chinese unless the visitor chose English, API clients may ask for English."""

import json
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

PO = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation_and_the_mo_is_current():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po} == {e.msgid: e.msgstr for e in mo}


@pytest.mark.django_db
def test_admin_is_chinese_by_default_even_for_an_english_browser():
    page = Client().get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert "特色馆管理后台" in html and "登录" in html


@pytest.mark.django_db
def test_a_visitor_can_choose_english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    html = client.get("/admin/login/").content.decode()
    assert "County pavilion administration" in html and "Log in" in html


@pytest.mark.django_db
def test_api_errors_are_chinese_unless_the_client_asks_for_english(channel):
    query = json.dumps({"query": "{ products(first: 1000) { totalCount } }"})
    zh = Client().post("/graphql/", query, content_type="application/json").json()
    assert "超过" in zh["errors"][0]["message"]
    en = Client().post("/graphql/", query, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="en").json()
    assert "exceeds the `first` limit of 100" in en["errors"][0]["message"]
