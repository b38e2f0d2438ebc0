"""A cooperative puts its product's pictures in order: on the workbench product page with
"earlier", "later" and "make cover" buttons (plain forms, no drag-and-drop), and through
Saleor's ``productMediaReorder``; the first picture is the product's thumbnail in the shop
afterwards. Another organisation's product is refused by both."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from catalog import services as catalog_services
from tests.factories import gid
from tests.workbench.browsing import shot, sign_in

pytestmark = pytest.mark.django_db

REORDER = """
mutation($product: ID!, $media: [ID!]!) {
  productMediaReorder(productId: $product, mediaIds: $media) {
    product { id thumbnail(size: 120, format: WEBP) { url } media { id sortOrder } }
    media { id }
    errors { field code message }
  }
}"""

THUMBNAIL = """query($id: ID!) { product(id: $id) { thumbnail(size: 256) { url } } }"""

COLOURS = [("红", (200, 40, 30)), ("绿", (40, 160, 60)), ("蓝", (30, 70, 200))]


def picture(color) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 320), color).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def pictures(settings, tmp_path, persimmon):
    """Three pictures of 渑池柿饼 (red, green, blue), in that order."""
    settings.MEDIA_ROOT = str(tmp_path)
    return [catalog_services.add_product_media(persimmon, picture(color), alt=f"{name}色")
            for name, color in COLOURS]


def order_of(product) -> list[int]:
    return list(product.media.order_by("sort_order", "pk").values_list("pk", flat=True))


def thumbnail_media_id(product) -> int:
    """The picture the shop shows for ``product`` (its thumbnail, through the API)."""
    data = Client().post("/graphql/", {"query": THUMBNAIL,
                                       "variables": {"id": gid("Product", product.pk)}},
                         content_type="application/json").json()["data"]
    return int(re.search(r"/thumbnail/(\d+)/", data["product"]["thumbnail"]["url"]).group(1))


def html(response) -> str:
    return response.content.decode()


# The workbench page ----------------------------------------------------------------------------

def test_the_product_page_moves_a_picture_and_the_first_is_the_shops_thumbnail(
        coop_client, persimmon, pictures, zh_catalogue):
    red, green, blue = (m.pk for m in pictures)
    page = html(coop_client.get(f"/work/products/{persimmon.pk}/"))
    # The buttons carry the whole new order: red can go later, blue earlier or to the front.
    assert f'value="{green},{red},{blue}"' in page
    assert f'value="{red},{blue},{green}"' in page
    assert f'value="{blue},{red},{green}"' in page
    assert "封面" in page
    response = coop_client.post(f"/work/products/{persimmon.pk}/media/order/",
                                {"order": f"{blue},{red},{green}"})
    assert response.status_code == 302
    assert response["Location"] == f"/work/products/{persimmon.pk}/#pictures"
    assert order_of(persimmon) == [blue, red, green]
    assert thumbnail_media_id(persimmon) == blue
    page = html(coop_client.get(response["Location"]))
    assert "已调整图片顺序" in page


def test_a_stale_order_is_refused_with_the_services_message_and_changes_nothing(
        coop_client, persimmon, pictures, zh_catalogue):
    red, green, blue = (m.pk for m in pictures)
    # A page opened before the blue picture was uploaded sends only two of three.
    response = coop_client.post(f"/work/products/{persimmon.pk}/media/order/",
                                {"order": f"{green},{red}"}, follow=True)
    assert "请按新顺序列出该商品的全部图片" in html(response)
    assert order_of(persimmon) == [red, green, blue]


def test_another_cooperative_cannot_reorder_the_pictures(other_client, persimmon, pictures):
    red, green, blue = (m.pk for m in pictures)
    response = other_client.post(f"/work/products/{persimmon.pk}/media/order/",
                                 {"order": f"{blue},{green},{red}"})
    assert response.status_code == 404
    assert order_of(persimmon) == [red, green, blue]


def test_the_service_refuses_another_organisations_product_and_foreign_pictures(
        persimmon, pictures, other_coop, millet_draft, zh_catalogue):
    ids = [m.pk for m in reversed(pictures)]
    with pytest.raises(ValidationError) as refused:
        catalog_services.reorder_product_media(other_coop, persimmon, ids)
    assert refused.value.error_dict["productId"][0].code == "not_found"
    # Pictures of another product are not this product's, whoever asks.
    with pytest.raises(ValidationError) as refused:
        catalog_services.reorder_product_media(other_coop, millet_draft, ids)
    assert refused.value.error_dict["mediaIds"][0].code == "not_products_image"
    assert order_of(persimmon) == [m.pk for m in pictures]


# Saleor's mutation ---------------------------------------------------------------------------

def test_product_media_reorder_puts_the_pictures_in_order(gql_as, coop_user, persimmon, pictures):
    red, green, blue = (m.pk for m in pictures)
    result = gql_as(coop_user).post(REORDER, {
        "product": gid("Product", persimmon.pk),
        "media": [gid("ProductMedia", pk) for pk in (green, blue, red)]})
    payload = result["data"]["productMediaReorder"]
    assert payload["errors"] == []
    assert [m["id"] for m in payload["media"]] == [gid("ProductMedia", pk)
                                                   for pk in (green, blue, red)]
    assert [m["sortOrder"] for m in payload["product"]["media"]] == [0, 1, 2]
    assert f"/thumbnail/{green}/" in payload["product"]["thumbnail"]["url"]
    assert order_of(persimmon) == [green, blue, red]


@pytest.mark.parametrize("ids,code", [
    (lambda r, g, b: [g, r], "INVALID"),
    (lambda r, g, b: [g, g, r, b], "DUPLICATED_INPUT_ITEM"),
    (lambda r, g, b: [g, r, b, 999999], "NOT_PRODUCTS_IMAGE"),
])
def test_product_media_reorder_refuses_an_order_that_is_not_exactly_the_products_pictures(
        gql_as, coop_user, persimmon, pictures, ids, code):
    before = order_of(persimmon)
    result = gql_as(coop_user).post(REORDER, {
        "product": gid("Product", persimmon.pk),
        "media": [gid("ProductMedia", pk) for pk in ids(*before)]})
    payload = result["data"]["productMediaReorder"]
    assert payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("mediaIds", code)]
    assert order_of(persimmon) == before


def test_product_media_reorder_refuses_another_organisation(gql_as, other_coop_user, persimmon,
                                                            pictures):
    before = order_of(persimmon)
    result = gql_as(other_coop_user).post(REORDER, {
        "product": gid("Product", persimmon.pk),
        "media": [gid("ProductMedia", pk) for pk in reversed(before)]})
    assert result["data"]["productMediaReorder"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert order_of(persimmon) == before


# In a phone's browser ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_cooperative_makes_the_blue_picture_the_cover_seen_in_the_shop(
        live_server, phone, coop_user, persimmon, pictures):
    page, url = phone, live_server.url
    red, green, blue = (m.pk for m in pictures)
    sign_in(page, url, coop_user.email, f"/work/products/{persimmon.pk}/")
    page.locator("#pictures").scroll_into_view_if_needed()
    shot(page, "coop-media-01-order")
    page.click(f"button[value='{blue},{red},{green}']")
    page.wait_for_url(re.compile(r"#pictures$"))
    assert "已调整图片顺序" in page.inner_text(".messages")
    covers = page.locator(".media-order li").first
    assert f"/thumbnail/{blue}/" in covers.locator("img").get_attribute("src")
    assert "封面" in covers.inner_text()
    page.locator("#pictures").scroll_into_view_if_needed()
    shot(page, "coop-media-02-moved")
    # Green one step later: blue, red, green → blue, red stays, green is last already;
    # red one step later gives blue, green, red.
    page.click(f"button[value='{blue},{green},{red}']")
    page.wait_for_url(re.compile(r"#pictures$"))
    assert order_of(persimmon) == [blue, green, red]
    # The shop shows the new cover.
    page.goto(f"{url}/product/{persimmon.slug}/")
    first = page.locator("main img").first.get_attribute("src")
    assert f"/thumbnail/{blue}/" in first, first
    shot(page, "coop-media-03-shop")
