"""The Celery application. Without ``REDIS_URL`` tasks run inline (eagerly) in the caller."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("county_pavilion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
