"""Tibetan (བོད་ཡིག) for 泽库's shoppers: Django knows the language; the Tibetan catalogue
holds every message of the shop's pages, the trace page and the recall banner and notices
(the messages ``scripts/i18n.py`` finds there), in Tibetan script, compiled; and in
Chromium, with Debian's Tibetan Machine Uni installed, a 泽库 product page and its trace
page switched to བོད་ཡིག render Tibetan with a Tibetan font (screenshots at 390x844)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import get_language_info, override

from catalog.models import Pavilion, Product
from demo import tibetan
from shop.returns import ReturnRequest
from shop.services import returns as return_services
from supplychain.models import Base
from tests.browser import Phone
from tests.factories import make_paid_order, remember

LOCALE = Path(settings.LOCALE_PATHS[0])
BO = LOCALE / "bo" / "LC_MESSAGES" / "django.po"
TIBETAN = re.compile("[\u0f00-\u0fff]")
TIBETAN_FONT = Path("/usr/share/fonts/truetype/tibetan-machine/TibetanMachineUni.ttf")


def _i18n_script():
    spec = importlib.util.spec_from_file_location(
        "i18n_script", Path(settings.BASE_DIR) / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _key(entry) -> tuple:
    return (entry.msgctxt or None, entry.msgid)


def test_tibetan_is_a_language_django_knows():
    assert ("bo", "བོད་ཡིག") in settings.LANGUAGES
    assert get_language_info("bo")["name_local"] == "བོད་ཡིག"


def test_every_message_of_the_shop_and_trace_pages_has_tibetan_and_the_mo_is_current():
    """Fails when a template or module of the shop, the trace page or the recall notices
    uses a message the Tibetan catalogue lacks (add it to config/locale/translations/bo/
    and run scripts/i18n.py), or when the .mo is older than the .po."""
    used = {(context, msgid) for context, msgid, _plural in _i18n_script().shop_messages()}
    assert len(used) > 200
    po = polib.pofile(str(BO))
    catalogue = {_key(e): e for e in po}
    assert sorted(used - set(catalogue), key=str) == []
    untranslated = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []
    for entry in po:
        text = entry.msgstr or entry.msgstr_plural[0]
        # Tibetan script, or a message kept as it is (a name such as "GraphQL", figures).
        assert TIBETAN.search(text) or text == entry.msgid, entry.msgid
        # Every placeholder of the message is kept.
        assert sorted(re.findall(r"%\(\w+\)s", text)) == \
            sorted(re.findall(r"%\(\w+\)s", entry.msgid)), entry.msgid
    assert "TO BE REVIEWED by a Tibetan speaker from 泽库" in po.header
    mo = polib.mofile(str(BO.with_suffix(".mo")))
    assert {_key(e): e.msgstr for e in po} == {_key(e): e.msgstr for e in mo if e.msgid}


def test_the_after_sales_labels_are_tibetan_on_the_order_page(channel, variant, shipping):
    """Every after-sales type, reason and status has its Tibetan; a 泽库 shopper's order
    page shows their request's in Tibetan, not in Chinese or English."""
    for choices in (ReturnRequest.Type, ReturnRequest.Reason, ReturnRequest.Status):
        for value, label in choices.choices:
            with override("bo"):
                assert TIBETAN.search(str(label)), value
    order = make_paid_order(channel, variant, shipping, quantity=2)
    return_services.request_return(
        order, user=None, lines=[{"order_line_id": order.lines.get().pk, "quantity": 1}],
        type=ReturnRequest.Type.REFUND_ONLY, reason=ReturnRequest.Reason.NOT_WANTED)
    client = Client()
    remember(client, order)
    client.cookies["django_language"] = "bo"
    html = client.get(f"/orders/{order.number}/").content.decode()
    assert "ཚོང་པར་སྒུག་བཞིན་པ།" in html  # waiting for the seller
    assert "མི་དགོས། (ད་དུང་མ་བསྐུར།)" in html  # no longer wanted, not shipped yet
    assert "རིན་ཕྱིར་སློག་ཙམ།" in html  # refund only
    for text in ("等待卖家处理", "Waiting for the seller", "No longer wanted"):
        assert text not in html


