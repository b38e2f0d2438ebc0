"""The Celery application. Without ``REDIS_URL`` tasks run inline (eagerly) in the caller.

Each app adds its own beat entries from its ``AppConfig.ready`` (``shop/conf.py``), which
runs in every worker and beat process once Celery's Django fix-up has set Django up.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("county_pavilion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
