"""Celery tasks of the catalogue; each calls a service and may be retried safely."""

from celery import shared_task
from django.conf import settings

from .images import get_or_create_thumbnail
from .models import ProductMedia


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def create_product_thumbnails(media_id: int) -> int:
    """Make every standard thumbnail of one product image; already made ones are kept, so
    a retry does not repeat work. Returns how many thumbnails the image has."""
    media = ProductMedia.objects.filter(pk=media_id).first()
    if media is None:
        return 0
    for size in settings.THUMBNAIL_SIZES:
        for fmt in settings.THUMBNAIL_FORMATS:
            get_or_create_thumbnail(media, size, fmt)
    return media.thumbnails.count()