def _zeku(persimmon, base):
    """The test's product and base become 泽库's yak meat from 宁秀村基地, with the
    demo's Tibetan records."""
    zeku = Pavilion.objects.create(name="泽库特色馆", slug="zeku", county="泽库县",
                                   province="青海省", regional_brand_name="泽库牦牛·泽库藏羊")
    Product.objects.filter(pk=persimmon.pk).update(name="泽库牦牛肉", slug="zeku-yak-meat",
                                                    pavilion=zeku)
    Base.objects.filter(pk=base.pk).update(name="宁秀村基地", location="泽库县宁秀乡宁秀村")
    # The pavilion, the product, its two graded variants and the base.
    assert tibetan.load_tibetan() == 5
    return Product.objects.get(pk=persimmon.pk)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_zeku_product_and_its_trace_page_in_tibetan_in_chromium(
        chromium, live_server, channel, persimmon, base, trace, settings, tmp_path):
    assert TIBETAN_FONT.exists(), "apt-get install fonts-tibetan-machine (scripts/test.sh)"
    settings.MEDIA_ROOT = str(tmp_path)
    product = _zeku(persimmon, base)
    name_bo, _description = tibetan.PRODUCTS["zeku-yak-meat"]
    phone = Phone(chromium, tmp_path)
    page = phone.page
    page.goto(f"{live_server.url}/product/{product.slug}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The switch at the page's foot: a plain link, back to the same page.
    page.locator('nav.lang a[lang="bo"]').click()
    page.wait_for_selector('html[lang="bo"]')
    assert page.url.endswith(f"/product/{product.slug}/")
    assert page.locator("h1").inner_text().startswith(name_bo)
    assert "泽库牦牛肉" in page.locator("h1").inner_text()
    assert page.get_by_role("button", name="ཉོ་སྒམ་དུ་བསྣན།").is_visible()
    assert page.get_by_text("ཁྱད་རིམ། 500g").is_visible()  # the variant's grade
    _tibetan_font_renders(page, "h1")
    page.locator("h1").scroll_into_view_if_needed()
    phone.shot("product-zeku-bo")

    # The trace page, script-free, has its own switch; the choice holds there too.
    page.goto(f"{live_server.url}/t/{trace.code}")
    assert page.locator("html").get_attribute("lang") == "bo"
    page.locator('nav.lang a[lang="zh-hans"]').click()
    page.wait_for_selector('html[lang="zh-hans"]')
    assert "追溯码" in page.content()
    page.locator('nav.lang a[lang="bo"]').click()
    page.wait_for_selector('html[lang="bo"]')
    assert page.url.endswith(f"/t/{trace.code}")
    body = page.locator("body").inner_text()
    assert name_bo in body and "རྗེས་འདེད་ཨང་རྟགས།" in body
    assert tibetan.BASES["宁秀村基地"][0] in body
    assert page.locator("script").count() == 0
    _tibetan_font_renders(page, "header h1")
    phone.shot("trace-zeku-bo")
    phone.context.close()


def _tibetan_font_renders(page, selector: str):
    """The element's Tibetan is drawn with the page's Tibetan face (an installed Tibetan
    font found by ``local()``, nothing downloaded): the face loads, and the text is as wide
    as in that face (in a font without Tibetan it would be boxes of another width)."""
    found = page.evaluate("""async (selector) => {
        const face = [...document.fonts].find(
            f => f.family.replace(/"/g, '') === 'PavilionTibetan');
        if (!face) return {status: 'missing'};
        try { await face.load(); } catch (e) { return {status: face.status}; }
        const element = document.querySelector(selector);
        const text = [...element.textContent]
            .filter(c => c >= '\\u0f00' && c <= '\\u0fff').join('');
        const c = document.createElement('canvas').getContext('2d');
        const w = f => { c.font = f; return c.measureText(text).width; };
        return {status: face.status, text, page: w('16px ' + getComputedStyle(element).fontFamily),
                tibetan: w('16px PavilionTibetan')};
    }""", selector)
    assert found["status"] == "loaded", found
    assert found["text"]
    assert found["page"] == pytest.approx(found["tibetan"], rel=0.01)
