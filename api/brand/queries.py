"""Brand queries: ``regionalBrands``, ``regionalBrand``, ``licences`` (the public register),
``licence``, ``publicNotices``, ``publicNotice``, ``licenceApplications`` and
``licenceApplication``. Messages to organisations are in ``notifications`` (api/shop)."""

from __future__ import annotations

import graphene
from django.utils import timezone
from django.db.models import Q

from api.core.connection import connection_args, paginate
from api.core.ids import resolve_global_id
from api.core.permissions import require_user
from brand import models

from . import types
from .permissions import authority_brand_ids, can_see_application


def _pk(global_id, type_name) -> int | None:
    _type, pk = resolve_global_id(global_id, type_name)
    return int(pk) if pk.isdigit() else None


class LicenceFilterInput(graphene.InputObjectType):
    brand = graphene.String(description="Slug of a regional brand.")
    status = graphene.List(graphene.NonNull(types.LicenceStatusEnum))
    organization = graphene.ID(description="The licensee.")
    in_force = graphene.Boolean(description="Only licences in force today.")


class PublicNoticeFilterInput(graphene.InputObjectType):
    brand = graphene.String(description="Slug of a regional brand.")
    open_only = graphene.Boolean(description="Only notices open for objections.")
    kind = graphene.Field(types.PublicNoticeKindEnum)


class LicenceApplicationFilterInput(graphene.InputObjectType):
    brand = graphene.String(description="Slug of a regional brand.")
    status = graphene.List(graphene.NonNull(types.LicenceApplicationStatusEnum))
    organization = graphene.ID(description="The applicant.")


def _values(items):
    return [getattr(item, "value", item) for item in items or []]


def resolve_licences(info, filter=None, **page):
    queryset = models.Licence.objects.all()
    filter = filter or {}
    if filter.get("brand"):
        queryset = queryset.filter(brand__slug=filter["brand"])
    if filter.get("status"):
        queryset = queryset.filter(status__in=_values(filter["status"]))
    if filter.get("organization"):
        queryset = queryset.filter(licensee_id=_pk(filter["organization"], "Organization"))
    if filter.get("in_force"):
        today = timezone.localdate()
        queryset = queryset.filter(status=models.Licence.Status.ACTIVE, valid_from__lte=today,
                                   valid_until__gte=today)
    return paginate(queryset, page, types.LicenceCountableConnection, ["number"],
                    connection_name="licences")


def resolve_notices(info, filter=None, **page):
    queryset = models.PublicNotice.objects.all()
    filter = filter or {}
    if filter.get("brand"):
        queryset = queryset.filter(brand__slug=filter["brand"])
    if filter.get("kind"):
        queryset = queryset.filter(kind=getattr(filter["kind"], "value", filter["kind"]))
    if filter.get("open_only"):
        now = timezone.now()
        queryset = queryset.filter(status=models.PublicNotice.Status.OPEN, starts_at__lte=now,
                                   ends_at__gt=now)
    return paginate(queryset, page, types.PublicNoticeCountableConnection, ["starts_at"],
                    descending=True, connection_name="publicNotices")


def resolve_applications(info, filter=None, **page):
    user = require_user(info)
    visible = Q(applicant_id__in=user.organization_ids()) | Q(
        brand_id__in=authority_brand_ids(info))
    # The authority does not see drafts: they are the applicant's until submitted.
    visible &= ~Q(status=models.LicenceApplication.Status.DRAFT) | Q(
        applicant_id__in=user.organization_ids())
    queryset = models.LicenceApplication.objects.filter(visible)
    filter = filter or {}
    if filter.get("brand"):
        queryset = queryset.filter(brand__slug=filter["brand"])
    if filter.get("status"):
        queryset = queryset.filter(status__in=_values(filter["status"]))
    if filter.get("organization"):
        queryset = queryset.filter(applicant_id=_pk(filter["organization"], "Organization"))
    return paginate(queryset, page, types.LicenceApplicationCountableConnection,
                    ["created_at"], descending=True, connection_name="licenceApplications")


class BrandQueries(graphene.ObjectType):
    regional_brands = graphene.List(graphene.NonNull(types.RegionalBrand), required=True,
                                    description="The regional public brands.")
    regional_brand = graphene.Field(types.RegionalBrand, slug=graphene.String(required=True))
    licences = graphene.Field(types.LicenceCountableConnection,
                              **connection_args(filter=LicenceFilterInput()),
                              description="The public register of licences.")
    licence = graphene.Field(types.Licence, number=graphene.String(),
                             id=graphene.ID(), description="A licence by number or ID.")
    public_notices = graphene.Field(types.PublicNoticeCountableConnection,
                                    **connection_args(filter=PublicNoticeFilterInput()))
    public_notice = graphene.Field(types.PublicNotice, id=graphene.ID(required=True))
    licence_applications = graphene.Field(
        types.LicenceApplicationCountableConnection,
        **connection_args(filter=LicenceApplicationFilterInput()),
        description="Your organisations' applications; for the authority, its brands' ones.")
    licence_application = graphene.Field(types.LicenceApplication,
                                         id=graphene.ID(required=True))

    @staticmethod
    def resolve_regional_brands(_root, _info):
        return models.RegionalBrand.objects.filter(is_active=True).order_by("name", "pk")

    @staticmethod
    def resolve_regional_brand(_root, _info, slug):
        return models.RegionalBrand.objects.filter(slug=slug, is_active=True).first()

    @staticmethod
    def resolve_licences(_root, info, **kwargs):
        return resolve_licences(info, **kwargs)

    @staticmethod
    def resolve_licence(_root, _info, number=None, id=None):
        if id is not None:
            return models.Licence.objects.filter(pk=_pk(id, "Licence")).first()
        if number is None:
            return None
        return models.Licence.objects.filter(number=number).first()

    @staticmethod
    def resolve_public_notices(_root, info, **kwargs):
        return resolve_notices(info, **kwargs)

    @staticmethod
    def resolve_public_notice(_root, _info, id):
        return models.PublicNotice.objects.filter(pk=_pk(id, "PublicNotice")).first()

    @staticmethod
    def resolve_licence_applications(_root, info, **kwargs):
        return resolve_applications(info, **kwargs)

    @staticmethod
    def resolve_licence_application(_root, info, id):
        application = models.LicenceApplication.objects.filter(
            pk=_pk(id, "LicenceApplication")).first()
        if application is None or not can_see_application(info, application):
            return None
        return application
