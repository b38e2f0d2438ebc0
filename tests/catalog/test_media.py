"""Product images: a multipart upload through the real /graphql/ view, Pillow-checked,
thumbnails made by the Celery task (eager here) or on first request, served by redirect."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile

from catalog.models import ProductMedia, Thumbnail
from catalog.tasks import create_product_thumbnails
from tests.factories import gid

pytestmark = pytest.mark.django_db

MEDIA_CREATE = """
mutation($input: ProductMediaCreateInput!) {
  productMediaCreate(input: $input) {
    product { id thumbnail(size: 120, format: WEBP) { url alt } }
    media { id url alt type width height }
    errors { field code message }
  }
}"""

THUMBNAIL = """
query($id: ID!, $size: Int, $format: ThumbnailFormatEnum) {
  product(id: $id) { thumbnail(size: $size, format: $format) { url alt }
                     media { url alt url120: url(size: 120, format: JPEG) } }
}"""



def image_bytes(size=(800, 600), fmt="JPEG", mode="RGB", color=(200, 90, 30)) -> bytes:
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name="shibing.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def post_image(client, product, file, alt="渑池柿饼 特级"):
    return client.post_multipart(
        MEDIA_CREATE,
        {"input": {"product": gid("Product", product.pk), "image": None, "alt": alt}},
        {"input.image": file},
    )


def add_image(gql_as, user, product, file, capture):
    """Upload and run what the upload's transaction schedules (the thumbnail task)."""
    with capture(execute=True) as callbacks:
        result = post_image(gql_as(user), product, file)
    return result, callbacks


def follow_to_file(url: str, media_root: Path) -> tuple[str, Path]:
    """GET ``url`` like a browser; return the redirect target and the file it names."""
    response = Client().get(url)
    assert response.status_code == 302, response.content[:300]
    location = response["Location"]
    assert response["Cache-Control"] == "public, max-age=86400"
    path = urlsplit(location).path
    assert path.startswith("/media/")
    return location, media_root / path.removeprefix("/media/")


def decoded(path: Path) -> Image.Image:
    """The fully decoded image at ``path``, with the format Pillow detected."""
    with Image.open(path) as image:
        image.load()
        copy = image.copy()
        copy.format = image.format
        return copy


# Success ------------------------------------------------------------------------------------

def test_upload_returns_media_and_a_working_thumbnail(
    gql, gql_as, coop_user, persimmon, media_root, django_capture_on_commit_callbacks
):
    result, callbacks = add_image(gql_as, coop_user, persimmon, upload(image_bytes()),
                                  django_capture_on_commit_callbacks)
    assert not result.get("errors"), result
    data = result["data"]["productMediaCreate"]
    assert data["errors"] == []
    media = data["media"]
    assert media["type"] == "IMAGE"
    assert media["alt"] == "渑池柿饼 特级"
    assert (media["width"], media["height"]) == (800, 600)
    assert media["url"].startswith(f"{settings.PUBLIC_URL}/media/products/")
    original = media_root / urlsplit(media["url"]).path.removeprefix("/media/")
    assert Image.open(original).size == (800, 600)
    assert len(callbacks) == 1  # the thumbnail task, scheduled for after the commit

    # 120 asked: the next standard size is served, as a real WEBP.
    thumb_url = data["product"]["thumbnail"]["url"]
    assert thumb_url == f"{settings.PUBLIC_URL}/thumbnail/{media_pk(media)}/128/webp/"
    _location, path = follow_to_file(thumb_url, media_root)
    image = decoded(path)
    assert image.format == "WEBP"
    assert image.size == (128, 96)  # longest side the standard size, aspect ratio kept

    # A shopper asks for JPEG ones on the product page.
    product = gql.data(THUMBNAIL, {"id": gid("Product", persimmon.pk), "size": 250,
                                   "format": "JPEG"})["product"]
    assert product["thumbnail"]["alt"] == "渑池柿饼 特级"
    _location, path = follow_to_file(product["thumbnail"]["url"], media_root)
    image = decoded(path)
    assert (image.format, image.size) == ("JPEG", (256, 192))
    _location, path = follow_to_file(product["media"][0]["url120"], media_root)
    image = decoded(path)
    assert (image.format, image.size) == ("JPEG", (128, 96))
    # Without a format (ORIGINAL) a JPEG is served too.
    product = gql.data(THUMBNAIL, {"id": gid("Product", persimmon.pk), "size": 64})["product"]
    _location, path = follow_to_file(product["thumbnail"]["url"], media_root)
    image = decoded(path)
    assert (image.format, image.size) == ("JPEG", (64, 48))


