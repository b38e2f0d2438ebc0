"""Notifications: one way for every app to tell a person or an organisation something.

``notify(recipient, kind, subject, body, reference)`` hands the message to each backend
named in ``settings.NOTIFICATION_BACKENDS`` (classes with ``send(message)``), in order:

- ``DatabaseBackend`` records it as a ``shop.models.Notification`` (the ``notifications``
  query lists them, newest first; ``notificationMarkRead`` marks one read);
- ``EmailBackend`` e-mails it: to a user's address, to each active member of an
  organisation, or to the address given (a guest buyer's, who has no account to record
  it for).

The recipient is a ``User``, an ``Organization`` or, for someone without an account, an
e-mail address (only e-mailed). A subject or body given as a function (``lambda:
_("...") % {...}``) is written in each reader's language: a user's record and e-mail in
their stored language, each member's e-mail in theirs, an organisation's shared record in
the shop's language; text given as a string is sent as it is.

Delivery happens in the caller's transaction: a failed e-mail raises, so the caller's own
record of having told someone (an order event, a recall notice, a reminder row) rolls back
with it and a retry sends again. Idempotency stays with those records; this module sends
whatever it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import override

from . import languages
from .models import Notification, Organization, User

# A message's text: a string, or a function writing it in the active language.
Text = str | Callable[[], str]


def _written(text: Text) -> str:
    return str(text() if callable(text) else text)

DEFAULT_BACKENDS = ["shop.notifications.DatabaseBackend", "shop.notifications.EmailBackend"]


@dataclass
class Message:
    recipient: User | Organization | str
    kind: str
    subject: str
    body: str = ""
    reference: str = ""
    email: str = ""  # deliver the e-mail here instead of the recipient's own address(es)
    # The subject and body as given, when they are written per reader (see ``notify``).
    texts: tuple[Text, Text] | None = None

    @property
    def user(self) -> User | None:
        return self.recipient if isinstance(self.recipient, User) else None

    @property
    def organization(self) -> Organization | None:
        return self.recipient if isinstance(self.recipient, Organization) else None

    def reader_language(self) -> str:
        """The language of ``subject`` and ``body``: the user's, else the shop's."""
        return languages.spoken(self.user.language_code if self.user is not None else "")

    def in_language(self, language: str) -> tuple[str, str]:
        """The subject and body in ``language`` (as given when they are strings)."""
        if self.texts is None or language == self.reader_language():
            return self.subject, self.body
        with override(language):
            return _written(self.texts[0]), _written(self.texts[1])

    def email_recipients(self) -> list[tuple[str, str]]:
        """``(address, language)`` of everyone e-mailed: a member in their own language."""
        if self.email or isinstance(self.recipient, str):
            address = self.email or self.recipient
            return [(address, self.reader_language())] if address else []
        if self.user is not None:
            return ([(self.user.email, self.reader_language())]
                    if self.user.is_active and self.user.email else [])
        return [(address, languages.spoken(language)) for address, language in sorted(
            self.organization.members.filter(is_active=True, email__gt="")
            .values_list("email", "language_code"))]

    def email_addresses(self) -> list[str]:
        return [address for address, _language in self.email_recipients()]


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
        mails = []
        for address, language in message.email_recipients():
            subject, body = message.in_language(language)
            # No line breaks in a header.
            mails.append((" ".join(subject.split()), body, None, [address]))
        send_mass_mail(mails)


def backend_paths() -> list[str]:
    paths = getattr(settings, "NOTIFICATION_BACKENDS", DEFAULT_BACKENDS)
    return [paths] if isinstance(paths, str) else list(paths)


def get_backends() -> list:
    return [import_string(path)() for path in backend_paths()]


def notify(recipient: User | Organization | str, kind: str, subject: Text, body: Text = "",
           reference: str = "", *, email: str = "") -> Notification | None:
    """Tell ``recipient`` (a user, an organisation or an e-mail address) about ``kind``;
    returns the recorded ``Notification`` when a backend recorded one. ``email``: the
    address to e-mail instead of the recipient's own (the one given on an order).
    ``subject`` and ``body`` given as functions are written in each reader's language."""
    if not isinstance(recipient, (User, Organization, str)):
        raise TypeError(f"cannot notify {recipient!r}")
    message = Message(recipient, kind, "", "", reference, email or "")
    if callable(subject) or callable(body):
        message.texts = (subject, body)
        with override(message.reader_language()):
            message.subject, message.body = _written(subject), _written(body)
    else:
        message.subject, message.body = str(subject), str(body)
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
