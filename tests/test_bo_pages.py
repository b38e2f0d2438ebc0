"""泽库 in Tibetan on the shop and trace pages: the language switch (plain links, so the
script-free trace page has it too) keeps the shopper on the page and remembers an
account's choice; in བོད་ཡིག a pavilion, its products and a trace page show their Tibetan
translation records beside the Chinese, and fall back to Chinese where a record is missing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from content.models import (
    BaseTranslation,
    CategoryTranslation,
    PavilionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
)
from shop.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NAME_BO = "ཞྭ་ཁྱུང་གི་འབྲས་སྐམ།"
DESCRIPTION_BO = "སྐམ་པོ་བཟོས་པའི་ཤིང་ཏོག་ཞིམ་པོ།"


def _links(page: str) -> dict[str, str]:
    """The language switch's links by language (the current language is not a link)."""
    nav = re.search(r'<nav class="lang".*?</nav>', page, re.S).group(0)
    return {code: href.replace("&amp;", "&")
            for href, code in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav)}


def _in_tibetan(client: Client, page: str) -> None:
    response = client.get(_links(page)["bo"])
    assert response.status_code == 302


def test_the_switch_is_on_every_shop_page_and_returns_to_it(channel, pavilion, persimmon):
    client = Client()
    for path in ("/", f"/p/{pavilion.slug}/", f"/product/{persimmon.slug}/",
                 "/search/?q=%E6%9F%BF%E9%A5%BC", "/cart/", "/orders/", "/account/sign-in/",
                 "/live/"):
        page = client.get(path).content.decode()
        links = _links(page)
        assert set(links) == {"bo", "en"}, path  # 中文 is the current language, not a link
        assert 'aria-current="true">简体中文</b>' in page and ">བོད་ཡིག</a>" in page
        response = client.get(links["bo"])
        assert response.status_code == 302 and response["Location"] == path
        page = client.get(path).content.decode()
        assert '<html lang="bo">' in page, path
        client.get(_links(page)["zh-hans"])


def test_tibetan_pages_speak_tibetan_and_fall_back_to_chinese(channel):
    client = Client()
    page = client.get("/").content.decode()
    _in_tibetan(client, page)
    page = client.get("/cart/").content.decode()
    assert "ཉོ་སྒམ།" in page and "འཚོལ་ཞིབ།" in page and "ཐད་གཏོང་།" in page
    assert "购物车" not in page and ">Cart<" not in page
    # A message outside the Tibetan catalogue (the Chinese admin's) falls back to Chinese.
    from django.utils import translation

    with translation.override("bo"):
        assert translation.gettext("County pavilion administration") == "特色馆管理后台"


def test_the_switch_refuses_unknown_languages_and_foreign_next_pages(channel):
    client = Client()
    assert client.get("/i18n/to/xx/?next=/").status_code == 404
    response = client.get("/i18n/to/bo/?next=https://evil.example/")
    assert response["Location"] == "/"
    assert client.cookies["django_language"].value == "bo"


def test_an_account_keeps_its_choice_for_its_notices(channel):
    user = User.objects.create_user("zeku-buyer@example.com", PASSWORD)
    client = Client()
    client.force_login(user)
    client.get("/i18n/to/bo/?next=/orders/")
    user.refresh_from_db()
    assert user.language_code == "bo"


def test_a_shopper_who_chose_tibetan_registers_with_it(channel):
    client = Client()
    client.get("/i18n/to/bo/?next=/account/register/")
    response = client.post("/account/register/", {"email": "dorje@example.com",
                                                  "password": PASSWORD, "first_name": "多杰"})
    assert response.status_code == 302
    assert User.objects.get(email="dorje@example.com").language_code == "bo"


