"""Accounts by mobile number (手机号 + 短信验证码): signing in with a texted code,
registering with a number alone, and proving a number from the account page.

A number signs in only once it is *verified* (``User.verified_phone``): proved by a code
texted to it, from the account page (:func:`verify_phone`), at registration
(:func:`register_by_phone`) or on accepting an invitation sent to it. It is verified on
one account at most (a unique column); an account registered by number has no e-mail
address and no password.

Nobody learns from these pages whether a number has an account. Asking for a sign-in code
does the same work and gets the same answer for every number: the code is texted
afterwards by the worker, and only to a number an account signs in with
(``shop.services.verification.deliver``). A wrong code, an expired or used one, and a
number without an account are refused in the same words. Only someone who holds a right
code, which proves the number theirs, is told that it has no account yet (or already has
one, at registration).

The limits are the verification codes' (per number and per client, ten minutes, five
tries, once) plus the sign-in throttle of ``shop.throttles`` (per number and per client,
doubling lockouts), the same as signing in with a password."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sms, throttles
from ..error_codes import AccountErrorCode as E
from ..errors import field_error
from ..models import User
from ..verification import VerificationCode
from . import verification


def clean_number(phone: str) -> str:
    number = sms.mobile(phone or "")
    if number is None:
        raise field_error("phone", _("Enter an 11-digit mainland mobile number."), E.INVALID)
    return number


def _texting():
    if not verification.can_text():
        raise field_error("phone", _("Text messages are not set up on this pavilion: sign "
                                     "in with your e-mail address and password."),
                          E.INVALID)


def request_sign_in_code(phone: str, client: str) -> str:
    """Ask for a sign-in code for ``phone`` from ``client``; returns the number. The same
    for every number, with or without an account (see the module's note)."""
    number = clean_number(phone)
    _texting()
    verification.request_code(number, client, E.CODE_THROTTLED, "phone",
                              purpose=VerificationCode.SIGN_IN)
    return number


def request_code(phone: str, client: str) -> str:
    """Ask for a code proving ``phone`` (to register with it, or to verify it on the
    signed-in account); texted to any number, within the same limits."""
    number = clean_number(phone)
    _texting()
    verification.request_code(number, client, E.CODE_THROTTLED, "phone")
    return number


def _wrong():
    return field_error("code", _("The mobile number or the verification code is wrong, or "
                                 "the code has expired. Ask for a new one."),
                       E.INVALID_CREDENTIALS)


def _throttle_key(number: str) -> str:
    return f"phone:{number}"


def sign_in(phone: str, code: str, client: str) -> User:
    """The active account whose verified number is ``phone``, for the right code (spent);
    refused alike for a wrong, used or expired code and for a number without an account,
    and held off by the sign-in throttle after repeated failures."""
    number = clean_number(phone)
    retry_after = throttles.signin_retry_after(_throttle_key(number), client)
    if retry_after:
        error = field_error("phone", throttles.signin_delayed_error(retry_after).messages[0],
                            E.LOGIN_ATTEMPT_DELAYED)
        error.retry_after = retry_after
        raise error
    user = User.objects.filter(verified_phone=number, is_active=True).first()
    try:
        code_pk = verification.check_code(number, code, E.INVALID_CREDENTIALS,
                                          signing_in=True)
    except ValidationError:
        throttles.record_signin_failure(_throttle_key(number), client)
        raise _wrong() from None
    if user is None:
        # The code proved the number theirs (a code asked to register with it): they may
        # know it has no account, and the code stays good for registering.
        raise field_error("phone", _("No account signs in with this number yet: register "
                                     "with it."), E.NOT_FOUND)
    with transaction.atomic():
        verification.use_code(code_pk, E.INVALID_CREDENTIALS)
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    throttles.record_signin_success(_throttle_key(number))
    return user


def _taken():
    return field_error("phone", _("This mobile number already has an account: sign in with "
                                  "it."), E.UNIQUE)


def register_by_phone(phone: str, code: str, first_name: str = "", last_name: str = "",
                      language_code: str = "zh-hans") -> User:
    """A new account that signs in with ``phone`` (proved by ``code``), without an e-mail
    address or a password."""
    number = clean_number(phone)
    code_pk = verification.check_code(number, code, E.INVALID_CODE)
    user = User(verified_phone=number, phone=number, first_name=(first_name or "")[:64],
                last_name=(last_name or "")[:64], language_code=language_code or "zh-hans")
    user.set_unusable_password()
    try:
        with transaction.atomic():
            if User.objects.filter(verified_phone=number).exists():
                raise _taken()
            verification.use_code(code_pk, E.INVALID_CODE)
            user.last_login = timezone.now()
            user.save()
    except IntegrityError:  # another registration took the number meanwhile
        raise _taken() from None
    return user


@transaction.atomic
def claim_number(user: User, number: str) -> bool:
    """Make the proved ``number`` the one ``user`` signs in with, unless another account
    has it; returns whether it did (inside the caller's transaction)."""
    if User.objects.filter(verified_phone=number).exclude(pk=user.pk).exists():
        return False
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(verified_phone=number, phone=number,
                                                   updated_at=timezone.now())
    except IntegrityError:
        return False
    user.verified_phone, user.phone = number, number
    return True


def verify_phone(user: User, phone: str, code: str) -> User:
    """The signed-in ``user`` proves ``phone`` with ``code``: from then on they sign in
    with it (and notices are texted to it). A number verified on another account stays
    there (its owner holds the code, so they may be told)."""
    number = clean_number(phone)
    code_pk = verification.check_code(number, code, E.INVALID_CODE)
    with transaction.atomic():
        if not claim_number(user, number):
            raise field_error("phone", _("This mobile number is verified on another account. "
                                         "Sign in with it there."), E.UNIQUE)
        verification.use_code(code_pk, E.INVALID_CODE)
    return user
