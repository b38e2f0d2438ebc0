"""Accounts: registration, passwords, sign-in and Saleor's JSON Web Tokens.

A token carries the user's token version (``User.token_version``) and nothing of the
password hash; a new password or ``deactivate_all_tokens`` raises the version, so every
token issued before it is refused. Tokens are signed with ``JWT_SECRET_KEY`` when it is
set, otherwise with a key derived from ``SECRET_KEY``: a token made under one deployment's
key (e.g. the development default) is refused by another."""

from __future__ import annotations

import hashlib
import hmac

import jwt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..error_codes import AccountErrorCode
from ..errors import field_error
from ..models import User

JWT_ALGORITHM = "HS256"
# Longer passwords are refused before hashing: hashing a megabyte costs the server, and no
# person types one.
MAX_PASSWORD_LENGTH = 128


def jwt_signing_key() -> bytes:
    explicit = getattr(settings, "JWT_SECRET_KEY", "") or ""
    if explicit:
        return explicit.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"county-pavilion.jwt-signing-key",
                    hashlib.sha256).digest()


def _password_too_long(field: str, password: str | None):
    if password and len(password) > MAX_PASSWORD_LENGTH:
        raise field_error(field, _("The password is too long (at most %(limit)d characters).")
                          % {"limit": MAX_PASSWORD_LENGTH},
                          AccountErrorCode.INVALID_PASSWORD.value)


def _encode_token(user: User, token_type: str, ttl) -> str:
    now = timezone.now()
    payload = {
        "sub": str(user.pk),
        "email": user.email,
        "type": token_type,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "ver": user.token_version,
    }
    return jwt.encode(payload, jwt_signing_key(), algorithm=JWT_ALGORITHM)


def create_access_token(user: User) -> str:
    return _encode_token(user, "access", settings.JWT_ACCESS_TTL)


def create_refresh_token(user: User) -> str:
    return _encode_token(user, "refresh", settings.JWT_REFRESH_TTL)


def user_from_token(token: str, token_type: str = "access") -> User:
    """The active user a valid token of ``token_type`` names; ``ValidationError`` otherwise."""
    try:
        payload = jwt.decode(token, jwt_signing_key(), algorithms=[JWT_ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise ValidationError(_("Signature has expired"),
                              code=AccountErrorCode.JWT_SIGNATURE_EXPIRED.value) from None
    except jwt.PyJWTError:
        raise ValidationError(_("Error decoding signature."),
                              code=AccountErrorCode.JWT_DECODE_ERROR.value) from None
    if payload.get("type") != token_type:
        raise ValidationError(_("Invalid token type."),
                              code=AccountErrorCode.JWT_INVALID_TOKEN.value)
    user = User.objects.filter(pk=payload.get("sub"), is_active=True).first()
    if user is None or payload.get("ver") != user.token_version:
        raise ValidationError(_("User doesn't exist or the token is no longer valid."),
                              code=AccountErrorCode.JWT_INVALID_TOKEN.value)
    return user


def authenticate_user(email: str, password: str) -> User:
    if password and len(password) > MAX_PASSWORD_LENGTH:
        # Never hashed; the same answer as a wrong password.
        raise field_error("email", _("Please, enter valid credentials"),
                          AccountErrorCode.INVALID_CREDENTIALS)
    email = (email or "").strip().lower()
    # One password hash whatever the address (unknown, active, closed or waiting for its
    # confirmation), so that the time of the answer tells nothing about the account.
    user = User.objects.filter(email=email).first()
    if user is None:
        make_password(password or "")
        right = False
    else:
        right = user.check_password(password or "")
    if right and not user.is_active and user.last_login is None:
        # Only the right password learns that the account waits for its confirmation.
        raise field_error("email", _("Confirm your account first: open the link in the "
                                     "e-mail we sent you."),
                          AccountErrorCode.ACCOUNT_NOT_CONFIRMED.value)
    if not right or not user.is_active:
        raise field_error("email", _("Please, enter valid credentials"),
                          AccountErrorCode.INVALID_CREDENTIALS)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def clean_email(email: str, field: str = "email") -> str:
    """``email`` as accounts keep it (trimmed, lower case), refused on ``field`` unless it
    is an e-mail address."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(field, _("Enter a valid email address."),
                          AccountErrorCode.INVALID.value) from None
    return email


def check_current_password(user: User, password: str, field: str = "password") -> None:
    """Refuse on ``field`` unless ``password`` is ``user``'s (an overlong one is never
    hashed, and gets the answer of a wrong one)."""
    if (password and len(password) > MAX_PASSWORD_LENGTH) or \
            not user.check_password(password or ""):
        raise field_error(field, _("Password isn't valid."),
                          AccountErrorCode.INVALID_CREDENTIALS.value)


def new_user(email: str, password: str, first_name: str = "", last_name: str = "",
             language_code: str = "zh-hans") -> User:
    """An unsaved user from a registration's input, its address and password checked."""
    email = clean_email(email)
    user = User(email=email, first_name=first_name or "", last_name=last_name or "",
                language_code=language_code or "zh-hans")
    _password_too_long("password", password)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": [
            ValidationError(m, code=AccountErrorCode.INVALID_PASSWORD.value)
            for m in error.messages]}) from None
    user.set_password(password)
    return user


def save_new_user(user: User) -> bool:
    """Save a new user; ``False`` when another registration took the address meanwhile."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        return False
    return True


def _address_taken():
    return field_error("email", _("User with this Email already exists."),
                       AccountErrorCode.UNIQUE.value)


@transaction.atomic
def register_account(email: str, password: str, first_name: str = "", last_name: str = "",
                     language_code: str = "zh-hans") -> User:
    """Register an account that can sign in at once (without confirmation by e-mail)."""
    if User.objects.filter(email=(email or "").strip().lower()).exists():
        raise _address_taken()
    user = new_user(email, password, first_name, last_name, language_code)
    if not save_new_user(user):
        raise _address_taken()
    return user


@transaction.atomic
def change_password(user: User, old_password: str, new_password: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    _password_too_long("new_password", new_password)
    if (old_password and len(old_password) > MAX_PASSWORD_LENGTH) or \
            not user.check_password(old_password or ""):
        raise field_error("old_password", _("Old password isn't valid."),
                          AccountErrorCode.INVALID_CREDENTIALS.value)
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": [
            ValidationError(m, code=AccountErrorCode.INVALID_PASSWORD.value)
            for m in error.messages]}) from None
    user.set_password(new_password)
    user.save(update_fields=["password", "token_version", "updated_at"])
    return user


@transaction.atomic
def deactivate_all_tokens(user: User) -> User:
    """Sign ``user`` out everywhere: every token issued so far stops working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.token_version += 1
    user.save(update_fields=["token_version", "updated_at"])
    return user
