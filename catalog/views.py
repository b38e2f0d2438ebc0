"""Server-rendered endpoints of the catalogue."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from .images import get_or_create_thumbnail, thumbnail_formats
from .models import ProductMedia


def thumbnail(request, media_id: int, size: int, fmt: str):
    """Redirect to the thumbnail of a product image, making it on first request."""
    fmt = fmt.upper()
    if fmt not in thumbnail_formats():
        raise Http404("unknown format")
    media = get_object_or_404(ProductMedia, pk=media_id)
    thumb = get_or_create_thumbnail(media, size, fmt)
    response = HttpResponseRedirect(thumb.image.url)
    response["Cache-Control"] = "public, max-age=86400"
    return response
