"""One DataLoader per relation of the brand area (keys are primary keys unless said)."""

from __future__ import annotations

from django.db.models import Count, Sum

from api.core.dataloaders import ByIdLoader, DataLoader, by_key
from brand import services as brand_services
from brand.models import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationQuestion,
    BrandCategory,
    LabelUse,
    Licence,
    LicenceApplication,
    LicenceEvent,
    Objection,
    PublicNotice,
    RegionalBrand,
    UsageReport,
    Violation,
)
from catalog.models import Product


class RegionalBrandByIdLoader(ByIdLoader):
    model = RegionalBrand


class LicenceByIdLoader(ByIdLoader):
    model = Licence


class RegionalBrandBadgeByProductIdLoader(DataLoader):
    """Key ``product_id`` -> the licence in force (with its brand) that lets the product's
    seller put the regional brand on it, or None. The badge goes the moment a licence is
    suspended, revoked or expires: nothing is cached beyond the request."""

    def batch_load(self, keys):
        products = Product.objects.filter(pk__in=keys).only("pk", "organization_id",
                                                            "category_id")
        found = brand_services.covering_licences(products)
        return [found.get(key) for key in keys]


class _ManyToManyLoader(DataLoader):
    """Key ``owner_id`` -> the related rows through a many-to-many field."""

    model = None
    field = ""

    def batch_load(self, keys):
        through = getattr(self.model, self.field).through
        owner = f"{self.model._meta.model_name}_id"
        target = getattr(self.model, self.field).field.related_model
        target_fk = f"{target._meta.model_name}_id"
        rows = list(through.objects.filter(**{f"{owner}__in": keys}).values_list(owner,
                                                                                  target_fk))
        targets = target.objects.in_bulk({t for _o, t in rows})
        grouped = by_key(rows, lambda r: r[0])
        return [[targets[t] for _o, t in grouped.get(key, []) if t in targets] for key in keys]


class CategoriesByLicenceIdLoader(_ManyToManyLoader):
    model, field = Licence, "categories"


class ProductsByLicenceIdLoader(_ManyToManyLoader):
    model, field = Licence, "products"


class CategoriesByApplicationIdLoader(_ManyToManyLoader):
    model, field = LicenceApplication, "categories"


class ProductsByApplicationIdLoader(_ManyToManyLoader):
    model, field = LicenceApplication, "products"


class _ByOwnerLoader(DataLoader):
    model = None
    owner = ""

    def batch_load(self, keys):
        grouped = by_key(self.model.objects.filter(**{f"{self.owner}__in": keys}),
                         lambda row: getattr(row, self.owner))
        return [grouped.get(key, []) for key in keys]


class CategoryStandardsByBrandIdLoader(DataLoader):
    def batch_load(self, keys):
        rows = BrandCategory.objects.filter(brand_id__in=keys).select_related("category")
        grouped = by_key(rows, lambda r: r.brand_id)
        return [grouped.get(key, []) for key in keys]


class DocumentsByApplicationIdLoader(_ByOwnerLoader):
    model, owner = ApplicationDocument, "application_id"


class QuestionsByApplicationIdLoader(_ByOwnerLoader):
    model, owner = ApplicationQuestion, "application_id"


class EventsByApplicationIdLoader(_ByOwnerLoader):
    model, owner = ApplicationEvent, "application_id"


class EventsByLicenceIdLoader(_ByOwnerLoader):
    model, owner = LicenceEvent, "licence_id"


class ViolationsByLicenceIdLoader(_ByOwnerLoader):
    model, owner = Violation, "licence_id"


class UsageReportsByLicenceIdLoader(_ByOwnerLoader):
    model, owner = UsageReport, "licence_id"


class ObjectionsByNoticeIdLoader(_ByOwnerLoader):
    model, owner = Objection, "notice_id"


class NoticesByApplicationIdLoader(_ByOwnerLoader):
    model, owner = PublicNotice, "application_id"


class ObjectionCountByNoticeIdLoader(DataLoader):
    def batch_load(self, keys):
        counts = dict(Objection.objects.filter(notice_id__in=keys).values("notice_id")
                      .annotate(n=Count("pk")).values_list("notice_id", "n"))
        return [counts.get(key, 0) for key in keys]


class LabelsIssuedByLicenceYearLoader(DataLoader):
    """Key ``(licence_id, year)`` -> brand labels issued under the licence that year."""

    def batch_load(self, keys):
        rows = (LabelUse.objects.filter(licence_id__in={k[0] for k in keys},
                                        year__in={k[1] for k in keys})
                .values("licence_id", "year").annotate(n=Sum("count")))
        found = {(r["licence_id"], r["year"]): r["n"] for r in rows}
        return [found.get(key, 0) for key in keys]


class LicenceByApplicationIdLoader(DataLoader):
    def batch_load(self, keys):
        found = {lic.application_id: lic for lic in Licence.objects.filter(
            application_id__in=keys)}
        return [found.get(key) for key in keys]
