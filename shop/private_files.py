"""Private files (label sheets, licence and application documents, inspection reports) are
handed out by signed addresses that expire, and only after the view that answers for the
file has checked who asks.

In an S3-compatible store the address is the store's own presigned URL (the file never
passes through Django). On the local file system it is a Django-signed token naming the
file, served by :func:`serve` until ``PRIVATE_URL_SECONDS`` have passed; the token is the
permission, so it is only made after the caller was allowed to read the file.
Either way the browser gets the file as an attachment of the type its stored (server-chosen)
extension says, never sniffed.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from .uploads import CONTENT_TYPES

SALT = "shop.private_files"


def _names(fieldfile, download_name: str) -> tuple[str, str]:
    ext = PurePosixPath(fieldfile.name).suffix.lower().lstrip(".")
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    filename = f"{download_name}.{ext}" if ext in CONTENT_TYPES else download_name
    return content_type, filename


def signed_url(fieldfile, download_name: str, seconds: int | None = None) -> str:
    """An address of the stored file that works for ``seconds`` (``PRIVATE_URL_SECONDS``
    by default). Call it only once the caller may read the file."""
    seconds = seconds or settings.PRIVATE_URL_SECONDS
    content_type, filename = _names(fieldfile, download_name)
    storage = fieldfile.storage
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:  # django-storages' S3Storage: the store signs it
        return bucket.meta.client.generate_presigned_url("get_object", Params={
            "Bucket": storage.bucket_name, "Key": storage._normalize_name(fieldfile.name),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
        }, ExpiresIn=seconds)
    token = signing.dumps({"name": fieldfile.name, "file": filename, "ttl": seconds}, salt=SALT,
                          compress=True)
    return reverse("private-file", args=[token])


def redirect(fieldfile, download_name: str) -> HttpResponseRedirect:
    """The answer of a view that has checked the caller: off to the signed address."""
    response = HttpResponseRedirect(signed_url(fieldfile, download_name))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def serve(request, token: str):
    """A file of the local store named by a signed token that has not expired yet."""
    try:
        # The signature first, then its age against the lifetime it was signed with.
        data = signing.loads(token, salt=SALT)
        data = signing.loads(token, salt=SALT, max_age=int(data["ttl"]))
    except (signing.BadSignature, KeyError, TypeError):
        raise PermissionDenied from None
    if not default_storage.exists(data["name"]):
        raise Http404
    content_type = CONTENT_TYPES.get(PurePosixPath(data["name"]).suffix.lower().lstrip("."),
                                     "application/octet-stream")
    response = FileResponse(default_storage.open(data["name"], "rb"), as_attachment=True,
                            content_type=content_type, filename=data["file"])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
