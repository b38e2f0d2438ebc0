"""Getting back into an account and leaving it: password reset, account confirmation and
deletion (Saleor's requestPasswordReset/setPassword, confirmAccount, accountRequestDeletion/
accountDelete).

Each sends an e-mail with a link to the client's own page (``redirect_url``, which must be
on a host this deployment serves or trusts, so a token is never mailed to someone else's
site) carrying a signed, expiring token:

- a reset token is Django's ``PasswordResetTokenGenerator`` token: it expires after
  ``PASSWORD_RESET_TIMEOUT`` and stops working once the password changes or the user
  signs in again, so it is good for one use;
- confirmation and deletion tokens are ``django.core.signing`` tokens naming the user and
  the purpose, valid for ``ACCOUNT_TOKEN_MAX_AGE`` seconds.

Nothing a request answers, nor how long it takes, tells whether an address has an
account: asking for a reset (or registering, below) queues the same work for a known
address and an unknown one, and the worker that delivers it finds the account or sends
nothing.

Registration (:func:`register`) asks for a confirmation by e-mail when
``ACCOUNT_CONFIRMATION_BY_EMAIL`` is on: the account is created inactive (it cannot sign
in; ``tokenCreate`` answers ``ACCOUNT_NOT_CONFIRMED`` to its right password) until the
link is opened. The answer is then the same whether the address was new, waits for its
confirmation (the link is sent again) or belongs to a confirmed account (nothing is sent),
so registration cannot be used to learn who has an account. An unconfirmed account is an
inactive one that has never signed in: an account closed by the staff after use cannot be
opened again with an old link.

Changing the e-mail address (Saleor's requestEmailChange/confirmEmailChange,
:func:`request_email_change`) takes the current password and mails a link to the new
address; opening it while signed in as the same user changes the address, ends every
token issued so far and tells the old address. Whether the new address belongs to another
account is not answered: see :func:`request_email_change`.

Every one of these mails (confirmation, reset, deletion, e-mail change) leaves after the
request commits, from one Celery task (``shop.tasks.send_account_mail``, queued through
``shop.outbox``): a slow or failing mail server neither holds nor fails the request, and
the task retries. Each mail queued carries its own key, recorded (as a notice to the user,
without the link) in the transaction that sends it, so a task run again (a retry, or a
message handed over twice) sends it once. The link itself is made when the mail leaves,
and never stored: a reset or deletion link in the user's notices would hand the account to
whoever holds a short-lived access token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .. import outbox, throttles
from ..error_codes import AccountErrorCode
from ..errors import field_error
from ..models import Notification, User
from ..notifications import notify
from . import accounts

ACCOUNT_TOKEN_MAX_AGE = 60 * 60 * 24 * 3
CONFIRM_SALT = "shop.account.confirm"
MAIL_TASK = "shop.tasks.send_account_mail"
DELETE_SALT = "shop.account.delete"
EMAIL_CHANGE_SALT = "shop.account.email-change"
# A link to a new address works for a day: long enough to reach another mailbox, short
# enough that a link found later in it is dead.
EMAIL_CHANGE_MAX_AGE = 60 * 60 * 24
password_reset_tokens = PasswordResetTokenGenerator()


def _trusted_hosts() -> set[str]:
    """Hosts a link may point at: ours, plus those named in ``ALLOWED_CLIENT_HOSTS`` (a
    storefront on its own host), plus the loopback names for a storefront run locally."""
    hosts = {urlsplit(settings.PUBLIC_URL).hostname, "localhost", "127.0.0.1"}
    hosts.update(h for h in settings.ALLOWED_HOSTS if h and h != "*")
    hosts.update(getattr(settings, "ALLOWED_CLIENT_HOSTS", ()))
    return {h.lower().lstrip(".") for h in hosts if h}


def clean_redirect_url(url: str, field: str = "redirect_url") -> str:
    parts = urlsplit(url or "")
    # A browser reads a backslash as "/" (and "user@" as credentials): with either before
    # the path, the link can go to another host than the one urlsplit names.
    if parts.scheme not in ("http", "https") or not parts.hostname \
            or "\\" in parts.netloc or "@" in parts.netloc:
        raise field_error(field, _("Enter a valid URL."), AccountErrorCode.INVALID.value)
    host = parts.hostname.lower()
    if not any(host == h or host.endswith("." + h) for h in _trusted_hosts()):
        raise field_error(field, _("%(host)s is not allowed. Please check your settings.")
                          % {"host": host}, AccountErrorCode.INVALID.value)
    return url


def _link(url: str, **params) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _active_user(email: str) -> User | None:
    return User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()


def request_password_reset(email: str, redirect_url: str) -> None:
    """Queue a reset link for ``email``. A known and an unknown address are answered alike
    and cost the same (one queued message, whose worker finds no account for an unknown
    one); one address gets at most one reset mail per ``PASSWORD_RESET_MAIL_INTERVAL``
    seconds, so the form cannot be used to flood someone's mailbox."""
    redirect_url = clean_redirect_url(redirect_url)
    email = (email or "").strip().lower()
    if not throttles.first_in_window("password-reset", email,
                                     settings.PASSWORD_RESET_MAIL_INTERVAL):
        return
    _queue_mail("reset", email, redirect_url)


