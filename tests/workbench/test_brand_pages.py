"""The brand licensee's and the brand authority's jobs through the workbench pages
(Django's test client): every write is ``brand.services``', a refusal shows the service's
own message, another organisation's record is not found, and the list pages take a number
of queries that does not grow with their lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brand import services as brand_services
from brand.models import Licence, LicenceApplication, Violation
from shop.models import Organization
from tests.factories import end_notice, granted, in_notice, make_member, make_org, make_product

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def pdf(name="licence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_a_licensee_applies_and_the_authority_grants_after_the_public_notice(
        brand, coop, coop_client, authority_client, persimmon, zh_catalogue):
    response = coop_client.post("/work/brand/apply/", {
        "brand": brand.pk, "products": [persimmon.pk], "grades": "特级",
        "bases": "果园村 120 亩", "estimated_annual_volume_kg": "5000",
        "requested_label_quota": "800"})
    application = LicenceApplication.objects.get(applicant=coop)
    assert response["Location"] == f"/work/brand/applications/{application.pk}/"
    # Sent without the business licence: the service's refusal, on the page.
    response = coop_client.post(response["Location"], {"action": "submit"})
    assert response.status_code == 400
    assert "请上传营业执照" in html(response)
    coop_client.post(f"/work/brand/applications/{application.pk}/", {
        "action": "document", "kind": "business_licence", "number": "91411221MA",
        "file": pdf()})
    coop_client.post(f"/work/brand/applications/{application.pk}/", {"action": "submit"})
    application.refresh_from_db()
    assert application.status == "submitted"

    queue = html(authority_client.get("/work/brand/review/"))
    assert coop.name in queue
    url = f"/work/brand/review/{application.pk}/"
    page = html(authority_client.get(url))
    assert "91411221MA" in page
    response = authority_client.post(url, {"action": "start", "start-reason": "材料已收"})
    assert response.status_code == 302
    # A public notice shorter than the brand's period is refused by the service.
    response = authority_client.post(url, {"action": "approve", "approve-label_quota": "800",
                                           "approve-notice_days": "3"})
    assert response.status_code == 400
    assert "公示期不少于 5 天" in html(response)
    authority_client.post(url, {"action": "approve", "approve-label_quota": "800",
                                "approve-notice_days": "5", "approve-reason": "材料齐全"})
    application.refresh_from_db()
    assert application.status == "public_notice"
    # The applicant sees the notice on its page.
    assert "公示" in html(coop_client.get(f"/work/brand/applications/{application.pk}/"))
    # Granting before the notice ends is refused.
    response = authority_client.post(url, {"action": "grant"})
    assert response.status_code == 400
    assert not Licence.objects.exists()
    end_notice(application)
    assert authority_client.post(url, {"action": "grant"}).status_code == 302
    licence = Licence.objects.get(licensee=coop)
    assert licence.number in html(Client().get("/brand/"))
    assert licence.number in html(coop_client.get("/work/brand/"))
    page = html(coop_client.get(f"/work/brand/licences/{licence.pk}/"))
    assert f"/brand/licences/{licence.number}/certificate.pdf" in page
    assert "0 / 800" in page


def test_the_licensee_reports_usage_and_asks_for_a_renewal_which_the_authority_grants(
        brand, coop, coop_user, coop_client, authority_user, authority_client, persimmon):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    url = f"/work/brand/licences/{licence.pk}/"
    # More labels used than were issued: the service's refusal.
    response = coop_client.post(url, {"action": "report", "year": licence.valid_from.year,
                                      "volume_sold_kg": "100", "sales_amount": "5000",
                                      "codes_used": "10"})
    assert response.status_code == 400
    assert licence.usage_reports.count() == 0
    coop_client.post(url, {"action": "report", "year": licence.valid_from.year,
                           "volume_sold_kg": "100", "sales_amount": "5000", "codes_used": "0"})
    assert licence.usage_reports.count() == 1
    # Years before the end, a renewal request is refused by the service.
    response = coop_client.post(url, {"action": "renewal", "reason": "继续使用"})
    assert response.status_code == 400
    assert "授权到期前 90 天内方可申请续期" in html(response)
    assert "已申请续期" not in html(authority_client.get("/work/brand/register/"))
    Licence.objects.filter(pk=licence.pk).update(
        valid_until=timezone.localdate() + timedelta(days=30))
    licence.refresh_from_db()
    assert coop_client.post(url, {"action": "renewal", "reason": "继续使用"}).status_code == 302
    assert "已申请续期" in html(authority_client.get("/work/brand/register/"))
    before = licence.valid_until
    response = authority_client.post(f"/work/brand/register/{licence.pk}/", {
        "form": "status", "status-action": "renew", "status-years": "2"})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.valid_until > before
    assert "已申请续期" not in html(authority_client.get("/work/brand/register/"))


def test_the_authority_records_a_violation_that_suspends_and_then_revokes(
        brand, coop, coop_user, authority_user, authority_client, persimmon):
    licence = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    url = f"/work/brand/register/{licence.pk}/"
    # A suspension without a reason is refused by the service.
    response = authority_client.post(url, {"form": "violation", "violation-source": "patrol",
                                           "violation-description": "超范围用标",
                                           "violation-found_on": "2026-01-05",
                                           "violation-action": "suspension"})
    assert response.status_code == 400
    authority_client.post(url, {"form": "violation", "violation-source": "patrol",
                                "violation-description": "超范围用标",
                                "violation-found_on": "2026-01-05",
                                "violation-action": "suspension",
                                "violation-reason": "整改前暂停"})
    licence.refresh_from_db()
    assert licence.status == "suspended" and Violation.objects.count() == 1
    # Suspending twice: a wrong state, refused with the service's message.
    response = authority_client.post(url, {"form": "status", "status-action": "suspend",
                                           "status-reason": "再次"})
    assert response.status_code == 400
    assert "只有有效的授权才能暂停" in html(response)
    authority_client.post(url, {"form": "status", "status-action": "revoke",
                                "status-reason": "拒不整改"})
    licence.refresh_from_db()
    assert licence.status == "revoked"
    assert "已撤销" in html(Client().get(f"/brand/licences/{licence.number}"))


def test_another_organisations_records_are_not_found(
        brand, coop, coop_user, other_client, authority_user, persimmon, category, channel):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    end_notice(application)
    licence = brand_services.grant_licence(application, authority_user)
    document = application.documents.first()
    assert other_client.get(f"/work/brand/applications/{application.pk}/").status_code == 404
    assert other_client.get(f"/work/brand/licences/{licence.pk}/").status_code == 404
    assert other_client.get(f"/brand/documents/{document.pk}").status_code == 404
    # Another county's authority does not see this brand's applications or licences.
    other_authority = make_org("息县农业农村局", "xixian-bureau", Organization.Kind.BRAND_AUTHORITY)
    client = Client()
    client.force_login(make_member(other_authority, "xi@example.com"))
    assert client.get(f"/work/brand/review/{application.pk}/").status_code == 404
    assert client.get(f"/work/brand/register/{licence.pk}/").status_code == 404
    # A cooperative cannot open the authority's pages at all.
    assert other_client.get("/work/brand/review/").status_code == 403


def test_an_authority_member_cannot_decide_on_their_own_organisations_application(
        brand, coop, coop_user, authority, persimmon):
    """The service's PermissionDenied shows as a refusal on the page."""
    from brand.models import ApplicationDocument
    from tests.factories import draft

    application = draft(brand, coop, coop_user, products=[persimmon])
    brand_services.submit_application(application, coop_user)
    # The cooperative's member also sits in the authority.
    from shop.models import Membership
    Membership.objects.create(user=coop_user, organization=authority)
    client = Client()
    client.force_login(coop_user)
    client.post("/work/switch/", {"organization": authority.pk})
    response = client.post(f"/work/brand/review/{application.pk}/",
                           {"action": "start", "start-reason": "自审"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == "submitted"
    assert ApplicationDocument.objects.count() == 1


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_brand_lists_take_the_same_number_of_queries_for_twice_the_rows(
        brand, coop, coop_user, coop_client, authority_user, authority_client, product_type,
        category, channel):
    def grow(start, n):
        for i in range(start, start + n):
            product = make_product(coop, product_type, category, channel, f"柿饼{i}",
                                   f"shibing-{i}", ["20.00"])
            granted(brand, coop, coop_user, authority_user, products=[product])
            in_notice(brand, coop, coop_user, authority_user, products=[product])

    lists = ["/work/brand/", "/work/brand/review/?status=public_notice", "/work/brand/register/"]
    grow(0, 2)
    small = {url: queries(coop_client if "review" not in url and "register" not in url
                          else authority_client, url) for url in lists}
    grow(2, 2)
    large = {url: queries(coop_client if "review" not in url and "register" not in url
                          else authority_client, url) for url in lists}
    assert large == small
    assert max(small.values()) <= 25, small


def test_the_authority_answers_objections_to_a_notice(
        brand, coop, coop_user, authority_user, authority_client, persimmon):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    notice = application.notices.get()
    first = brand_services.lodge_objection(notice, name="李四", contact="13800000000",
                                           reason="并非本地种植")
    second = brand_services.lodge_objection(notice, name="王五", contact="13900000000",
                                            reason="包装不合规")
    url = f"/work/brand/review/{application.pk}/"
    page = html(authority_client.get(url))
    assert f'id="id_objection-{first.pk}-resolution"' in page
    assert f'id="id_objection-{second.pk}-resolution"' in page
    # An objection not of this application is not found; an empty answer is refused.
    assert authority_client.post(url, {"action": "objection", "objection": "999999"}
                                 ).status_code == 404
    response = authority_client.post(url, {"action": "objection", "objection": first.pk,
                                           f"objection-{first.pk}-uphold": "0"})
    assert response.status_code == 400
    authority_client.post(url, {"action": "objection", "objection": first.pk,
                                f"objection-{first.pk}-uphold": "0",
                                f"objection-{first.pk}-resolution": "经核查属本地种植"})
    first.refresh_from_db()
    assert first.status == "dismissed"
    # Upholding the second rejects the application, as the service decides.
    authority_client.post(url, {"action": "objection", "objection": second.pk,
                                f"objection-{second.pk}-uphold": "1",
                                f"objection-{second.pk}-resolution": "包装确不合规"})
    application.refresh_from_db()
    assert application.status == "rejected"
