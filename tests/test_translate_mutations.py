"""Saleor's ``productTranslate`` and ``productVariantTranslate`` through the real
``/graphql/`` view: the owner writes English and Tibetan texts (given fields written,
others kept, an empty one cleared), the shop reads them back through ``translation``;
another cooperative, a visitor and the original language are refused."""

from __future__ import annotations

import json

import pytest

from content.models import ProductTranslation, ProductVariantTranslation
from tests.factories import gid

pytestmark = pytest.mark.django_db

TRANSLATE = """mutation($id: ID!, $lang: LanguageCodeEnum!, $input: TranslationInput!) {
  productTranslate(id: $id, languageCode: $lang, input: $input) {
    product { translation(languageCode: $lang) { name description seoTitle } }
    errors { field code message } } }"""
TRANSLATE_VARIANT = """mutation($id: ID!, $lang: LanguageCodeEnum!, $name: String) {
  productVariantTranslate(id: $id, languageCode: $lang, input: {name: $name}) {
    productVariant { translation(languageCode: $lang) { name } }
    errors { field code message } } }"""
EDITORJS = json.dumps({"blocks": [{"type": "paragraph", "data": {"text": "Sun-dried."}}]})


def test_the_owner_translates_a_product_and_keeps_what_it_does_not_give(gql_as, coop_user,
                                                                       persimmon):
    client = gql_as(coop_user)
    payload = client.data(TRANSLATE, {"id": gid("Product", persimmon.pk), "lang": "EN",
                                      "input": {"name": "Mianchi Dried Persimmon",
                                                "description": EDITORJS}})["productTranslate"]
    assert payload["errors"] == []
    translation = payload["product"]["translation"]
    assert translation["name"] == "Mianchi Dried Persimmon"
    assert json.loads(translation["description"])["blocks"][0]["data"]["text"] == "Sun-dried."

    payload = client.data(TRANSLATE, {"id": gid("Product", persimmon.pk), "lang": "EN_US",
                                      "input": {"seoTitle": "Dried persimmon"}})
    translation = payload["productTranslate"]["product"]["translation"]
    assert translation["name"] == "Mianchi Dried Persimmon"  # not given: kept
    assert translation["seoTitle"] == "Dried persimmon"

    client.data(TRANSLATE, {"id": gid("Product", persimmon.pk), "lang": "BO",
                            "input": {"name": "མན་ཁྲི་ཁ་ཤི།"}})
    assert ProductTranslation.objects.get(product=persimmon, language_code="bo").name \
        == "མན་ཁྲི་ཁ་ཤི།"
    # An empty text clears; a record with nothing left goes, so shoppers see the Chinese.
    client.data(TRANSLATE, {"id": gid("Product", persimmon.pk), "lang": "BO",
                            "input": {"name": ""}})
    assert not ProductTranslation.objects.filter(language_code="bo").exists()


def test_the_owner_names_a_variant_in_tibetan(gql_as, coop_user, variant):
    payload = gql_as(coop_user).data(TRANSLATE_VARIANT, {
        "id": gid("ProductVariant", variant.pk), "lang": "BO", "name": "རིམ་པ་དང་པོ།"})
    result = payload["productVariantTranslate"]
    assert result["errors"] == []
    assert result["productVariant"]["translation"]["name"] == "རིམ་པ་དང་པོ།"
    too_long = gql_as(coop_user).data(TRANSLATE_VARIANT, {
        "id": gid("ProductVariant", variant.pk), "lang": "EN", "name": "x" * 1000})
    assert too_long["productVariantTranslate"]["errors"][0]["field"] == "name"
    assert too_long["productVariantTranslate"]["errors"][0]["code"] == "INVALID"


def test_refusals(gql, gql_as, coop_user, other_coop_user, persimmon):
    variables = {"id": gid("Product", persimmon.pk), "lang": "EN", "input": {"name": "Mine"}}
    stranger = gql_as(other_coop_user).post(TRANSLATE, variables)
    assert stranger["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    visitor = gql.post(TRANSLATE, variables)
    assert visitor["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    original = gql_as(coop_user).data(TRANSLATE, {**variables, "lang": "ZH_HANS"})
    assert original["productTranslate"]["errors"] == [{
        "field": "languageCode", "code": "INVALID",
        "message": "Translations are kept in English and Tibetan; the original is in Chinese."}]
    assert not ProductTranslation.objects.exists()
    assert not ProductVariantTranslation.objects.exists()