def reset_link_works(email: str, token: str) -> bool:
    """Whether a reset link would still set a password (for its page, before it asks
    for the new one)."""
    user = _active_user(email)
    return user is not None and password_reset_tokens.check_token(user, token or "")


def _bad_token():
    return field_error("token", _("Invalid or expired token."), AccountErrorCode.INVALID.value)


@transaction.atomic
def set_password(email: str, token: str, password: str) -> User:
    """Set a new password with a reset token; every earlier token and session ends."""
    user = _active_user(email)
    # An unknown address gets the answer of a wrong token: nobody learns who has an account.
    if user is None:
        raise _bad_token()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not password_reset_tokens.check_token(user, token or ""):
        raise _bad_token()
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": [
            ValidationError(m, code=AccountErrorCode.INVALID_PASSWORD.value)
            for m in error.messages]}) from None
    user.set_password(password)
    user.save()
    return user


def _signed(user: User, salt: str) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=salt)


def _unsign(token: str, salt: str, max_age: int = ACCOUNT_TOKEN_MAX_AGE) -> dict:
    try:
        return signing.loads(token or "", salt=salt, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        raise _bad_token() from None


def _unconfirmed(user: User) -> bool:
    return not user.is_active and user.last_login is None


def _queue_mail(purpose: str, email: str, redirect_url: str,
                user: User | None = None) -> None:
    """Queue account mail ``purpose`` (a key of ``MAILS``) for the account of ``email``
    (or, given ``user``, for that account, to ``email``), to leave after the caller's
    transaction commits, written in the request's language."""
    kwargs = {"purpose": purpose, "email": email, "redirect_url": redirect_url,
              "language": get_language() or settings.LANGUAGE_CODE, "key": uuid.uuid4().hex}
    if user is not None:
        kwargs["user_id"] = user.pk
    outbox.enqueue(MAIL_TASK, kwargs)


def send_confirmation(email: str, redirect_url: str) -> None:
    """Queue for after the commit an e-mail with a link that confirms (activates) the
    account of ``email``, if it still waits for one when the mail leaves; at most one per
    ``PASSWORD_RESET_MAIL_INTERVAL`` seconds, like reset mails."""
    if throttles.first_in_window("account-confirm", email,
                                 settings.PASSWORD_RESET_MAIL_INTERVAL):
        _queue_mail("confirm", email, redirect_url)


def _confirm_mail(user: User, redirect_url: str, _to: str) -> tuple[str, str, str]:
    link = _link(redirect_url, email=user.email, token=_signed(user, CONFIRM_SALT))
    return (_("Confirm your account"),
            _("Open this link within %(days)s days to confirm your account at the "
              "pavilion:\n%(link)s\n\nIf you did not register, ignore this e-mail.")
            % {"days": ACCOUNT_TOKEN_MAX_AGE // (24 * 3600), "link": link},
            _("We e-mailed you a link to confirm your account."))


def _reset_mail(user: User, redirect_url: str, _to: str) -> tuple[str, str, str]:
    link = _link(redirect_url, email=user.email, token=password_reset_tokens.make_token(user))
    return (_("Reset your password"),
            _("Someone asked to reset the password of your account at the pavilion.\n\n"
              "To choose a new password, open this link within %(hours)s hours:\n%(link)s\n\n"
              "If it was not you, ignore this e-mail: your password stays as it is.")
            % {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600, "link": link},
            _("We e-mailed you a link to reset your password. If it was not you, ignore "
              "it: your password stays as it is."))


def _delete_mail(user: User, redirect_url: str, _to: str) -> tuple[str, str, str]:
    link = _link(redirect_url, token=_signed(user, DELETE_SALT))
    return (_("Delete your account"),
            _("Someone asked to delete your account at the pavilion. To delete it, open this "
              "link:\n%(link)s\n\nIf it was not you, ignore this e-mail and change your "
              "password.") % {"link": link},
            _("We e-mailed you a link to delete your account. If it was not you, change "
              "your password."))


def _email_change_token(user: User, new_email: str) -> str:
    # The old address and the token version make it good for one change: either one
    # differs once the address has changed (or the password, or after a sign-out
    # everywhere).
    return signing.dumps({"user": user.pk, "old": user.email, "new": new_email,
                          "ver": user.token_version}, salt=EMAIL_CHANGE_SALT)


def _email_change_mail(user: User, redirect_url: str, to: str) -> tuple[str, str, str]:
    link = _link(redirect_url, token=_email_change_token(user, to))
    return (_("Confirm your new e-mail address"),
            _("Someone asked to make %(email)s the e-mail address of an account at the "
              "pavilion. To confirm it, sign in to that account and open this link within "
              "%(hours)s hours:\n%(link)s\n\nIf it was not you, ignore this e-mail.")
            % {"email": to, "hours": EMAIL_CHANGE_MAX_AGE // 3600, "link": link},
            _("We e-mailed a link to %(email)s: open it to make it your e-mail address.")
            % {"email": to})


def _email_changed_mail(user: User, _redirect_url: str, _to: str) -> tuple[str, str, str]:
    text = _("The e-mail address of your account at the pavilion was changed: this address "
             "no longer signs in to it, and every device signed in to it was signed out. If "
             "it was not you, contact the pavilion's operator at once.")
    return _("Your e-mail address was changed"), text, text


def _free_for(user: User, email: str) -> bool:
    return email != user.email and not User.objects.filter(email=email).exclude(
        pk=user.pk).exists()


# Each account mail: the accounts it still goes to when it leaves (given the address it
# goes to), and what it says (subject, the e-mail's body with the link, the notice
# recorded without it).
MAILS = {
    "confirm": ("account_confirm", lambda user, to: _unconfirmed(user), _confirm_mail),
    "reset": ("password_reset", lambda user, to: user.is_active, _reset_mail),
    "delete": ("account_delete", lambda user, to: user.is_active, _delete_mail),
    # Never to an address another account has: see request_email_change.
    "email_change": ("email_change", lambda user, to: user.is_active and _free_for(user, to),
                     _email_change_mail),
    "email_changed": ("email_changed", lambda user, to: user.is_active, _email_changed_mail),
}


def deliver_mail(purpose: str, email: str, redirect_url: str, language: str,
                 key: str, user_id: int | None = None) -> bool:
    """Send account mail ``purpose`` queued under ``key`` unless it was sent already (a
    retried or repeated task), no account has the address, or the account needs it no
    more (confirmed, or closed, meanwhile). The notice recorded for the user in the same
    transaction is the mark of having sent it: a failed e-mail raises and rolls it back, so
    the retry sends. With ``user_id`` the mail is that account's, sent to ``email`` (an
    address it is changing to or from). Returns whether it sent."""
    kind, wanted, write = MAILS[purpose]
    reference = f"{kind.replace('_', '-')}:{key}"
    with transaction.atomic():
        # The user's row lock makes two runs of the same message take turns.
        users = User.objects.select_for_update()
        user = (users.filter(pk=user_id) if user_id is not None
                else users.filter(email=email)).first()
        if user is None or not wanted(user, email):
            return False
        if Notification.objects.filter(user=user, reference=reference).exists():
            return False
        with override(language):
            subject, body, notice = write(user, redirect_url, email)
        Notification.objects.create(user=user, kind=kind, subject=subject, body=notice,
                                    reference=reference)
        # Only e-mailed: the link must not reach the recorded notices.
        notify(email, kind, subject, body)
    return True


@dataclass(frozen=True)
class Registration:
    """What a registration answers: the new user (``None`` while the account waits for
    its confirmation, so the answer says nothing about the address) and whether the
    link must be opened before signing in."""

    user: User | None
    requires_confirmation: bool


def register(email: str, password: str, *, redirect_url: str | None = None,
             first_name: str = "", last_name: str = "",
             language_code: str = "zh-hans") -> Registration:
    """Register a shopper; with ``ACCOUNT_CONFIRMATION_BY_EMAIL`` the account waits for the
    link mailed to ``redirect_url`` (required then, on a trusted host)."""
    if not settings.ACCOUNT_CONFIRMATION_BY_EMAIL:
        return Registration(accounts.register_account(
            email, password, first_name, last_name, language_code), False)
    if not redirect_url:
        raise field_error("redirect_url", _("This field is required."),
                          AccountErrorCode.REQUIRED.value)
    redirect_url = clean_redirect_url(redirect_url)
    # The address and the password are checked whether or not the address has an account.
    user = accounts.new_user(email, password, first_name, last_name, language_code)
    user.is_active = False
    # The account and its queued mail commit together; the mail leaves after the commit.
    with transaction.atomic():
        existing = User.objects.filter(email=user.email).first()
        if existing is None:
            accounts.save_new_user(user)
        # Queued whatever the address's state, so that a confirmed account's answer
        # costs what a new one's does; the worker sends to unconfirmed accounts only.
        send_confirmation(user.email, redirect_url)
    return Registration(None, True)


@transaction.atomic
def confirm_account(email: str, token: str) -> User:
    """Activate the account the token was mailed for; opening the link again is harmless."""
    data = _unsign(token, CONFIRM_SALT)
    user = User.objects.select_for_update().filter(
        pk=data.get("user"), email=(email or "").strip().lower()).first()
    if user is None or data.get("email") != user.email:
        raise _bad_token()
    if _unconfirmed(user):
        user.is_active = True
        user.save(update_fields=["is_active", "updated_at"])
    elif not user.is_active:
        raise _bad_token()
    return user


def request_account_deletion(user: User, redirect_url: str) -> None:
    """Queue the link that closes ``user``'s account for their e-mail address (at most one
    per ``PASSWORD_RESET_MAIL_INTERVAL`` seconds)."""
    redirect_url = clean_redirect_url(redirect_url)
    if not user.email:
        raise field_error("email", _("This account has no e-mail address to send the link "
                                     "to: ask the pavilion's operator to close it."),
                          AccountErrorCode.INVALID.value)
    if throttles.first_in_window("account-delete", user.email,
                                 settings.PASSWORD_RESET_MAIL_INTERVAL):
        _queue_mail("delete", user.email, redirect_url)


@transaction.atomic
def delete_account(user: User, token: str) -> None:
    """Close the account the token was issued for (it must be the caller's). Orders keep
    their e-mail address and lose the link to the account."""
    data = _unsign(token, DELETE_SALT)
    if data.get("user") != user.pk or data.get("email") != user.email:
        raise _bad_token()
    User.objects.filter(pk=user.pk).delete()


def request_email_change(user: User, new_email: str, password: str, redirect_url: str) -> None:
    """Mail to ``new_email`` a link that makes it ``user``'s address, once the current
    password is right (an account registered by mobile number has none: the session its
    texted code opened is the proof, and it adds its first address here).

    Whether ``new_email`` belongs to another account is not answered: the request is
    answered and queued alike either way, and the mail's worker sends nothing to an
    address another account has (as registration sends nothing to a confirmed account's
    address). So a signed-in caller learns nothing about who has an account; only the
    holder of the link, who proved the mailbox theirs, may be told it is taken
    (:func:`confirm_email_change`). At most one request per account per
    ``PASSWORD_RESET_MAIL_INTERVAL`` seconds, so an account cannot flood mailboxes."""
    redirect_url = clean_redirect_url(redirect_url)
    new_email = accounts.clean_email(new_email, "new_email")
    if user.has_usable_password():
        accounts.check_current_password(user, password)
    if new_email == user.email:
        raise field_error("new_email", _("This is already your e-mail address."),
                          AccountErrorCode.INVALID.value)
    interval = settings.PASSWORD_RESET_MAIL_INTERVAL
    if not throttles.first_in_window("email-change", str(user.pk), interval):
        raise field_error("new_email", _("A link was sent a moment ago: wait %(seconds)s "
                                         "seconds before asking for another.")
                          % {"seconds": interval}, AccountErrorCode.CODE_THROTTLED.value)
    with transaction.atomic():
        _queue_mail("email_change", new_email, redirect_url, user=user)


@transaction.atomic
def confirm_email_change(user: User, token: str) -> User:
    """Make the address the token was mailed to ``user``'s (the token must be theirs and
    still match their address and token version, so it works once); every token issued
    so far stops working, and the old address, if any, is told."""
    data = _unsign(token, EMAIL_CHANGE_SALT, EMAIL_CHANGE_MAX_AGE)
    user = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
    if user is None or data.get("user") != user.pk or data.get("old") != user.email \
            or data.get("ver") != user.token_version:
        raise _bad_token()
    new_email, old_email = data.get("new"), user.email
    taken = field_error("new_email", _("This e-mail address belongs to another account."),
                        AccountErrorCode.UNIQUE.value)
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise taken
    user.email = new_email
    user.token_version += 1
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "token_version", "updated_at"])
    except IntegrityError:  # another account took the address meanwhile
        raise taken from None
    if old_email:
        _queue_mail("email_changed", old_email, "", user=user)
    return user
