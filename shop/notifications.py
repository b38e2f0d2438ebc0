"""Notifications: one way for every app to tell a person or an organisation something.

``notify(recipient, kind, subject, body, reference)`` hands the message to each backend
named in ``settings.NOTIFICATION_BACKENDS`` (classes with ``send(message)``), in order:

- ``DatabaseBackend`` records it as a ``shop.models.Notification`` (the ``notifications``
  query lists them, newest first; ``notificationMarkRead`` marks one read);
- ``EmailBackend`` e-mails it: to a user's address, to each active member of an
  organisation, or to the address given (a guest buyer's, who has no account to record
  it for).

The recipient is a ``User``, an ``Organization`` or, for someone without an account, an
e-mail address (only e-mailed). Delivery happens in the caller's transaction: a failed
e-mail raises, so the caller's own record of having told someone (an order event, a
recall notice, a reminder row) rolls back with it and a retry sends again. Idempotency
stays with those records; this module sends whatever it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notification, Organization, User

DEFAULT_BACKENDS = ["shop.notifications.DatabaseBackend", "shop.notifications.EmailBackend"]


@dataclass
class Message:
    recipient: User | Organization | str
    kind: str
    subject: str
    body: str = ""
    reference: str = ""
    email: str = ""  # deliver the e-mail here instead of the recipient's own address(es)

    @property
    def user(self) -> User | None:
        return self.recipient if isinstance(self.recipient, User) else None

    @property
    def organization(self) -> Organization | None:
        return self.recipient if isinstance(self.recipient, Organization) else None

    def email_addresses(self) -> list[str]:
        if self.email:
            return [self.email]
        if isinstance(self.recipient, str):
            return [self.recipient] if self.recipient else []
        if self.user is not None:
            return [self.user.email] if self.user.is_active and self.user.email else []
        return sorted(self.organization.members.filter(is_active=True).exclude(email="")
                      .values_list("email", flat=True))


class DatabaseBackend:
    """Records the message for its user or organisation (not for a bare e-mail address)."""

    def send(self, message: Message) -> Notification | None:
        if message.user is None and message.organization is None:
            return None
        return Notification.objects.create(
            user=message.user, organization=message.organization, kind=message.kind,
            subject=message.subject[:255], body=message.body, reference=message.reference[:64])


class EmailBackend:
    """One e-mail per address (members do not see each other's), through Django's
    ``EMAIL_BACKEND``."""

    def send(self, message: Message) -> None:
        subject = " ".join(message.subject.split())  # no line breaks in a header
        send_mass_mail([(subject, message.body, None, [address])
                        for address in message.email_addresses()])


def backend_paths() -> list[str]:
    paths = getattr(settings, "NOTIFICATION_BACKENDS", DEFAULT_BACKENDS)
    return [paths] if isinstance(paths, str) else list(paths)


def get_backends() -> list:
    return [import_string(path)() for path in backend_paths()]


def notify(recipient: User | Organization | str, kind: str, subject, body="",
           reference: str = "", *, email: str = "") -> Notification | None:
    """Tell ``recipient`` (a user, an organisation or an e-mail address) about ``kind``;
    returns the recorded ``Notification`` when a backend recorded one. ``email``: the
    address to e-mail instead of the recipient's own (the one given on an order)."""
    if not isinstance(recipient, (User, Organization, str)):
        raise TypeError(f"cannot notify {recipient!r}")
    message = Message(recipient, kind, str(subject), str(body), reference, email or "")
    recorded = None
    for backend in get_backends():
        result = backend.send(message)
        if recorded is None and isinstance(result, Notification):
            recorded = result
    return recorded


def visible_to(user) -> Q:
    """The notifications ``user`` may read: their own and their organisations'."""
    return Q(user=user) | Q(organization_id__in=user.organization_ids())


def mark_read(notification: Notification) -> Notification:
    """Mark read (the first reading time is kept)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification
