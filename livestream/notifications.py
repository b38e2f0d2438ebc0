"""Pluggable delivery of broadcast reminders to shoppers.

``settings.LIVESTREAM_REMINDER_BACKEND`` names a class with
``send(user, subject, body="", reference="")``. The service records every reminder in
``livestream.models.Reminder`` before delivering it (its unique key makes sending
idempotent), so the default backend has nothing more to do: the record is the
notification, listed by the ``myBroadcastReminders`` query. ``EmailBackend`` e-mails it.

(``brand.notifications`` addresses organisations; reminders go to people, so they are
recorded here; the operators' alert about an empty week does reuse ``brand.notifications``.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "livestream.notifications.DatabaseBackend"


class DatabaseBackend:
    def send(self, user, subject: str, body: str = "", reference: str = ""):
        return None


class EmailBackend:
    def send(self, user, subject: str, body: str = "", reference: str = ""):
        send_mail(subject, body, None, [user.email])


def backend_path() -> str:
    return getattr(settings, "LIVESTREAM_REMINDER_BACKEND", DEFAULT_BACKEND)


def get_backend():
    return import_string(backend_path())()
