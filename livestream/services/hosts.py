"""Hosts (主播) and venues: who may present a broadcast, and where; who may edit one."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import field_error
from shop.validators import clean_text

from ..error_codes import LivestreamErrorCode as Code
from ..models import Host, Platform, Venue, VenueKind

MIN_HOST_AGE = 16


def active_host_of(user) -> Host | None:
    """The user's active host profile, or ``None`` (read once per user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_livestream_host"):
        user._livestream_host = Host.objects.filter(user=user, is_active=True).first()
    return user._livestream_host


def can_edit_broadcast(user, broadcast) -> bool:
    """Operators edit every broadcast; an active host only their own. The API and the
    workbench both ask here."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_operator:
        return True
    host = active_host_of(user)
    return host is not None and broadcast.host_id == host.pk


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _clean_platforms(platforms) -> list[str]:
    platforms = list(dict.fromkeys(platforms or []))
    valid = set(Platform.values)
    if not platforms:
        raise field_error("platforms", _("Choose at least one platform."), Code.REQUIRED)
    for value in platforms:
        if value not in valid:
            raise field_error("platforms", _("Unknown platform: %(value)s."), Code.INVALID,
                              value=value)
    return platforms


def _clean_birth_date(birth_date) -> date:
    if birth_date is None:
        raise field_error("birth_date", _("This field is required."), Code.REQUIRED)
    today = timezone.localdate()
    if birth_date > today or age_on(birth_date, today) < MIN_HOST_AGE:
        raise field_error("birth_date", _("A host must be at least %(age)s years old."),
                          Code.HOST_NOT_ELIGIBLE, age=MIN_HOST_AGE)
    return birth_date


@transaction.atomic
def create_host(*, user, display_name: str, birth_date: date, platforms, organization=None,
                real_name_verified: bool = False, bio: str = "") -> Host:
    display_name = clean_text(display_name, "display_name", Code.INVALID, max_length=64)
    bio = clean_text(bio, "bio", Code.INVALID, max_length=4000)
    if not display_name:
        raise field_error("display_name", _("This field is required."), Code.REQUIRED)
    if Host.objects.filter(user=user).exists():
        raise field_error("user", _("This user already has a host profile."), Code.UNIQUE)
    if organization is not None and organization.pk not in user.organization_ids():
        raise field_error("organization", _("The host must be a member of the organisation."),
                          Code.INVALID)
    host = Host.objects.create(
        user=user, organization=organization, display_name=display_name,
        birth_date=_clean_birth_date(birth_date), platforms=_clean_platforms(platforms),
        real_name_verified=bool(real_name_verified), bio=bio or "",
        real_name_verified_at=timezone.now() if real_name_verified else None)
    return host


@transaction.atomic
def update_host(host: Host, **changes) -> Host:
    host = Host.objects.select_for_update().get(pk=host.pk)
    if "display_name" in changes:
        host.display_name = clean_text(changes["display_name"], "display_name", Code.INVALID,
                                       max_length=64)
        if not host.display_name:
            raise field_error("display_name", _("This field is required."), Code.REQUIRED)
    if "birth_date" in changes:
        host.birth_date = _clean_birth_date(changes["birth_date"])
    if "platforms" in changes:
        host.platforms = _clean_platforms(changes["platforms"])
    if "bio" in changes:
        host.bio = clean_text(changes["bio"], "bio", Code.INVALID, max_length=4000)
    if "is_active" in changes:
        host.is_active = bool(changes["is_active"])
    if "real_name_verified" in changes:
        verified = bool(changes["real_name_verified"])
        if verified and not host.real_name_verified:
            host.real_name_verified_at = timezone.now()
        host.real_name_verified = verified
        if not verified:
            host.real_name_verified_at = None
    host.save()
    return host


def create_venue(*, name: str, kind: str, address: str = "", organization=None) -> Venue:
    name = clean_text(name, "name", Code.INVALID, max_length=128)
    address = clean_text(address, "address", Code.INVALID, max_length=255)
    if not name:
        raise field_error("name", _("This field is required."), Code.REQUIRED)
    if kind not in VenueKind.values:
        raise field_error("kind", _("Unknown venue type: %(value)s."), Code.INVALID, value=kind)
    return Venue.objects.create(name=name, kind=kind, address=address,
                                organization=organization)


def check_host_eligible(host: Host, day: date) -> None:
    if not host.is_active:
        raise field_error("host", _("This host is not active."), Code.HOST_NOT_ELIGIBLE)
    if not host.real_name_verified:
        raise field_error("host", _("The host's real name has not been verified."),
                          Code.HOST_NOT_ELIGIBLE)
    if age_on(host.birth_date, day) < MIN_HOST_AGE:
        raise field_error("host", _("A host must be at least %(age)s years old."),
                          Code.HOST_NOT_ELIGIBLE, age=MIN_HOST_AGE)
