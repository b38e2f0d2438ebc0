"""Fixtures of the brand tests: the Mianchi brand authority, its brand covering dried fruit,
and helpers that take an application to a granted licence through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brand import services
from brand.models import ApplicationDocument, PublicNotice, RegionalBrand
from shop.models import Organization
from tests.conftest import make_member, make_org


@pytest.fixture
def authority(db):
    return make_org("渑池县农产品区域公用品牌管理办公室", "mianchi-brand-office",
                    Organization.Kind.BRAND_AUTHORITY)


@pytest.fixture
def authority_user(authority):
    return make_member(authority, "reviewer@example.com")


@pytest.fixture
def brand(authority, category, pavilion):
    brand = RegionalBrand.objects.create(
        name="仰韶彩陶坊", slug="yangshao", code="MC", county="渑池县", authority=authority,
        pavilion=pavilion, trademark_number="第12345678号", slogan="仰韶故里 好物渑池",
        default_label_quota=1000)
    services.set_brand_category(brand, category.parent, min_grade="一级",
                                standard="柿饼：含水量≤35%")
    return brand


def pdf_file(name="licence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test document", content_type="application/pdf")


def draft(brand, org, user, products=(), categories=(), quota=500):
    application = services.create_application(
        brand, org, user, products=products, categories=categories, grades="特级, 一级",
        bases="果园村柿子基地 120 亩", estimated_annual_volume_kg="5000",
        requested_label_quota=quota)
    services.add_application_document(application, user, kind=ApplicationDocument.Kind
                                      .BUSINESS_LICENCE, file=pdf_file(), number="91411221MA")
    return application


def in_notice(brand, org, user, reviewer, **kwargs):
    application = draft(brand, org, user, **kwargs)
    services.submit_application(application, user)
    services.start_review(application, reviewer)
    services.approve_application(application, reviewer, reason="材料齐全")
    application.refresh_from_db()
    return application


def end_notice(application):
    PublicNotice.objects.filter(application=application).update(
        starts_at=timezone.now() - timedelta(days=6), ends_at=timezone.now() - timedelta(seconds=1))


def granted(brand, org, user, reviewer, **kwargs):
    application = in_notice(brand, org, user, reviewer, **kwargs)
    end_notice(application)
    return services.grant_licence(application, reviewer)


@pytest.fixture
def licence(brand, coop, coop_user, authority_user, persimmon):
    return granted(brand, coop, coop_user, authority_user, products=[persimmon])