def media_pk(media: dict) -> int:
    return int(base64.b64decode(media["id"]).decode().split(":")[1])


def test_task_made_every_size_and_format_once(
    gql_as, coop_user, persimmon, media_root, settings, django_capture_on_commit_callbacks
):
    result, _ = add_image(gql_as, coop_user, persimmon,
                          upload(image_bytes((1600, 1200), "PNG"), "p.png", "image/png"),
                          django_capture_on_commit_callbacks)
    assert result["data"]["productMediaCreate"]["errors"] == []
    media = ProductMedia.objects.get(product=persimmon)
    thumbs = list(Thumbnail.objects.filter(media=media))
    expected = {(s, f) for s in settings.THUMBNAIL_SIZES for f in settings.THUMBNAIL_FORMATS}
    assert {(t.size, t.format) for t in thumbs} == expected
    assert len(thumbs) == len(expected) == 10
    for thumb in thumbs:
        image = decoded(Path(thumb.image.path))
        assert image.format == thumb.format
        assert max(image.size) == thumb.size
        assert image.size[0] * 3 == image.size[1] * 4

    files_before = stored_files(media_root)
    # Running the task again (a retry, a duplicate message) repeats nothing.
    assert create_product_thumbnails.delay(media.pk).get() == 10
    assert create_product_thumbnails(media.pk) == 10
    assert Thumbnail.objects.filter(media=media).count() == 10
    assert stored_files(media_root) == files_before
    # Nor does asking the view for one that exists.
    _location, path = follow_to_file(f"/thumbnail/{media.pk}/512/webp/", media_root)
    assert path == Path(Thumbnail.objects.get(media=media, size=512, format="WEBP").image.path)
    assert stored_files(media_root) == files_before


def test_small_image_is_never_enlarged(
    gql_as, coop_user, persimmon, media_root, django_capture_on_commit_callbacks
):
    result, _ = add_image(gql_as, coop_user, persimmon, upload(image_bytes((300, 240))),
                          django_capture_on_commit_callbacks)
    assert result["data"]["productMediaCreate"]["errors"] == []
    thumb = Thumbnail.objects.get(size=1024, format="JPEG")
    assert decoded(Path(thumb.image.path)).size == (300, 240)


def test_thumbnail_is_made_on_first_request_when_the_task_has_not_run(
    gql, gql_as, coop_user, persimmon, media_root
):
    # Without running on-commit callbacks, the task never ran: the view makes it itself.
    result = post_image(gql_as(coop_user), persimmon, upload(image_bytes()))
    assert result["data"]["productMediaCreate"]["errors"] == []
    assert Thumbnail.objects.count() == 0
    url = gql.data(THUMBNAIL, {"id": gid("Product", persimmon.pk), "size": 64,
                               "format": "WEBP"})["product"]["thumbnail"]["url"]
    _location, path = follow_to_file(url, media_root)
    assert decoded(path).size == (64, 48)
    assert Thumbnail.objects.count() == 1
    follow_to_file(url, media_root)
    assert Thumbnail.objects.count() == 1


def test_avif_thumbnails_are_made_on_request(gql, gql_as, coop_user, persimmon, media_root):
    # Saleor's clients may ask for AVIF: made on first request, not ahead for every image.
    result = post_image(gql_as(coop_user), persimmon, upload(image_bytes()))
    assert result["data"]["productMediaCreate"]["errors"] == []
    url = gql.data(THUMBNAIL, {"id": gid("Product", persimmon.pk), "size": 128,
                               "format": "AVIF"})["product"]["thumbnail"]["url"]
    assert url.endswith("/128/avif/")
    _location, path = follow_to_file(url, media_root)
    image = decoded(path)
    assert image.format == "AVIF" and max(image.size) == 128


