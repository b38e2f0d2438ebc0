"""Who produces: a cooperative's or enterprise's producer profile (unified social credit
code), its households (resident ID numbers kept masked only), its bases and their
certifications."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import ric

from shop import validators
from shop.errors import field_error
from shop.models import PRODUCER_KINDS, Organization
from shop.validators import validate_credit_code

from ..error_codes import SupplyChainErrorCode as E
from ..models import Base, Certification, Household, ProducerProfile
from .common import clean_text


@transaction.atomic
def update_producer_profile(organization: Organization, *, credit_code: str,
                            legal_representative: str = "",
                            production_licence: str = "") -> ProducerProfile:
    if organization.kind not in PRODUCER_KINDS:
        raise field_error("organization", _("Only cooperatives and enterprises have a producer "
                                            "profile."), E.INVALID)
    code = validate_credit_code(credit_code)
    clash = ProducerProfile.objects.filter(credit_code=code).exclude(organization=organization)
    if clash.exists():
        raise field_error("credit_code", _("Another organisation is registered with this code."),
                          E.UNIQUE)
    profile, _created = ProducerProfile.objects.update_or_create(
        organization=organization,
        defaults={
            "credit_code": code,
            "legal_representative": clean_text(legal_representative, "legal_representative",
                                               required=False, max_length=64),
            "production_licence": clean_text(production_licence, "production_licence",
                                             required=False, max_length=32),
        },
    )
    return profile


def mask_id_number(value: str) -> tuple[str, str]:
    """Check a resident ID number (GB 11643, check digit included) and return only what is
    kept: the masked form (region code, asterisks, last four) and the last four.

    The full number is not stored, encrypted or otherwise: the platform needs it only to
    tell households apart and to match a household who shows the card at the counter (the
    last four are enough with name and village); a stored number, even encrypted, would be
    one more secret to guard for no use (PIPL's minimum-necessary rule)."""
    number = (value or "").strip().upper()
    if not ric.is_valid(number):
        raise field_error("id_number", _("This is not a valid resident ID number."),
                          E.INVALID_ID_NUMBER)
    return number[:6] + "*" * 8 + number[-4:], number[-4:]


@transaction.atomic
def create_household(organization: Organization, *, head_name: str, village: str,
                     township: str = "", id_number: str = "", phone: str = "",
                     is_poverty_registered: bool = False) -> Household:
    if organization.kind not in PRODUCER_KINDS:
        raise field_error("organization", _("Households are recorded by a cooperative or an "
                                            "enterprise."), E.INVALID)
    masked, last4 = mask_id_number(id_number) if id_number else ("", "")
    return Household.objects.create(
        organization=organization,
        head_name=clean_text(head_name, "head_name", max_length=64),
        village=clean_text(village, "village", max_length=64),
        township=clean_text(township, "township", required=False, max_length=64),
        id_number_masked=masked, id_number_last4=last4,
        phone=clean_text(phone, "phone", required=False, max_length=20),
        is_poverty_registered=bool(is_poverty_registered),
    )


@transaction.atomic
def create_base(organization: Organization, *, name: str, location: str, area_mu,
                latitude=None, longitude=None) -> Base:
    if organization.kind not in PRODUCER_KINDS:
        raise field_error("organization",
                          _("Bases are recorded by a cooperative or an enterprise."), E.INVALID)
    area = validators.clean_decimal(area_mu, "area_mu", E.INVALID, places="0.01",
                                    max_digits=10)
    coordinates = {}
    for field, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        coordinates[field] = None if value is None or value == "" else validators.clean_decimal(
            value, field, E.INVALID, places="0.000001", max_digits=9, minimum=-bound,
            maximum=bound)
    return Base.objects.create(
        organization=organization, name=clean_text(name, "name"),
        location=clean_text(location, "location", max_length=255), area_mu=area,
        latitude=coordinates["latitude"], longitude=coordinates["longitude"],
    )


@transaction.atomic
def add_certification(base: Base, *, kind: str, number: str, valid_until: date,
                      issuer: str = "", valid_from: date | None = None) -> Certification:
    if kind not in Certification.Kind.values:
        raise field_error("kind", _("Unknown kind of certification."), E.INVALID)
    if valid_from and valid_until < valid_from:
        raise field_error("valid_until", _("The expiry date is before the start date."), E.INVALID)
    number = clean_text(number, "number", max_length=64)
    if base.certifications.filter(kind=kind, number=number).exists():
        raise field_error("number", _("This certificate is already recorded."), E.UNIQUE)
    return Certification.objects.create(
        base=base, kind=kind, number=number, valid_until=valid_until, valid_from=valid_from,
        issuer=clean_text(issuer, "issuer", required=False),
    )
