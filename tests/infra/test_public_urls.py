"""Links come from PUBLIC_URL, whatever Host header a client sends: even where an operator
accepts any host (ALLOWED_HOSTS="*" behind a proxy), the media links, thumbnails and the
URL a trace code's QR encodes all name the public address."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from catalog.models import ProductMedia
from tests.factories import gid

pytestmark = pytest.mark.django_db

FORGED = "evil.example"

PRODUCT = """
query($id: ID!) {
  product(id: $id) { thumbnail(size: 120, format: WEBP) { url } media { url } }
}"""
CODES = """
query($id: ID!) { traceCodes(packingRun: $id, first: 2) { edges { node { code url } } } }
"""


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 90, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def open_hosts(settings, tmp_path):
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_URL = "https://mianchi.example.cn"
    settings.MEDIA_ROOT = tmp_path


def post(query, variables, **headers):
    response = Client().post("/graphql/", {"query": query, "variables": variables},
                             content_type="application/json", HTTP_HOST=FORGED, **headers)
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


def test_media_and_thumbnail_links_name_the_public_address(open_hosts, persimmon):
    ProductMedia.objects.create(product=persimmon, alt="柿饼",
                                image=SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"))
    product = post(PRODUCT, {"id": gid("Product", persimmon.pk)})["product"]
    urls = [product["thumbnail"]["url"], product["media"][0]["url"]]
    for url in urls:
        assert url.startswith("https://mianchi.example.cn/"), url
        assert FORGED not in url


def test_the_qr_code_encodes_the_public_address(open_hosts, packing_run, coop_user, gql_as):
    client = gql_as(coop_user)
    client.client.defaults["HTTP_HOST"] = FORGED
    data = client.data(CODES, {"id": gid("PackingRun", packing_run.pk)})
    nodes = [edge["node"] for edge in data["traceCodes"]["edges"]]
    assert nodes
    for node in nodes:
        assert node["url"] == f"https://mianchi.example.cn/t/{node['code']}"
    # The QR image a forged host gets is the one the public address gets.
    code = nodes[0]["code"]
    forged = Client().get(f"/t/{code}/qr.svg", HTTP_HOST=FORGED)
    honest = Client().get(f"/t/{code}/qr.svg", HTTP_HOST="mianchi.example.cn")
    assert forged.status_code == honest.status_code == 200
    assert forged.content == honest.content
    page = Client().get(f"/t/{code}/", HTTP_HOST=FORGED).content.decode()
    assert FORGED not in page


def test_a_host_outside_allowed_hosts_is_refused(settings, persimmon):
    settings.ALLOWED_HOSTS = ["mianchi.example.cn"]
    response = Client().get("/", HTTP_HOST=FORGED)
    assert response.status_code == 400
