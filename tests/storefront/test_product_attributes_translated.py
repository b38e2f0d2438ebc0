"""The product page's attributes (产地, 等级, 净含量 and their values) in the page's
language: in བོད་ཡིག and English the names and values their translation records give,
Chinese where a record is missing; read in one query however many attributes the product
has, and a stored page follows an edit of a record on the next request."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog import services as catalog_services
from catalog.models import Attribute, AttributeValue
from content.models import AttributeTranslation, AttributeValueTranslation

pytestmark = pytest.mark.django_db

ORIGIN_BO, HENAN_BO = "ཐོན་ཁུངས།", "ཧོ་ནན་མན་ཁྲི།"
GRADE_BO = "རིམ་པ།"


@pytest.fixture
def labelled(persimmon, product_type):
    """The persimmon with three product attributes; every name and value has an English
    record, the Tibetan records leave out 净含量 and the value 特级."""
    product_type.product_attributes.add(*Attribute.objects.filter(slug__in=["grade",
                                                                            "net-weight"]))
    catalog_services.update_product(persimmon, attributes=[
        {"slug": "origin", "values": ["河南渑池"]}, {"slug": "grade", "values": ["特级"]},
        {"slug": "net-weight", "values": ["500克"]}])
    attribute = {a.slug: a for a in Attribute.objects.all()}
    value = {v.name: v for v in AttributeValue.objects.filter(
        name__in=["河南渑池", "特级", "500克"])}
    for slug, english in (("origin", "Place of origin"), ("grade", "Grade"),
                          ("net-weight", "Net weight")):
        AttributeTranslation.objects.create(attribute=attribute[slug], language_code="en",
                                            name=english)
    for name, english in (("河南渑池", "Mianchi, Henan"), ("特级", "Premium"),
                          ("500克", "500 g")):
        AttributeValueTranslation.objects.create(attribute_value=value[name],
                                                 language_code="en", name=english)
    AttributeTranslation.objects.create(attribute=attribute["origin"], language_code="bo",
                                        name=ORIGIN_BO)
    AttributeTranslation.objects.create(attribute=attribute["grade"], language_code="bo",
                                        name=GRADE_BO)
    AttributeValueTranslation.objects.create(attribute_value=value["河南渑池"],
                                             language_code="bo", name=HENAN_BO)
    return persimmon


def facts(client: Client, product, language: str) -> list[tuple[str, str]]:
    client.cookies["django_language"] = language
    response = client.get(f"/product/{product.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'<section class="facts">.*?</section>', html, re.S).group(0)
    return re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", section)


def test_the_attributes_read_in_tibetan_and_english_and_chinese_where_untranslated(labelled):
    client = Client()
    tibetan = facts(client, labelled, "bo")
    assert (ORIGIN_BO, HENAN_BO) in tibetan
    assert (GRADE_BO, "特级") in tibetan  # no Tibetan record for the value: Chinese
    assert ("净含量", "500克") in tibetan  # nor for the attribute
    assert "产地" not in dict(tibetan)

    english = facts(client, labelled, "en")
    assert {("Place of origin", "Mianchi, Henan"), ("Grade", "Premium"),
            ("Net weight", "500 g")} <= set(english)
    assert not {"产地", "等级", "净含量"} & set(dict(english))

    chinese = facts(client, labelled, "zh-hans")
    assert {("产地", "河南渑池"), ("等级", "特级"), ("净含量", "500克")} <= set(chinese)


def test_the_records_of_every_attribute_come_in_one_query(labelled):
    with CaptureQueriesContext(connection) as captured:
        assert (ORIGIN_BO, HENAN_BO) in facts(Client(), labelled, "bo")
    reads = [q["sql"] for q in captured if "attributevaluetranslation" in q["sql"]
             or "attributetranslation" in q["sql"]]
    assert len(reads) == 1, reads
    # In Chinese nothing is looked up.
    with CaptureQueriesContext(connection) as captured:
        assert ("产地", "河南渑池") in facts(Client(), labelled, "zh-hans")
    assert not [q for q in captured if "attributetranslation" in q["sql"]
                or "attributevaluetranslation" in q["sql"]]


def test_a_stored_page_follows_an_edited_record_in_its_language_only(labelled):
    client = Client()
    assert (ORIGIN_BO, HENAN_BO) in facts(client, labelled, "bo")
    assert ("Place of origin", "Mianchi, Henan") in facts(client, labelled, "en")
    # Both stored now: served again without reading the records.
    with CaptureQueriesContext(connection) as captured:
        assert (ORIGIN_BO, HENAN_BO) in facts(client, labelled, "bo")
    assert not [q for q in captured if "attributetranslation" in q["sql"]]

    record = AttributeTranslation.objects.get(attribute__slug="origin", language_code="en")
    record.name = "Origin county"
    record.save()
    assert ("Origin county", "Mianchi, Henan") in facts(client, labelled, "en")
    assert (ORIGIN_BO, HENAN_BO) in facts(client, labelled, "bo")