def test_pavilion_and_product_pages_in_tibetan(channel, pavilion, persimmon, category):
    client = Client()
    CategoryTranslation.objects.create(category=category, language_code="bo",
                                       name="ཤིང་ཏོག་སྐམ་པོ།")
    PavilionTranslation.objects.create(pavilion=pavilion, language_code="bo",
                                       name="རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།", slogan="མཐོ་སྒང་གཤིས་རྒྱུན།")
    ProductTranslation.objects.create(product=persimmon, language_code="bo", name=NAME_BO,
                                      description=DESCRIPTION_BO)
    variant = persimmon.variants.order_by("sku").first()
    ProductVariantTranslation.objects.create(product_variant=variant, language_code="bo",
                                             name="རིམ་པ་དང་པོ།")
    chinese = client.get(f"/product/{persimmon.slug}/").content.decode()
    assert f"<h1>{persimmon.name} " in chinese and "རིམ་པ་དང་པོ།" not in chinese

    _in_tibetan(client, chinese)
    product = client.get(f"/product/{persimmon.slug}/").content.decode()
    assert f'<h1>{NAME_BO} <span class="name-zh" lang="zh-Hans">{persimmon.name}</span></h1>' \
        in product
    assert DESCRIPTION_BO in product and "རིམ་པ་དང་པོ།" in product
    assert "རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།" in product and "ཤིང་ཏོག་སྐམ་པོ།" in product  # the crumbs
    assert "ཤིང་ཏོག་སྐམ་པོ།" in client.get(f"/c/{category.slug}/").content.decode()
    page = client.get(f"/p/{pavilion.slug}/").content.decode()
    assert "རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།" in page and "མཐོ་སྒང་གཤིས་རྒྱུན།" in page
    assert f'<small lang="zh-Hans">{pavilion.name}</small>' in page
    assert f'<span class="name">{NAME_BO}</span>' in page  # the product's card
    home = client.get("/").content.decode()
    assert "<b>རྩེ་ཁོག་ཁྱད་ཆོས་ཚོང་ཁང་།</b>" in home

    # A product without a Tibetan record stays Chinese in Tibetan pages.
    ProductTranslation.objects.filter(product=persimmon).delete()
    product = client.get(f"/product/{persimmon.slug}/").content.decode()
    assert f"<h1>{persimmon.name}</h1>" in product


def test_trace_page_in_tibetan_with_its_switch(trace, base, persimmon):
    client = Client()
    path = f"/t/{trace.code}"
    page = client.get(path).content.decode()
    assert '<html lang="zh-hans">' in page and "<script" not in page
    assert "追溯码" in page and "果园柿子基地" in page
    ProductTranslation.objects.create(product=persimmon, language_code="bo", name=NAME_BO)
    BaseTranslation.objects.create(base=base, language_code="bo", name="ཤིང་ཏོག་གཞི་ཁུལ།",
                                   location="")
    response = client.get(_links(page)["bo"])
    assert response["Location"] == path
    page = client.get(path).content.decode()
    assert '<html lang="bo">' in page
    assert "རྗེས་འདེད་ཨང་རྟགས།" in page and "ཐོན་རྫས་རྗེས་འདེད།" in page
    assert f"<h1>{NAME_BO}" in page and f'<p lang="zh-Hans">{persimmon.name}</p>' in page
    # The base's name in Tibetan, its place (no Tibetan given) in Chinese.
    assert "ཤིང་ཏོག་གཞི་ཁུལ། · 渑池县果园乡果园村" in page
    assert "果园柿子基地" not in page
    # A corrected translation shows on the next look-up (the cached page is read again).
    record = BaseTranslation.objects.get(base=base)
    record.name = "ཤིང་ཏོག་ཐོན་སྐྱེད་གཞི་ཁུལ།"
    record.save()
    assert "ཤིང་ཏོག་ཐོན་སྐྱེད་གཞི་ཁུལ།" in client.get(path).content.decode()
    # An unknown code's page has the switch too.
    missing = client.get("/t/NOPE0000NOPE0000").content.decode()
    assert '<html lang="bo">' in missing and 'aria-current="true">བོད་ཡིག</b>' in missing
