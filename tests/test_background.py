"""The background machinery itself: a task sent through a real Redis broker is executed by
a real Celery worker, which sees the test's committed rows."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from catalog.models import ProductMedia, Thumbnail
from catalog.tasks import create_product_thumbnails
from tests.background import TASK_TIMEOUT


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker(celery_worker, persimmon, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 120, 40)).save(buffer, "JPEG")
    media = ProductMedia(product=persimmon, width=400, height=300)
    media.image.save("p.jpg", ContentFile(buffer.getvalue()), save=True)

    result = create_product_thumbnails.delay(media.pk)
    expected = len(settings.THUMBNAIL_SIZES) * len(settings.THUMBNAIL_FORMATS)
    assert result.get(timeout=TASK_TIMEOUT) == expected
    # Retrying the task (as after a failure) does not make a second set of thumbnails.
    assert create_product_thumbnails.delay(media.pk).get(timeout=TASK_TIMEOUT) == expected
    assert Thumbnail.objects.filter(media=media).count() == expected
