"""Celery tasks of the catalogue; each calls a service and may be retried safely."""

from celery import shared_task
from django.conf import settings

from . import search
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


# Search indexing ------------------------------------------------------------------------

@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300,
             retry_jitter=True, max_retries=8)
def update_search_index(batch_size: int = 500) -> int:
    """Index every product marked dirty (product, variant, price, stock, category or
    pavilion changes). Idempotent: a product indexed twice gets the same document, and
    a failed batch keeps its marks for the retry. Returns how many products it indexed."""
    return search.index_dirty_products(batch_size)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300,
             retry_jitter=True, max_retries=8)
def remove_products_from_search_index(product_ids: list[int]) -> int:
    """Drop deleted products from the search index (missing ones are ignored)."""
    return search.remove_from_index(product_ids)
