"""Pluggable notifications. ``settings.NOTIFICATION_BACKEND`` names a class with
``send(organization, kind, subject, body="", reference="")``; the default records the
message in the database (``brand.models.Notification``) so it can be listed and tested.
Nothing here is brand-specific: the module can move to ``shop`` when another app needs it."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "brand.notifications.DatabaseBackend"


class DatabaseBackend:
    def send(self, organization, kind: str, subject: str, body: str = "", reference: str = ""):
        from .models import Notification

        return Notification.objects.create(organization=organization, kind=kind,
                                           subject=subject[:255], body=body,
                                           reference=reference[:64])


def get_backend():
    return import_string(getattr(settings, "NOTIFICATION_BACKEND", DEFAULT_BACKEND))()


def notify(organization, kind: str, subject: str, body: str = "", reference: str = ""):
    return get_backend().send(organization, kind, str(subject), str(body), reference)
