"""GraphQL types of the brand area (county-pavilion extension). Lists are fed by the
loaders in ``dataloaders.py``; private parts (histories, violations, reports, objectors'
contacts) resolve to null for callers who may not see them."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from api.catalog import dataloaders as catalog_dl
from api.catalog.types import Category, Pavilion, Product
from api.core.connection import CountableConnection
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.nodes import ModelObjectType
from api.core.types import Image, Money
from api.shop import dataloaders as shop_dl
from api.shop.types import Organization
from brand import models
from brand import services as brand_services
from shop.public_urls import absolute_url

from . import dataloaders as dl
from .permissions import authority_brand_ids, can_see_application, can_see_licence_records


def _enum(name, choices):
    return graphene.Enum(name, [(value.upper(), value) for value in choices.values])


LicenceStatusEnum = _enum("LicenceStatusEnum", models.Licence.Status)
LicenceApplicationStatusEnum = _enum("LicenceApplicationStatusEnum",
                                     models.LicenceApplication.Status)
ApplicationDocumentKindEnum = _enum("ApplicationDocumentKindEnum",
                                    models.ApplicationDocument.Kind)
ApplicationEventTypeEnum = _enum("LicenceApplicationEventTypeEnum",
                                 models.ApplicationEvent.Type)
LicenceEventTypeEnum = _enum("LicenceEventTypeEnum", models.LicenceEvent.Type)
PublicNoticeKindEnum = _enum("PublicNoticeKindEnum", models.PublicNotice.Kind)
PublicNoticeStatusEnum = _enum("PublicNoticeStatusEnum", models.PublicNotice.Status)
ObjectionStatusEnum = _enum("ObjectionStatusEnum", models.Objection.Status)
ViolationSourceEnum = _enum("ViolationSourceEnum", models.Violation.Source)
ViolationActionEnum = _enum("ViolationActionEnum", models.Violation.Action)


def _choice(attr):
    """Resolve a choices field as its plain value (the enum's value)."""
    return staticmethod(lambda root, _info: getattr(getattr(root, attr), "value",
                                                    getattr(root, attr)))


def _default(node):
    return ChannelContext(node, settings.DEFAULT_CHANNEL_SLUG)


def _absolute(info, url):
    return absolute_url(url)


class BrandCategoryStandard(graphene.ObjectType):
    """A category the brand covers and what a product of it must meet."""

    category = graphene.Field(Category, required=True)
    max_inspection_age_days = graphene.Int(description="An inspection passed within N days.")
    min_grade = graphene.String()
    requires_sc_certificate = graphene.Boolean(required=True)
    standard = graphene.String()

    resolve_category = staticmethod(lambda root, _info: _default(root.category))


class RegionalBrand(ModelObjectType):
    """区域公用品牌: a collective trademark a county's authority licenses."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    code = graphene.String(required=True, description="Prefix of its licence numbers.")
    county = graphene.String(required=True)
    trademark_number = graphene.String()
    logo = graphene.Field(Image)
    slogan = graphene.String()
    story = graphene.String()
    notice_days = graphene.Int(required=True)
    validity_years = graphene.Int(required=True)
    authority = graphene.Field(Organization, required=True)
    pavilion = graphene.Field(Pavilion)
    categories = graphene.List(graphene.NonNull(BrandCategoryStandard), required=True)

    class Meta:
        model = models.RegionalBrand

    @staticmethod
    def resolve_logo(root, info):
        return Image(url=_absolute(info, root.logo.url), alt=root.name) if root.logo else None

    @staticmethod
    def resolve_authority(root, info):
        return shop_dl.OrganizationByIdLoader(info.context).load(root.authority_id)

    @staticmethod
    def resolve_pavilion(root, info):
        if root.pavilion_id is None:
            return None
        return then(catalog_dl.PavilionByIdLoader(info.context).load(root.pavilion_id),
                    lambda p: _default(p) if p else None)

    @staticmethod
    def resolve_categories(root, info):
        return dl.CategoryStandardsByBrandIdLoader(info.context).load(root.pk)

    @classmethod
    def get_queryset(cls, info):
        return models.RegionalBrand.objects.filter(is_active=True)


class RegionalBrandBadge(graphene.ObjectType):
    """Shown on a product while its seller holds a licence in force that covers it."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    county = graphene.String(required=True)
    logo = graphene.Field(Image)
    licence_number = graphene.String(required=True)
    licence_valid_until = graphene.Date(required=True)
    verification_url = graphene.String(required=True)

    resolve_name = staticmethod(lambda root, _info: root.brand.name)
    resolve_slug = staticmethod(lambda root, _info: root.brand.slug)
    resolve_county = staticmethod(lambda root, _info: root.brand.county)
    resolve_licence_number = staticmethod(lambda root, _info: root.number)
    resolve_licence_valid_until = staticmethod(lambda root, _info: root.valid_until)
    resolve_verification_url = staticmethod(
        lambda root, _info: brand_services.verification_url(root))

    @staticmethod
    def resolve_logo(root, info):
        logo = root.brand.logo
        return Image(url=_absolute(info, logo.url), alt=root.brand.name) if logo else None


class HistoryEvent(graphene.Interface):
    date = graphene.DateTime(required=True)
    user = graphene.String(description="Who did it (e-mail); null for the system.")
    message = graphene.String(required=True, description="Why.")
    parameters = graphene.JSONString(required=True)

    @staticmethod
    def resolve_user(root, info):
        if root.user_id is None:
            return None
        return then(shop_dl.UserByIdLoader(info.context).load(root.user_id),
                    lambda u: u.email if u else None)


class LicenceApplicationEvent(graphene.ObjectType):
    type = graphene.Field(ApplicationEventTypeEnum, required=True)
    resolve_type = _choice("type")

    class Meta:
        interfaces = (HistoryEvent,)


class LicenceEvent(graphene.ObjectType):
    type = graphene.Field(LicenceEventTypeEnum, required=True)
    resolve_type = _choice("type")

    class Meta:
        interfaces = (HistoryEvent,)


class ApplicationDocument(ModelObjectType):
    kind = graphene.Field(ApplicationDocumentKindEnum, required=True)
    resolve_kind = _choice("kind")
    title = graphene.String()
    number = graphene.String()
    issued_on = graphene.Date()
    valid_until = graphene.Date()
    url = graphene.String(required=True)
    uploaded_at = graphene.DateTime(required=True)

    class Meta:
        model = models.ApplicationDocument

    resolve_url = staticmethod(lambda root, info: _absolute(info, root.download_path()))


class LicenceApplicationQuestion(ModelObjectType):
    """A request for information from the brand authority and the applicant's answer; seen
    by the applicant's members and the authority (as the application is)."""

    question = graphene.String(required=True)
    asked_by = graphene.String(description="Who asked (e-mail).")
    asked_at = graphene.DateTime(required=True)
    answer = graphene.String(description="Null until the applicant answers.")
    answered_by = graphene.String(description="Who answered (e-mail).")
    answered_at = graphene.DateTime()
    document = graphene.Field(ApplicationDocument,
                              description="The document sent with the answer.")
    is_open = graphene.Boolean(required=True, description="Still waiting for the answer "
                                                          "(neither answered nor withdrawn).")
    withdrawn_at = graphene.DateTime(description="When the authority withdrew it; null "
                                                 "while it stands.")
    withdrawn_by = graphene.String(description="Who withdrew it (e-mail).")
    withdrawal_reason = graphene.String(description="Why it was withdrawn.")

    class Meta:
        model = models.ApplicationQuestion

    resolve_answer = staticmethod(lambda root, _info: root.answer or None)
    resolve_withdrawal_reason = staticmethod(lambda root, _info: root.withdrawal_reason or None)

    @staticmethod
    def resolve_withdrawn_by(root, info):
        return _email(info, root.withdrawn_by_id)

    @staticmethod
    def resolve_asked_by(root, info):
        return _email(info, root.asked_by_id)

    @staticmethod
    def resolve_answered_by(root, info):
        return _email(info, root.answered_by_id)

    @staticmethod
    def resolve_document(root, info):
        if root.document_id is None:
            return None
        return then(dl.DocumentsByApplicationIdLoader(info.context).load(root.application_id),
                    lambda rows: next((d for d in rows if d.pk == root.document_id), None))

    @classmethod
    def get_queryset(cls, info):
        return models.ApplicationQuestion.objects.select_related("application")

    @classmethod
    def can_view(cls, info, instance):
        return can_see_application(info, instance.application)


def _email(info, user_id):
    if user_id is None:
        return None
    return then(shop_dl.UserByIdLoader(info.context).load(user_id),
                lambda u: u.email if u else None)


class Objection(ModelObjectType):
    """Objectors' names and contacts are shown to the authority only."""

    name = graphene.String()
    contact = graphene.String()
    reason = graphene.String(required=True)
    status = graphene.Field(ObjectionStatusEnum, required=True)
    resolve_status = _choice("status")
    resolution = graphene.String()
    lodged_at = graphene.DateTime(required=True)
    resolved_at = graphene.DateTime()

    class Meta:
        model = models.Objection


class PublicNotice(ModelObjectType):
    """公示: a proposed licence or a revocation, public while it runs and after."""

    kind = graphene.Field(PublicNoticeKindEnum, required=True)
    resolve_kind = _choice("kind")
    status = graphene.Field(PublicNoticeStatusEnum, required=True)
    resolve_status = _choice("status")
    title = graphene.String(required=True)
    body = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime(required=True)
    is_open_for_objections = graphene.Boolean(required=True)
    brand = graphene.Field(RegionalBrand, required=True)
    organization = graphene.Field(Organization, required=True)
    licence_number = graphene.String()
    objection_count = graphene.Int(required=True)
    objections = graphene.List(graphene.NonNull(Objection),
                               description="Only for the brand authority.")
    url = graphene.String(required=True, description="The public notice page.")

    class Meta:
        model = models.PublicNotice

    resolve_is_open_for_objections = staticmethod(
        lambda root, _info: root.is_open_for_objections())
    resolve_url = staticmethod(lambda root, info: _absolute(
        info, reverse("brand:notice", args=[root.pk])))

    @staticmethod
    def resolve_brand(root, info):
        return dl.RegionalBrandByIdLoader(info.context).load(root.brand_id)

    @staticmethod
    def resolve_organization(root, info):
        return shop_dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @staticmethod
    def resolve_licence_number(root, info):
        if root.licence_id is None:
            return None
        return then(dl.LicenceByIdLoader(info.context).load(root.licence_id),
                    lambda lic: lic.number if lic else None)

    @staticmethod
    def resolve_objection_count(root, info):
        return dl.ObjectionCountByNoticeIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_objections(root, info):
        if root.brand_id not in authority_brand_ids(info):
            return None
        return dl.ObjectionsByNoticeIdLoader(info.context).load(root.pk)

    @classmethod
    def get_queryset(cls, info):
        return models.PublicNotice.objects.all()


class LabelUsage(graphene.ObjectType):
    year = graphene.Int(required=True)
    quota = graphene.Int(required=True)
    used = graphene.Int(required=True)
    remaining = graphene.Int(required=True)


class Violation(ModelObjectType):
    source = graphene.Field(ViolationSourceEnum, required=True)
    resolve_source = _choice("source")
    description = graphene.String(required=True)
    action = graphene.Field(ViolationActionEnum, required=True)
    resolve_action = _choice("action")
    reason = graphene.String(required=True)
    found_on = graphene.Date(required=True)
    recorded_at = graphene.DateTime(required=True)

    class Meta:
        model = models.Violation


class UsageReport(ModelObjectType):
    """品牌应用销售记录: the licensee's annual report."""

    year = graphene.Int(required=True)
    volume_sold_kg = graphene.Float(required=True)
    sales = graphene.Field(Money, required=True)
    codes_used = graphene.Int(required=True)
    codes_issued = graphene.Int(required=True,
                                description="Brand labels issued on the platform that year.")
    note = graphene.String()
    submitted_at = graphene.DateTime(required=True)

    class Meta:
        model = models.UsageReport

    resolve_volume_sold_kg = staticmethod(lambda root, _info: float(root.volume_sold_kg))
    resolve_sales = staticmethod(
        lambda root, _info: {"amount": root.sales_amount, "currency": "CNY"})

    @staticmethod
    def resolve_codes_issued(root, info):
        return dl.LabelsIssuedByLicenceYearLoader(info.context).load((root.licence_id, root.year))


def _private(loader_cls):
    """A licence list only its holder and the authority may see (null for others)."""

    def resolve(root, info):
        if not can_see_licence_records(info, root):
            return None
        return loader_cls(info.context).load(root.pk)

    return staticmethod(resolve)


class Licence(ModelObjectType):
    """授权: public facts (the register) plus, for its holder and the authority, its
    history, violations and usage reports."""

    number = graphene.String(required=True)
    brand = graphene.Field(RegionalBrand, required=True)
    licensee = graphene.Field(Organization, required=True)
    status = graphene.Field(LicenceStatusEnum, required=True)
    resolve_status = _choice("status")
    is_in_force = graphene.Boolean(required=True,
                                   description="Active and within its validity today.")
    status_reason = graphene.String()
    valid_from = graphene.Date(required=True)
    valid_until = graphene.Date(required=True)
    grades = graphene.String()
    categories = graphene.List(graphene.NonNull(Category), required=True)
    products = graphene.List(graphene.NonNull(Product), required=True)
    annual_label_quota = graphene.Int(required=True)
    label_usage = graphene.Field(LabelUsage, year=graphene.Int(), required=True)
    granted_at = graphene.DateTime(required=True)
    verification_url = graphene.String(required=True)
    certificate_url = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(LicenceEvent))
    violations = graphene.List(graphene.NonNull(Violation))
    usage_reports = graphene.List(graphene.NonNull(UsageReport))
    overdue_usage_report_years = graphene.List(
        graphene.NonNull(graphene.Int),
        description="Years whose usage report is past its due date (31 March of the next "
                    "year) and not in: no brand labels are issued meanwhile. Holder and "
                    "authority only.")

    class Meta:
        model = models.Licence

    resolve_is_in_force = staticmethod(lambda root, _info: root.is_in_force())
    resolve_status_reason = staticmethod(lambda root, _info: root.status_reason or None)
    resolve_verification_url = staticmethod(
        lambda root, _info: brand_services.verification_url(root))
    resolve_certificate_url = staticmethod(lambda root, info: _absolute(
        info, reverse("brand:certificate", args=[root.number])))
    resolve_events = _private(dl.EventsByLicenceIdLoader)
    resolve_violations = _private(dl.ViolationsByLicenceIdLoader)
    resolve_usage_reports = _private(dl.UsageReportsByLicenceIdLoader)

    @staticmethod
    def resolve_overdue_usage_report_years(root, info):
        if not can_see_licence_records(info, root):
            return None
        return then(dl.UsageReportsByLicenceIdLoader(info.context).load(root.pk),
                    lambda reports: brand_services.overdue_years(
                        root, {r.year for r in reports}))

    @staticmethod
    def resolve_brand(root, info):
        return dl.RegionalBrandByIdLoader(info.context).load(root.brand_id)

    @staticmethod
    def resolve_licensee(root, info):
        return shop_dl.OrganizationByIdLoader(info.context).load(root.licensee_id)

    @staticmethod
    def resolve_categories(root, info):
        return then(dl.CategoriesByLicenceIdLoader(info.context).load(root.pk),
                    lambda rows: [_default(c) for c in rows])

    @staticmethod
    def resolve_products(root, info):
        return then(dl.ProductsByLicenceIdLoader(info.context).load(root.pk),
                    lambda rows: [_default(p) for p in rows])

    @staticmethod
    def resolve_label_usage(root, info, year=None):
        year = year or timezone.localdate().year
        quota = root.annual_label_quota
        return then(dl.LabelsIssuedByLicenceYearLoader(info.context).load((root.pk, year)),
                    lambda used: LabelUsage(year=year, quota=quota, used=used,
                                            remaining=max(quota - used, 0)))

    @classmethod
    def get_queryset(cls, info):
        # The licence register is public (``licences``/``licence`` list every licence);
        # the holder's private fields check the caller themselves.
        return models.Licence.objects.all()


