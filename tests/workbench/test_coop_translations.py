"""A cooperative gives its product's name, description and variants' names in English and
Tibetan (བོད་ཡིག) on the workbench; the API's ``translation(languageCode:)`` answers them
and the shop switched to Tibetan shows them, an emptied translation falls back to the Chinese
again, and another organisation's product is refused."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from content import services as content_services
from content.models import ProductTranslation, ProductVariantTranslation
from tests.factories import gid
from tests.workbench.browsing import shot, sign_in

pytestmark = pytest.mark.django_db

TRANSLATED = """
query($id: ID!, $lang: LanguageCodeEnum!) {
  product(id: $id) {
    name
    translation(languageCode: $lang) { name description language { code } }
    variants { sku translation(languageCode: $lang) { name } }
  }
}"""

TIBETAN_NAME = "མན་ཁྲི་ཤི་པིང་།"


def translated(gql, product, lang) -> dict:
    return gql.data(TRANSLATED, {"id": gid("Product", product.pk), "lang": lang})["product"]


def html(response) -> str:
    return response.content.decode()


def form_data(product, name, description="", variant_names=None) -> dict:
    data = {"name": name, "description": description}
    for variant in product.variants.all():
        data[f"variant_{variant.pk}"] = (variant_names or {}).get(variant.sku, "")
    return data


def test_english_and_tibetan_names_are_written_and_answered_by_the_api(
        coop_client, persimmon, gql, zh_catalogue):
    url = f"/work/products/{persimmon.pk}/translations/"
    page = html(coop_client.get(url))
    assert "English" in page and "བོད་ཡིག" in page
    assert persimmon.name in page  # the Chinese original beside the fields
    response = coop_client.post(f"{url}?lang=en", form_data(
        persimmon, "Mianchi dried persimmon", "Sun-dried persimmons from Mianchi.",
        {"mianchi-shibing-1": "Grade 1"}))
    assert response.status_code == 302
    assert response["Location"] == f"{url}?lang=en"
    response = coop_client.post(f"{url}?lang=bo", form_data(persimmon, TIBETAN_NAME))
    assert response.status_code == 302

    english = translated(gql, persimmon, "EN")
    assert english["name"] == "渑池柿饼"
    assert english["translation"] == {"name": "Mianchi dried persimmon",
                                      "description": english["translation"]["description"],
                                      "language": {"code": "EN"}}
    assert "Sun-dried" in str(english["translation"]["description"])
    names = {v["sku"]: v["translation"] for v in english["variants"]}
    assert names["mianchi-shibing-1"] == {"name": "Grade 1"}
    assert names["mianchi-shibing-0"] is None
    tibetan = translated(gql, persimmon, "BO")
    assert tibetan["translation"]["name"] == TIBETAN_NAME
    assert tibetan["translation"]["description"] is None
    # What was written shows again in the form, in its own tab.
    page = html(coop_client.get(f"{url}?lang=bo"))
    assert TIBETAN_NAME in page and 'lang="bo"' in page


def test_emptying_a_translation_falls_back_to_the_chinese(coop_client, persimmon, gql):
    url = f"/work/products/{persimmon.pk}/translations/?lang=en"
    coop_client.post(url, form_data(persimmon, "Persimmon", "", {"mianchi-shibing-1": "A"}))
    assert ProductTranslation.objects.filter(product=persimmon).count() == 1
    coop_client.post(url, form_data(persimmon, ""))
    assert not ProductTranslation.objects.filter(product=persimmon).exists()
    assert not ProductVariantTranslation.objects.filter(
        product_variant__product=persimmon).exists()
    assert translated(gql, persimmon, "EN")["translation"] is None


def test_a_name_too_long_shows_the_services_message_next_to_the_field(coop_client, persimmon,
                                                                      zh_catalogue):
    response = coop_client.post(f"/work/products/{persimmon.pk}/translations/?lang=en",
                                form_data(persimmon, "x" * 251))
    assert response.status_code == 400
    assert 'id="id_name-error"' in html(response)
    assert not ProductTranslation.objects.exists()


def test_another_cooperative_cannot_translate_the_product(other_client, persimmon):
    url = f"/work/products/{persimmon.pk}/translations/"
    assert other_client.get(url).status_code == 404
    assert other_client.post(f"{url}?lang=en", form_data(persimmon, "Mine")).status_code == 404
    assert not ProductTranslation.objects.exists()


def test_the_service_refuses_another_organisation_the_original_language_and_foreign_variants(
        persimmon, other_coop, coop, millet_draft):
    with pytest.raises(ValidationError) as refused:
        content_services.translate_product(other_coop, persimmon, "en", name="Mine")
    assert refused.value.error_dict["id"][0].code == "not_found"
    with pytest.raises(ValidationError) as refused:
        content_services.translate_product(coop, persimmon, "zh-hans", name="柿饼")
    assert refused.value.error_dict["languageCode"][0].code == "invalid"
    foreign = millet_draft.variants.first()
    with pytest.raises(ValidationError) as refused:
        content_services.translate_product(coop, persimmon, "en", name="Persimmon",
                                           variant_names={foreign.pk: "Millet"})
    assert refused.value.error_dict[f"variant_{foreign.pk}"][0].code == "not_found"
    # One transaction: the product's name written before the refusal is not kept.
    assert not ProductTranslation.objects.exists()


def test_a_translated_slug_written_elsewhere_survives_an_emptied_name(coop, persimmon):
    ProductTranslation.objects.create(product=persimmon, language_code="en",
                                      name="Persimmon", slug="mianchi-persimmon")
    content_services.translate_product(coop, persimmon, "en", name="", description="")
    record = ProductTranslation.objects.get(product=persimmon)
    assert (record.name, record.slug) == ("", "mianchi-persimmon")


def test_the_page_takes_the_same_number_of_queries_for_twice_the_variants(coop, coop_client,
                                                                         persimmon):
    def grow(start, n):
        for i in range(start, start + n):
            variant = catalog_services.create_variant(persimmon, sku=f"shibing-extra-{i}",
                                                      name=f"礼盒 {i}")
            content_services.translate_product(coop, persimmon, "en", name="Persimmon",
                                               variant_names={variant.pk: f"Gift box {i}"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = coop_client.get(f"/work/products/{persimmon.pk}/translations/?lang=en")
        assert response.status_code == 200
        return len(captured)

    grow(0, 3)
    small = queries()
    grow(3, 3)
    assert queries() == small


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_cooperative_writes_the_tibetan_name(live_server, phone, coop_user,
                                                            persimmon, gql):
    page, url = phone, live_server.url
    sign_in(page, url, coop_user.email, f"/work/products/{persimmon.pk}/")
    page.click("text=英文和藏文名称")
    page.wait_for_url(re.compile(r"/translations/$"))
    page.fill("#id_name", "Mianchi dried persimmon")
    page.fill("#id_description", "Sun-dried on the loess plateau of Mianchi.")
    shot(page, "coop-translations-01-english")
    page.click("main form button")
    assert "已保存" in page.inner_text(".messages")
    page.click(".lang-tabs >> text=བོད་ཡིག")
    page.wait_for_url(re.compile(r"lang=bo$"))
    page.fill("#id_name", TIBETAN_NAME)
    variant = persimmon.variants.get(sku="mianchi-shibing-1")
    page.fill(f"#id_variant_{variant.pk}", "རིམ་པ་དང་པོ།")
    page.click("main form button")
    page.wait_for_url(re.compile(r"lang=bo$"))
    assert page.input_value("#id_name") == TIBETAN_NAME
    shot(page, "coop-translations-02-tibetan")
    tibetan = translated(gql, persimmon, "BO")
    assert tibetan["translation"]["name"] == TIBETAN_NAME
    names = {v["sku"]: v["translation"] for v in tibetan["variants"]}
    assert names["mianchi-shibing-1"] == {"name": "རིམ་པ་དང་པོ།"}
    assert translated(gql, persimmon, "EN")["translation"]["name"] == "Mianchi dried persimmon"
    # A shopper who switches the shop to Tibetan reads the names the cooperative wrote.
    page.goto(f"{url}/product/{persimmon.slug}/")
    page.click("nav.lang a[lang=bo]")
    page.wait_for_url(f"{url}/product/{persimmon.slug}/")
    assert TIBETAN_NAME in page.inner_text("h1")
    assert "རིམ་པ་དང་པོ།" in page.inner_text("main")
    shot(page, "coop-translations-03-shop-tibetan")
