"""Tibetan (བོད་ཡིག) for 泽库's shoppers: Django learns the language, every shop page offers
the switch, the pages then declare ``lang="bo"`` and show the Tibetan catalogue's strings,
and a message without a Tibetan translation falls back to Chinese, never to English.
In Chromium, with Debian's Tibetan Machine Uni font installed (fonts-tibetan-machine),
the page's Tibetan renders with a Tibetan font.

The Tibetan catalogue is partial (navigation, language switch, recall heading); it is
checked here for being compiled, in Tibetan script and about messages the code has."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import get_language_info

from tests.browser import PHONE, SHOTS

LOCALE = Path(settings.LOCALE_PATHS[0])
BO = LOCALE / "bo" / "LC_MESSAGES" / "django.po"
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
TIBETAN = re.compile("[\u0f00-\u0fff]")


def test_tibetan_is_a_language_django_knows():
    assert ("bo", "བོད་ཡིག") in settings.LANGUAGES
    assert get_language_info("bo")["name_local"] == "བོད་ཡིག"


def test_tibetan_catalogue_is_compiled_tibetan_and_about_real_messages():
    po = polib.pofile(str(BO))
    assert len(po) >= 8
    zh = {e.msgid for e in polib.pofile(str(ZH))}
    for entry in po:
        assert entry.translated() and TIBETAN.search(entry.msgstr), entry.msgid
        assert entry.msgid in zh, f"{entry.msgid!r} is no message of the code"
    mo = polib.mofile(str(BO.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in po} == {e.msgid: e.msgstr for e in mo if e.msgid}


@pytest.mark.django_db
def test_a_shopper_switches_to_tibetan_from_a_shop_page(channel):
    client = Client()
    home = client.get("/").content.decode()
    assert 'lang="zh-hans"' in home and 'value="bo"' in home and "བོད་ཡིག" in home
    response = client.post("/i18n/setlang/", {"language": "bo", "next": "/search/"})
    assert response["Location"] == "/search/"
    page = client.get("/search/").content.decode()
    assert '<html lang="bo">' in page
    assert "སྐད་ཡིག་བརྗེ་བ།" in page and "འཚོལ་ཞིབ།" in page and "ཐད་གཏོང་།" in page
    assert "购物车" in page  # not translated yet: Chinese, not English
    assert ">Cart<" not in page
    live = client.get("/live/").content.decode()
    assert '<html lang="bo">' in live and "ཐད་གཏོང་།" in live  # every shop page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_tibetan_renders_with_a_tibetan_font_in_chromium(chromium, live_server, channel,
                                                         monkeypatch):
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.select_option("#language", "bo")
    page.get_by_role("button", name="切换语言").click()
    page.wait_for_selector('html[lang="bo"]')
    assert page.evaluate("document.fonts.check('16px \"Tibetan Machine Uni\"', 'ཐད་གཏོང་')")
    # The glyphs come from a Tibetan font: the text is as wide as in Tibetan Machine Uni,
    # not as the empty boxes of a font without Tibetan.
    widths = page.evaluate("""() => {
        const c = document.createElement('canvas').getContext('2d'), t = 'ཐད་གཏོང་།';
        const w = f => { c.font = f; return c.measureText(t).width; };
        const link = [...document.querySelectorAll('footer a')].find(a => a.textContent.includes('ཐད'));
        return {page: w('16px ' + getComputedStyle(link).fontFamily),
                tibetan: w('16px "Tibetan Machine Uni"')};
    }""")
    assert widths["page"] == pytest.approx(widths["tibetan"], rel=0.01)
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    page.locator("footer").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "shop" / "home-bo.png"))
    context.close()


@pytest.mark.django_db
def test_label_sheet_of_a_product_with_a_tibetan_name_embeds_a_tibetan_font(packing_run):
    """A 泽库-style bilingual label: the Tibetan name (the product's ``bo`` translation)
    drawn in Tibetan Machine Uni, the font file embedded in the PDF (a subset of it)."""
    from content.models import ProductTranslation
    from supplychain import labels

    plain = labels.render_label_sheet(packing_run)
    assert b"Tibetan_Machine_Uni" not in plain
    ProductTranslation.objects.create(product=packing_run.variant.product, language_code="bo",
                                      name="ཞྭ་ཁྱུང་གི་འབྲས་སྐམ།")
    pdf = labels.render_label_sheet(packing_run)
    assert pdf.startswith(b"%PDF")
    assert re.search(rb"/BaseFont /[A-Z]{6}\+Tibetan_Machine_Uni", pdf)
    assert b"/FontFile2" in pdf  # the TrueType program itself, not a reference to it
    assert b"STSong-Light" in pdf  # the Chinese lines are still there
    (SHOTS / "shop").mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "labels-bo.pdf").write_bytes(pdf)


@pytest.mark.django_db
def test_product_page_shows_the_tibetan_name_beside_the_chinese(persimmon):
    from content.models import ProductTranslation

    page = Client().get(f"/product/{persimmon.slug}/").content.decode()
    assert 'class="name-bo"' not in page
    ProductTranslation.objects.create(product=persimmon, language_code="bo",
                                      name="ཞྭ་ཁྱུང་གི་འབྲས་སྐམ།")
    page = Client().get(f"/product/{persimmon.slug}/").content.decode()
    assert '<span class="name-bo" lang="bo">ཞྭ་ཁྱུང་གི་འབྲས་སྐམ།</span>' in page
    assert "渑池柿饼" in page