class LicenceApplication(ModelObjectType):
    """品牌使用申请: visible to the applicant's members and the brand authority only."""

    brand = graphene.Field(RegionalBrand, required=True)
    applicant = graphene.Field(Organization, required=True)
    status = graphene.Field(LicenceApplicationStatusEnum, required=True)
    resolve_status = _choice("status")
    categories = graphene.List(graphene.NonNull(Category), required=True)
    products = graphene.List(graphene.NonNull(Product), required=True)
    grades = graphene.String()
    bases = graphene.String()
    estimated_annual_volume_kg = graphene.Float(required=True)
    requested_label_quota = graphene.Int(required=True)
    approved_label_quota = graphene.Int()
    note = graphene.String()
    rejection_reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    submitted_at = graphene.DateTime()
    decided_at = graphene.DateTime()
    documents = graphene.List(graphene.NonNull(ApplicationDocument), required=True)
    events = graphene.List(graphene.NonNull(LicenceApplicationEvent), required=True)
    questions = graphene.List(graphene.NonNull(LicenceApplicationQuestion), required=True,
                              description="The authority's requests for information and "
                                          "the answers, oldest first.")
    notices = graphene.List(graphene.NonNull(PublicNotice), required=True)
    licence = graphene.Field(Licence)

    class Meta:
        model = models.LicenceApplication

    resolve_estimated_annual_volume_kg = staticmethod(
        lambda root, _info: float(root.estimated_annual_volume_kg))
    resolve_rejection_reason = staticmethod(lambda root, _info: root.rejection_reason or None)

    @staticmethod
    def resolve_brand(root, info):
        return dl.RegionalBrandByIdLoader(info.context).load(root.brand_id)

    @staticmethod
    def resolve_applicant(root, info):
        return shop_dl.OrganizationByIdLoader(info.context).load(root.applicant_id)

    @staticmethod
    def resolve_categories(root, info):
        return then(dl.CategoriesByApplicationIdLoader(info.context).load(root.pk),
                    lambda rows: [_default(c) for c in rows])

    @staticmethod
    def resolve_products(root, info):
        return then(dl.ProductsByApplicationIdLoader(info.context).load(root.pk),
                    lambda rows: [_default(p) for p in rows])

    @staticmethod
    def resolve_documents(root, info):
        return dl.DocumentsByApplicationIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_events(root, info):
        return dl.EventsByApplicationIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_questions(root, info):
        return dl.QuestionsByApplicationIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_notices(root, info):
        return dl.NoticesByApplicationIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_licence(root, info):
        return dl.LicenceByApplicationIdLoader(info.context).load(root.pk)

    @classmethod
    def get_queryset(cls, info):
        return models.LicenceApplication.objects.all()

    @classmethod
    def can_view(cls, info, instance):
        return can_see_application(info, instance)


class LicenceCountableConnection(CountableConnection):
    class Meta:
        node = Licence


class LicenceApplicationCountableConnection(CountableConnection):
    class Meta:
        node = LicenceApplication


class PublicNoticeCountableConnection(CountableConnection):
    class Meta:
        node = PublicNotice
