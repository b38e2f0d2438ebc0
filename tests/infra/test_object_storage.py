"""Media in an S3-compatible store, against a local S3 endpoint (moto's server) started here:
a product image uploaded through the services, its thumbnail made and fetched over HTTP
from the endpoint, and a label sheet handed out by a presigned address only to its
organisation. On the local file system (the embedded default) private files go by a
Django-signed address that expires."""

import io
import json
import socket
import time
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import boto3
import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto.server import ThreadedMotoServer
from PIL import Image

from catalog import services as catalog_services
from supplychain import services
from supplychain.models import PackingRun

pytestmark = pytest.mark.django_db
BUCKET = "pavilion-media"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings, monkeypatch):
    """STORAGES as config/settings.py makes them with S3_BUCKET set, on the local endpoint."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "county")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "county-secret")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # As README's production section asks of the operator: anyone may read the public
    # images; private/ only by presigned addresses.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::{BUCKET}/products/*",
                         f"arn:aws:s3:::{BUCKET}/thumbnails/*"]}]}))
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
            "addressing_style": "path", "signature_version": "s3v4",
            "querystring_auth": False, "file_overwrite": False}}}
    return client


def png(size=(640, 480)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 90, 30)).save(out, format="PNG")
    return SimpleUploadedFile("persimmon.png", out.getvalue(), content_type="image/png")


def test_product_image_and_thumbnail_live_in_the_store(s3_storage, s3_endpoint, persimmon):
    media = catalog_services.add_product_media(persimmon, png(), alt="柿子")
    assert s3_storage.head_object(Bucket=BUCKET, Key=media.image.name)["ContentLength"] > 0
    # Public images are linked at the store by their plain address: no signature, no Django.
    assert media.image.url.startswith(f"{s3_endpoint}/{BUCKET}/products/")
    assert "X-Amz-Signature" not in media.image.url

    response = Client().get(f"/thumbnail/{media.pk}/255/webp/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_endpoint}/{BUCKET}/thumbnails/")
    with urlopen(location) as fetched:  # over HTTP, from the endpoint
        thumbnail = Image.open(io.BytesIO(fetched.read()))
    assert thumbnail.format == "WEBP" and thumbnail.size == (256, 192)  # the nearest size


def test_label_sheet_by_a_presigned_address_for_its_organisation_only(
        s3_storage, s3_endpoint, packing_run, coop_user, other_coop_user):
    run = services.save_label_sheet(packing_run.pk, b"%PDF-1.4 labels")
    assert s3_storage.get_object(Bucket=BUCKET, Key=run.label_sheet.name)["Body"].read() \
        == b"%PDF-1.4 labels"
    member = Client()
    member.force_login(coop_user)
    response = member.get(f"/supplychain/runs/{run.pk}/labels.pdf")
    assert response.status_code == 302
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{s3_endpoint}/{BUCKET}/private/label-sheets/")
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    with urlopen(location) as fetched:
        assert fetched.read() == b"%PDF-1.4 labels"
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert fetched.headers["Content-Disposition"].startswith("attachment")

    # The same object without the signature is refused by the store.
    with pytest.raises(HTTPError) as refused:
        urlopen(location.split("?")[0])
    assert refused.value.code == 403

    stranger = Client()
    stranger.force_login(other_coop_user)
    assert stranger.get(f"/supplychain/runs/{run.pk}/labels.pdf").status_code == 403
    assert Client().get(f"/supplychain/runs/{run.pk}/labels.pdf").status_code == 403


def test_on_the_local_disc_a_signed_address_serves_the_sheet_until_it_expires(
        packing_run, coop_user, settings, monkeypatch):
    run = services.save_label_sheet(packing_run.pk, b"%PDF-1.4 local labels")
    member = Client()
    member.force_login(coop_user)
    response = member.get(f"/work/runs/{run.pk}/labels.pdf")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/private/")
    # The address is the permission: it works in another browser, without a session...
    fetched = Client().get(location)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == b"%PDF-1.4 local labels"
    assert fetched["Content-Type"] == "application/pdf"
    assert fetched["X-Content-Type-Options"] == "nosniff"
    # ...until PRIVATE_URL_SECONDS have passed; and a changed token is refused.
    later = time.time() + settings.PRIVATE_URL_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert Client().get(location).status_code == 403
    monkeypatch.undo()
    assert Client().get(location.rstrip("/") + "x/").status_code == 403
    assert PackingRun.objects.get(pk=run.pk).label_status == PackingRun.LabelStatus.READY