def test_transparent_png_gets_a_white_jpeg_background(
    gql_as, coop_user, persimmon, media_root, django_capture_on_commit_callbacks
):
    data = image_bytes((400, 400), "PNG", "RGBA", (0, 0, 0, 0))
    result, _ = add_image(gql_as, coop_user, persimmon, upload(data, "t.png", "image/png"),
                          django_capture_on_commit_callbacks)
    assert result["data"]["productMediaCreate"]["errors"] == []
    jpeg = decoded(Path(Thumbnail.objects.get(size=64, format="JPEG").image.path))
    assert jpeg.mode == "RGB"
    assert jpeg.getpixel((32, 32)) >= (250, 250, 250)
    webp = decoded(Path(Thumbnail.objects.get(size=64, format="WEBP").image.path))
    assert webp.mode == "RGBA" and webp.getpixel((32, 32))[3] == 0


def test_grey_png_with_alpha_keeps_its_transparency_in_webp(
    gql_as, coop_user, persimmon, media_root, django_capture_on_commit_callbacks
):
    data = image_bytes((400, 400), "PNG", "LA", (0, 0))
    result, _ = add_image(gql_as, coop_user, persimmon, upload(data, "la.png", "image/png"),
                          django_capture_on_commit_callbacks)
    assert result["data"]["productMediaCreate"]["errors"] == []
    webp = decoded(Path(Thumbnail.objects.get(size=64, format="WEBP").image.path))
    assert webp.mode == "RGBA" and webp.getpixel((32, 32))[3] == 0
    jpeg = decoded(Path(Thumbnail.objects.get(size=64, format="JPEG").image.path))
    assert jpeg.getpixel((32, 32)) >= (250, 250, 250)


