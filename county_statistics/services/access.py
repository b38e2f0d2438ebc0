"""Who may see which figures: the pavilion's operators see every county and the whole
platform; a county official (县级管理员) sees one county, read-only; a cooperative or
enterprise sees only its own sales (``organization_sales``). Views and the API call
these; a refusal is Django's ``PermissionDenied``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from catalog.models import Pavilion

from ..models import CountyOfficial


def is_operator(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_operator or user.is_staff))


def official_pavilion(user) -> Pavilion | None:
    """The county an active official watches, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_statistics_pavilion", False)
    if cached is False:
        row = (CountyOfficial.objects.select_related("pavilion")
               .filter(user=user, is_active=True).first())
        cached = row.pavilion if row else None
        user._statistics_pavilion = cached
    return cached


def can_view_statistics(user) -> bool:
    return is_operator(user) or official_pavilion(user) is not None


def visible_pavilions(user) -> list[Pavilion]:
    """The counties the user may switch between (operators: all)."""
    if is_operator(user):
        return list(Pavilion.objects.order_by("sort_order", "slug"))
    pavilion = official_pavilion(user)
    return [pavilion] if pavilion else []


def resolve_scope(user, pavilion_slug: str | None) -> Pavilion | None:
    """The county whose figures ``user`` asked for (``None``: the whole platform), or a
    refusal: an official sees only their own county; others see nothing."""
    if is_operator(user):
        if not pavilion_slug:
            return None
        pavilion = Pavilion.objects.filter(slug=pavilion_slug).first()
        if pavilion is None:
            raise PermissionDenied(_("No such county pavilion."))
        return pavilion
    own = official_pavilion(user)
    if own is None:
        raise PermissionDenied(_("Only county officials and the pavilion's operators may "
                                 "see the county's statistics."))
    if pavilion_slug and pavilion_slug != own.slug:
        raise PermissionDenied(_("You may only see the figures of your own county."))
    return own


def appoint_official(user, pavilion: Pavilion, title: str = "") -> CountyOfficial:
    """Make ``user`` the official of ``pavilion`` (one county per official)."""
    official, _created = CountyOfficial.objects.update_or_create(
        user=user, defaults={"pavilion": pavilion, "title": title, "is_active": True})
    return official
