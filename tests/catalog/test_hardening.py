"""The catalogue against an attacker: nonsense ratings and megabyte names (typed errors, never
silently cut), a 36-megapixel PNG (refused from its header, nothing decoded), NUL bytes in
the shop's page URLs (404, never 500)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile

from catalog.models import Product, ProductMedia
from tests.factories import gid

pytestmark = pytest.mark.django_db

UPDATE = """mutation($id: ID!, $input: ProductInput!) { productUpdate(id: $id, input: $input) {
  product { id name rating } errors { field code message } } }"""
MEDIA_CREATE = """mutation($input: ProductMediaCreateInput!) { productMediaCreate(input: $input) {
  media { id } errors { field code message } } }"""


@pytest.mark.parametrize("rating", [-1, 1e308, 5.01])
def test_nonsense_rating_is_refused(gql_as, coop_user, persimmon, rating):
    payload = gql_as(coop_user).data(UPDATE, {"id": gid("Product", persimmon.pk),
                                              "input": {"rating": rating}})["productUpdate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("rating", "INVALID")]
    assert Product.objects.get(pk=persimmon.pk).rating is None


def test_sensible_rating_is_kept(gql_as, coop_user, persimmon):
    payload = gql_as(coop_user).data(UPDATE, {"id": gid("Product", persimmon.pk),
                                              "input": {"rating": 4.5}})["productUpdate"]
    assert payload["errors"] == [] and payload["product"]["rating"] == 4.5


@pytest.mark.parametrize("name", ["柿" * 1_000_000, "渑池\x00柿饼", "渑池\ud800柿饼"])
def test_megabyte_or_unstorable_name_is_refused_not_cut(gql_as, coop_user, persimmon, name):
    result = gql_as(coop_user).post(UPDATE, {"id": gid("Product", persimmon.pk),
                                             "input": {"name": name}})
    assert not result.get("errors"), result.get("errors")
    errors = result["data"]["productUpdate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("name", "INVALID")]
    assert Product.objects.get(pk=persimmon.pk).name == "渑池柿饼"


def test_36_megapixel_png_is_refused_without_decoding(gql_as, coop_user, persimmon, settings,
                                                      tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    image = Image.new("L", (5999, 5999), 128)
    out = io.BytesIO()
    image.save(out, format="PNG")
    decoded = []
    original_load = ImageFile.ImageFile.load

    def spy_load(self):
        if self.size == (5999, 5999):
            decoded.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    result = gql_as(coop_user).post_multipart(
        MEDIA_CREATE, {"input": {"product": gid("Product", persimmon.pk), "image": None}},
        {"input.image": SimpleUploadedFile("big.png", out.getvalue(), "image/png")})
    errors = result["data"]["productMediaCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("image", "INVALID")]
    assert "36.0" in errors[0]["message"] and "25.0" in errors[0]["message"]
    assert decoded == []
    assert not ProductMedia.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_project_wide_pixel_budget_for_pillow(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS


@pytest.mark.parametrize("path", [
    "/c/dried%00fruit/", "/product/mianchi%00-shibing/", "/product/%00/",
    "/search/?q=%00柿饼", "/search/suggest/?q=%00",
])
def test_nul_byte_in_shop_pages_is_never_a_500(persimmon, path):
    response = Client().get(path)
    assert response.status_code in (200, 400, 404), response.status_code
    if path.startswith(("/c/", "/product/")):
        assert response.status_code == 404