def test_photo_taken_sideways_is_turned_upright(
    gql_as, coop_user, persimmon, media_root, django_capture_on_commit_callbacks
):
    image = Image.new("RGB", (800, 600), (10, 120, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    result, _ = add_image(gql_as, coop_user, persimmon, upload(out.getvalue()),
                          django_capture_on_commit_callbacks)
    data = result["data"]["productMediaCreate"]
    assert data["errors"] == []
    # The storefront reserves room for a portrait image, as it will be shown.
    assert (data["media"]["width"], data["media"]["height"]) == (600, 800)
    thumb = decoded(Path(Thumbnail.objects.get(size=128, format="WEBP").image.path))
    assert thumb.size == (96, 128)


def test_stored_name_follows_the_real_format_not_the_senders_name(
    gql_as, coop_user, persimmon, media_root
):
    """A real PNG sent as ``page.html`` must not be served back from /media/ as HTML."""
    result = post_image(gql_as(coop_user), persimmon,
                        upload(image_bytes((400, 300), "PNG"), "page.html", "text/html"))
    data = result["data"]["productMediaCreate"]
    assert data["errors"] == []
    assert urlsplit(data["media"]["url"]).path.endswith(".png")
    assert [p.suffix for p in stored_files(media_root)] == [".png"]


def test_second_image_comes_after_the_first(gql_as, coop_user, persimmon, media_root):
    client = gql_as(coop_user)
    post_image(client, persimmon, upload(image_bytes(color=(1, 2, 3))), alt="正面")
    post_image(client, persimmon, upload(image_bytes(color=(3, 2, 1))), alt="背面")
    assert list(ProductMedia.objects.filter(product=persimmon).values_list("alt", flat=True)) == [
        "正面", "背面"]


# Refusals --------------------------------------------------------------------------------

def assert_refused(result, code, field="image"):
    assert not result.get("errors"), result
    data = result["data"]["productMediaCreate"]
    assert [(e["field"], e["code"]) for e in data["errors"]] == [(field, code)], data["errors"]
    assert data["errors"][0]["message"]
    assert data["media"] is None and data["product"] is None


def assert_nothing_stored(media_root):
    assert ProductMedia.objects.count() == 0
    assert Thumbnail.objects.count() == 0
    assert stored_files(media_root) == []


def test_text_file_named_jpg_is_not_an_image(gql_as, coop_user, persimmon, media_root):
    fake = upload("这不是图片，是一段文字。\n".encode() * 50, "shibing.jpg")
    assert_refused(post_image(gql_as(coop_user), persimmon, fake), "NOT_PRODUCTS_IMAGE")
    assert_nothing_stored(media_root)


def test_truncated_jpeg_is_not_an_image(gql_as, coop_user, persimmon, media_root):
    # A real photo's scan data varies; noise makes the cut land inside the pixels.
    noise = Image.effect_noise((1200, 900), 80).convert("RGB")
    out = io.BytesIO()
    noise.save(out, format="JPEG")
    data = out.getvalue()
    cut = upload(data[: len(data) // 2])
    assert_refused(post_image(gql_as(coop_user), persimmon, cut), "NOT_PRODUCTS_IMAGE")
    assert_nothing_stored(media_root)


def test_unsupported_image_format_is_refused(gql_as, coop_user, persimmon, media_root):
    bmp = upload(image_bytes((400, 300), "BMP"), "x.bmp", "image/bmp")
    assert_refused(post_image(gql_as(coop_user), persimmon, bmp), "NOT_PRODUCTS_IMAGE")
    assert_nothing_stored(media_root)


def test_too_large_file_is_refused(gql_as, coop_user, persimmon, media_root, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 2000
    data = image_bytes((800, 600))
    assert len(data) > 2000
    assert_refused(post_image(gql_as(coop_user), persimmon, upload(data)), "FILE_TOO_LARGE")
    assert_nothing_stored(media_root)


@pytest.mark.parametrize("size", [(50, 50), (800, 150), (6001, 300)])
def test_image_with_bad_dimensions_is_invalid(gql_as, coop_user, persimmon, media_root, size):
    data = image_bytes(size, "PNG")
    result = post_image(gql_as(coop_user), persimmon, upload(data, "s.png", "image/png"))
    assert_refused(result, "INVALID")
    assert_nothing_stored(media_root)


def test_missing_file_and_external_url_are_refused(gql_as, coop_user, persimmon, media_root):
    client = gql_as(coop_user)
    product = gid("Product", persimmon.pk)
    assert_refused(client.post(MEDIA_CREATE, {"input": {"product": product}}), "REQUIRED")
    result = client.post(MEDIA_CREATE, {"input": {
        "product": product, "mediaUrl": "https://www.youtube.com/watch?v=x"}})
    assert_refused(result, "UNSUPPORTED_MEDIA_PROVIDER", field="mediaUrl")
    assert_nothing_stored(media_root)


def test_another_cooperative_cannot_add_images_to_my_product(
    gql_as, other_coop_user, persimmon, media_root
):
    result = post_image(gql_as(other_coop_user), persimmon, upload(image_bytes()))
    assert result["data"]["productMediaCreate"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert_nothing_stored(media_root)


def test_anonymous_caller_cannot_add_images(gql, persimmon, media_root):
    result = post_image(gql, persimmon, upload(image_bytes()))
    assert result["data"]["productMediaCreate"] is None
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert_nothing_stored(media_root)


def test_thumbnail_of_unknown_image_or_format_is_not_found(
    gql_as, coop_user, persimmon, media_root
):
    post_image(gql_as(coop_user), persimmon, upload(image_bytes()))
    media = ProductMedia.objects.get()
    assert Client().get(f"/thumbnail/{media.pk + 1000}/128/webp/").status_code == 404
    assert Client().get(f"/thumbnail/{media.pk}/128/gif/").status_code == 404
    assert Thumbnail.objects.count() == 0


def test_huge_image_in_a_small_file_is_refused_before_decoding(
    gql_as, coop_user, persimmon, media_root, monkeypatch
):
    """A 9000×9000 PNG of one colour is a few kB but hundreds of MB once decoded; it is
    refused on its declared size, without decoding its pixels."""
    image = Image.new("1", (9000, 9000), 1)
    out = io.BytesIO()
    image.save(out, format="PNG")
    data = out.getvalue()
    assert len(data) < 100_000
    decoded_pixels = []
    original_load = ImageFile.ImageFile.load

    def spy_load(self):
        if self.size == (9000, 9000):
            decoded_pixels.append(self.size)
        return original_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    result = post_image(gql_as(coop_user), persimmon, upload(data, "big.png", "image/png"))
    assert_refused(result, "INVALID")
    assert "25" in result["data"]["productMediaCreate"]["errors"][0]["message"]
    assert_nothing_stored(media_root)
    assert decoded_pixels == []
