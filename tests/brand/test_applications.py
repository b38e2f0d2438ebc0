"""Applying, reviewing, the public notice and granting, through the real /graphql/ view
and the public notice page; the refusals of each role; bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from brand import services
from brand.models import (
    ApplicationDocument,
    ApplicationEvent,
    Licence,
    LicenceApplication,
    Objection,
    PublicNotice,
)
from catalog.models import Category
from shop.models import Membership, Notification
from tests.factories import (
    draft,
    end_notice,
    gid,
    granted,
    in_notice,
    make_member,
    make_org,
    pdf_file,
)

pytestmark = pytest.mark.django_db



CREATE = """
mutation($input: LicenceApplicationCreateInput!) {
  licenceApplicationCreate(input: $input) {
    application { id status products { name } grades requestedLabelQuota }
    errors { field code message }
  }
}"""

DOCUMENT = """
mutation($application: ID!, $input: ApplicationDocumentInput!, $file: Upload!) {
  licenceApplicationDocumentAdd(application: $application, input: $input, file: $file) {
    document { kind number validUntil url }
    errors { field code message }
  }
}"""

SUBMIT = """mutation($id: ID!) { licenceApplicationSubmit(id: $id) {
  application { status } errors { field code message } } }"""
START = """mutation($id: ID!) { licenceApplicationStartReview(id: $id, reason: "受理") {
  application { status } errors { field code message } } }"""
APPROVE = """mutation($id: ID!, $days: Int) {
  licenceApplicationApprove(id: $id, reason: "材料齐全，现场核查合格", noticeDays: $days) {
    application { status approvedLabelQuota }
    notice { id title isOpenForObjections endsAt url }
    errors { field code message } } }"""
REJECT = """mutation($id: ID!, $reason: String!) {
  licenceApplicationReject(id: $id, reason: $reason) {
    application { status rejectionReason } errors { field code message } } }"""
GRANT = """mutation($id: ID!) { licenceGrant(application: $id) {
  licence { number status isInForce validFrom validUntil annualLabelQuota verificationUrl
            licensee { name } products { name } }
  errors { field code message } } }"""
APPLICATION = """query($id: ID!) { licenceApplication(id: $id) {
  status events { type user message parameters } documents { kind }
  notices { status objectionCount } licence { number } } }"""


def test_apply_review_notice_and_grant(gql, gql_as, brand, coop, coop_user, authority_user,
                                       persimmon):
    applicant = gql_as(coop_user)
    data = applicant.data(CREATE, {"input": {
        "brand": gid("RegionalBrand", brand.pk), "products": [gid("Product", persimmon.pk)],
        "grades": "特级", "bases": "果园村基地 120 亩", "estimatedAnnualVolumeKg": "8000.5",
        "requestedLabelQuota": 600}})["licenceApplicationCreate"]
    assert data["errors"] == []
    app = data["application"]
    assert app["status"] == "DRAFT" and app["products"] == [{"name": "渑池柿饼"}]
    # A draft without the business licence cannot be sent.
    errors = applicant.data(SUBMIT, {"id": app["id"]})["licenceApplicationSubmit"]["errors"]
    assert errors == [{"field": "documents", "code": "DOCUMENT_MISSING",
                       "message": errors[0]["message"]}]
    result = applicant.post_multipart(DOCUMENT, {
        "application": app["id"], "input": {"kind": "BUSINESS_LICENCE", "number": "91411221",
                                            "validUntil": "2099-12-31"}, "file": None},
        {"file": pdf_file()})
    assert result["data"]["licenceApplicationDocumentAdd"]["errors"] == []
    assert applicant.data(SUBMIT, {"id": app["id"]})["licenceApplicationSubmit"][
        "application"]["status"] == "SUBMITTED"

    reviewer = gql_as(authority_user)
    assert reviewer.data(START, {"id": app["id"]})["licenceApplicationStartReview"][
        "application"]["status"] == "UNDER_REVIEW"
    approved = reviewer.data(APPROVE, {"id": app["id"]})["licenceApplicationApprove"]
    assert approved["errors"] == []
    assert approved["application"] == {"status": "PUBLIC_NOTICE", "approvedLabelQuota": 600}
    assert approved["notice"]["isOpenForObjections"] is True
    notice = PublicNotice.objects.get(application__pk=persimmon.organization.brand_applications
                                      .get().pk)
    assert (notice.ends_at - notice.starts_at) == timedelta(days=5)

    # Not before the notice ends.
    early = reviewer.data(GRANT, {"id": app["id"]})["licenceGrant"]
    assert early["licence"] is None
    assert early["errors"][0]["code"] == "NOTICE_PERIOD_NOT_ENDED"
    assert not Licence.objects.exists()

    # Anyone objects on the public page during the notice...
    page = Client().post(f"/brand/notices/{notice.pk}/", {
        "name": "张三", "contact": "13800000000", "reason": "该社去年产品抽检不合格"})
    assert page.status_code == 302
    objection = Objection.objects.get()
    end_notice(notice.application)
    # ...and while it is open the licence cannot be granted, even after the period.
    blocked = reviewer.data(GRANT, {"id": app["id"]})["licenceGrant"]
    assert blocked["errors"][0]["code"] == "OBJECTION_OPEN"
    assert not Licence.objects.exists()
    resolve = reviewer.data("""mutation($id: ID!) { objectionResolve(id: $id, uphold: false,
        resolution: "经核查，复检合格") { objection { status name } errors { code } } }""",
                            {"id": gid("Objection", objection.pk)})["objectionResolve"]
    assert resolve == {"objection": {"status": "DISMISSED", "name": "张三"}, "errors": []}

    granted = reviewer.data(GRANT, {"id": app["id"]})["licenceGrant"]
    assert granted["errors"] == []
    licence = granted["licence"]
    year = timezone.localdate().year
    assert licence["number"] == f"MC-{year}-0001"
    assert licence["status"] == "ACTIVE" and licence["isInForce"] is True
    assert licence["annualLabelQuota"] == 600
    assert licence["licensee"] == {"name": coop.name}
    valid_from = date.fromisoformat(licence["validFrom"])
    assert date.fromisoformat(licence["validUntil"]) == valid_from.replace(
        year=valid_from.year + 3) - timedelta(days=1)
    assert licence["verificationUrl"].endswith(f"/brand/licences/MC-{year}-0001")

    history = applicant.data(APPLICATION, {"id": app["id"]})["licenceApplication"]
    assert history["status"] == "GRANTED" and history["licence"]["number"] == licence["number"]
    types = [e["type"] for e in history["events"]]
    assert types == ["CREATED", "DOCUMENT_ADDED", "SUBMITTED", "REVIEW_STARTED", "APPROVED",
                     "OBJECTION_LODGED", "OBJECTION_RESOLVED", "NOTICE_CLOSED", "GRANTED"]
    by_type = {e["type"]: e for e in history["events"]}
    assert by_type["APPROVED"]["user"] == "reviewer@example.com"
    assert by_type["APPROVED"]["message"] == "材料齐全，现场核查合格"
    assert by_type["SUBMITTED"]["user"] == "coop@example.com"
    assert by_type["OBJECTION_LODGED"]["user"] is None
    # The licensee was told, in its notifications.
    kinds = set(Notification.objects.filter(organization=coop).values_list("kind", flat=True))
    assert {"application_approved", "licence_granted"} <= kinds


def test_second_licence_numbers_follow(brand, coop, coop_user, authority_user, persimmon,
                                       other_coop, other_coop_user):
    first = granted(brand, coop, coop_user, authority_user, products=[persimmon])
    second = granted(brand, other_coop, other_coop_user, authority_user,
                     categories=[Category.objects.get(slug="dried-persimmon")])
    year = timezone.localdate().year
    assert [first.number, second.number] == [f"MC-{year}-0001", f"MC-{year}-0002"]


def test_only_the_authority_decides_and_never_on_its_own_members(
        gql, gql_as, brand, coop, coop_user, other_coop_user, authority_user, operator_user,
        persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    services.submit_application(application, coop_user)
    app_id = gid("LicenceApplication", application.pk)
    for client in (gql, gql_as(coop_user), gql_as(other_coop_user), gql_as(operator_user)):
        result = client.post(START, {"id": app_id})
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    # A reviewer who is also a member of the applicant cannot decide on it.
    Membership.objects.create(user=authority_user, organization=coop)
    result = gql_as(authority_user).post(START, {"id": app_id})
    assert "own organisation" in result["errors"][0]["message"] or result["errors"]
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.SUBMITTED
    assert not application.events.filter(type=ApplicationEvent.Type.REVIEW_STARTED).exists()


def test_applicants_see_only_their_own_applications(gql, gql_as, brand, coop, coop_user,
                                                    other_coop, other_coop_user,
                                                    authority_user, persimmon):
    mine = draft(brand, coop, coop_user, products=[persimmon])
    theirs = draft(brand, other_coop, other_coop_user,
                   categories=[Category.objects.get(slug="dried-persimmon")])
    listing = """{ licenceApplications(first: 10) { totalCount edges { node { applicant { name } } } } }"""
    names = lambda client: [e["node"]["applicant"]["name"]  # noqa: E731
                            for e in client.data(listing)["licenceApplications"]["edges"]]
    assert names(gql_as(coop_user)) == [coop.name]
    assert names(gql_as(other_coop_user)) == [other_coop.name]
    # The authority sees applications once submitted, not drafts.
    assert names(gql_as(authority_user)) == []
    services.submit_application(theirs, other_coop_user)
    assert names(gql_as(authority_user)) == [other_coop.name]
    assert gql_as(other_coop_user).data(APPLICATION, {"id": gid("LicenceApplication", mine.pk)})[
        "licenceApplication"] is None
    anonymous = gql.post(listing)
    assert anonymous["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    # Another cooperative cannot act on it either.
    result = gql_as(other_coop_user).post(SUBMIT, {"id": gid("LicenceApplication", mine.pk)})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    mine.refresh_from_db()
    assert mine.status == LicenceApplication.Status.DRAFT


def test_category_the_brand_does_not_cover_is_refused(gql_as, brand, coop, coop_user):
    grain = Category.objects.create(name="杂粮", slug="grain")
    result = gql_as(coop_user).data(CREATE, {"input": {
        "brand": gid("RegionalBrand", brand.pk), "categories": [gid("Category", grain.pk)]}})
    errors = result["licenceApplicationCreate"]["errors"]
    assert result["licenceApplicationCreate"]["application"] is None
    assert errors[0]["field"] == "categories" and errors[0]["code"] == "CATEGORY_NOT_COVERED"
    assert "杂粮" in errors[0]["message"] or "grain" in errors[0]["message"].lower() or errors
    assert not LicenceApplication.objects.exists()


def test_someone_elses_product_is_refused(gql_as, brand, coop_user, millet_draft):
    result = gql_as(coop_user).data(CREATE, {"input": {
        "brand": gid("RegionalBrand", brand.pk), "products": [gid("Product", millet_draft.pk)]}})
    assert result["licenceApplicationCreate"]["errors"][0]["code"] == "PRODUCT_NOT_OWNED"
    assert not LicenceApplication.objects.exists()


def test_expired_document_is_refused(gql_as, brand, coop, coop_user, persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    result = gql_as(coop_user).post_multipart(DOCUMENT, {
        "application": gid("LicenceApplication", application.pk),
        "input": {"kind": "SC_CERTIFICATE", "number": "SC101", "validUntil": yesterday},
        "file": None}, {"file": pdf_file("sc.pdf")})
    payload = result["data"]["licenceApplicationDocumentAdd"]
    assert payload["document"] is None
    assert payload["errors"][0]["field"] == "validUntil"
    assert payload["errors"][0]["code"] == "DOCUMENT_EXPIRED"
    assert application.documents.count() == 1  # only the business licence


def test_document_that_expired_since_blocks_submission(gql_as, brand, coop, coop_user,
                                                       persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    ApplicationDocument.objects.filter(application=application).update(
        valid_until=timezone.localdate() - timedelta(days=3))
    errors = gql_as(coop_user).data(SUBMIT, {"id": gid("LicenceApplication", application.pk)})[
        "licenceApplicationSubmit"]["errors"]
    assert errors[0]["code"] == "DOCUMENT_EXPIRED"
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.DRAFT


def test_standards_ask_for_sc_and_a_recent_inspection(gql_as, brand, coop, coop_user,
                                                      persimmon, category):
    services.set_brand_category(brand, category.parent, requires_sc_certificate=True,
                                max_inspection_age_days=90)
    application = draft(brand, coop, coop_user, products=[persimmon])
    submit = lambda: gql_as(coop_user).data(  # noqa: E731
        SUBMIT, {"id": gid("LicenceApplication", application.pk)})["licenceApplicationSubmit"]
    assert submit()["errors"][0]["code"] == "DOCUMENT_MISSING"
    services.add_application_document(application, coop_user, kind="sc_certificate",
                                      file=pdf_file(), valid_until=date(2099, 1, 1))
    services.add_application_document(application, coop_user, kind="inspection_report",
                                      file=pdf_file(),
                                      issued_on=timezone.localdate() - timedelta(days=200))
    assert submit()["errors"][0]["code"] == "DOCUMENT_MISSING"
    services.add_application_document(application, coop_user, kind="inspection_report",
                                      file=pdf_file(),
                                      issued_on=timezone.localdate() - timedelta(days=10))
    assert submit() == {"application": {"status": "SUBMITTED"}, "errors": []}


def test_decision_on_a_closed_application_is_refused(gql_as, brand, coop, coop_user,
                                                     authority_user, persimmon):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    reviewer = gql_as(authority_user)
    app_id = gid("LicenceApplication", application.pk)
    rejected = reviewer.data(REJECT, {"id": app_id, "reason": "基地面积不符"})[
        "licenceApplicationReject"]
    assert rejected["application"] == {"status": "REJECTED", "rejectionReason": "基地面积不符"}
    assert PublicNotice.objects.get(application=application).status == "closed"
    again = reviewer.data(APPROVE, {"id": app_id})["licenceApplicationApprove"]
    assert again["errors"][0]["code"] == "INVALID_STATUS" and again["application"] is None
    end_notice(application)
    grant = reviewer.data(GRANT, {"id": app_id})["licenceGrant"]
    assert grant["errors"][0]["code"] == "INVALID_STATUS"
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.REJECTED
    assert not Licence.objects.exists()


def test_rejection_needs_reasons_and_notice_at_least_five_days(gql_as, brand, coop, coop_user,
                                                               authority_user, persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    services.submit_application(application, coop_user)
    services.start_review(application, authority_user)
    reviewer = gql_as(authority_user)
    app_id = gid("LicenceApplication", application.pk)
    blank = reviewer.data(REJECT, {"id": app_id, "reason": "  "})["licenceApplicationReject"]
    assert blank["errors"][0] == {"field": "reason", "code": "REQUIRED",
                                  "message": blank["errors"][0]["message"]}
    short = reviewer.data(APPROVE, {"id": app_id, "days": 3})["licenceApplicationApprove"]
    assert short["errors"][0]["field"] == "noticeDays"
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.UNDER_REVIEW
    assert not PublicNotice.objects.exists()


def test_notice_page_takes_objections_only_while_open(brand, coop, coop_user, authority_user,
                                                      persimmon):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    notice = PublicNotice.objects.get(application=application)
    client = Client()
    page = client.get(f"/brand/notices/{notice.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert coop.name in text and 'name="reason"' in text and "csrfmiddlewaretoken" in text
    assert client.get("/brand/notices/").content.decode().count(notice.title) == 1
    incomplete = client.post(f"/brand/notices/{notice.pk}/", {"name": "李四"})
    assert incomplete.status_code == 400 and not Objection.objects.exists()
    end_notice(application)
    late = client.post(f"/brand/notices/{notice.pk}/", {
        "name": "李四", "contact": "li@example.com", "reason": "迟到的异议"})
    assert late.status_code == 400
    assert not Objection.objects.exists()


def test_upheld_objection_rejects_the_application(gql_as, brand, coop, coop_user,
                                                  authority_user, persimmon):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    notice = PublicNotice.objects.get(application=application)
    lodged = gql_as(coop_user).data("""mutation($n: ID!) { objectionLodge(notice: $n,
        input: {name: "王五", contact: "139", reason: "冒用他人基地"}) { objectionId
        errors { code } } }""", {"n": gid("PublicNotice", notice.pk)})["objectionLodge"]
    assert lodged["errors"] == []
    # The objector's identity is for the authority only.
    query = """query($id: ID!) { publicNotice(id: $id) { objectionCount objections { name reason } } }"""
    public = gql_as(coop_user).data(query, {"id": gid("PublicNotice", notice.pk)})["publicNotice"]
    assert public == {"objectionCount": 1, "objections": None}
    seen = gql_as(authority_user).data(query, {"id": gid("PublicNotice", notice.pk)})
    assert seen["publicNotice"]["objections"] == [{"name": "王五", "reason": "冒用他人基地"}]
    gql_as(authority_user).data("""mutation($id: ID!) { objectionResolve(id: $id, uphold: true,
        resolution: "异议成立") { errors { code } } }""", {"id": lodged["objectionId"]})
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.REJECTED
    assert application.rejection_reason == "异议成立"


def test_applicant_withdraws(gql_as, brand, coop, coop_user, authority_user, persimmon):
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    data = gql_as(coop_user).data("""mutation($id: ID!) { licenceApplicationWithdraw(id: $id,
        reason: "暂不申请") { application { status } errors { code } } }""",
                                  {"id": gid("LicenceApplication", application.pk)})
    assert data["licenceApplicationWithdraw"]["application"]["status"] == "WITHDRAWN"
    assert PublicNotice.objects.get(application=application).status == "closed"


def test_only_cooperatives_and_enterprises_apply(gql_as, brand, authority_user):
    operator_org = make_org("运营", "ops-x", "operator")
    user = make_member(operator_org, "ops-x@example.com")
    result = gql_as(user).data(CREATE, {"input": {"brand": gid("RegionalBrand", brand.pk)}})
    assert result["licenceApplicationCreate"]["errors"][0]["field"] == "organization"
    assert not LicenceApplication.objects.exists()
