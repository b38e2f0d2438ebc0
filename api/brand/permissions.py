"""Who may see and do what in the brand area, on top of ``api.core.permissions``:

- the public reads brands, the register of licences and the public notices;
- a licensee's or applicant's members see their own applications, licence histories,
  violations, usage reports and notifications; nobody else's;
- only members of a brand's authority review and decide, and never on an application of an
  organisation they also belong to.
"""

from __future__ import annotations

from api.core.permissions import current_user, require_user
from brand import services as brand_services
from brand.models import RegionalBrand


def authority_brand_ids(info) -> set[int]:
    """Brands whose authority the caller belongs to (cached per request)."""
    cache = info.context.__dict__
    if "_authority_brand_ids" not in cache:
        user = current_user(info)
        cache["_authority_brand_ids"] = set() if user is None else set(
            RegionalBrand.objects.filter(authority_id__in=user.organization_ids())
            .values_list("pk", flat=True))
    return cache["_authority_brand_ids"]


def member_organization_ids(info) -> set[int]:
    user = current_user(info)
    return set() if user is None else user.organization_ids()


def can_see_licence_records(info, licence) -> bool:
    """Histories, violations and reports of a licence: its holder and the authority."""
    return (licence.licensee_id in member_organization_ids(info)
            or licence.brand_id in authority_brand_ids(info))


def can_see_application(info, application) -> bool:
    """The applicant's members; the authority once it has been submitted."""
    if application.applicant_id in member_organization_ids(info):
        return True
    return (application.brand_id in authority_brand_ids(info)
            and application.status != application.Status.DRAFT)


def require_authority(info, brand, application=None):
    """A member of ``brand``'s authority, deciding on someone else's application."""
    user = require_user(info)
    brand_services.require_authority(user, brand, application)
    return user
