"""Licences in force across the platform: the product badge, brand-label quota, suspension
and revocation taking effect at once, violations, usage reports, renewal, the public
register, verification page and certificate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brand import services
from brand.models import LabelUse, Licence, LicenceEvent, PublicNotice, UsageReport, Violation
from tests.factories import gid, granted, make_product

pytestmark = pytest.mark.django_db

BADGES = """query($first: Int) { products(first: $first, channel: "default") {
  edges { node { name regionalBrand { name slug county licenceNumber verificationUrl } } } } }"""


def badges(client, first=20):
    return {e["node"]["name"]: e["node"]["regionalBrand"]
            for e in client.data(BADGES, {"first": first})["products"]["edges"]}


def decide(client, mutation, licence, reason="抽检不合格", extra=""):
    return client.data(f"""mutation($id: ID!) {{ {mutation}(id: $id, reason: "{reason}"{extra})
        {{ licence {{ status isInForce statusReason }} errors {{ field code }} }} }}""",
                       {"id": gid("Licence", licence.pk)})[mutation]


def test_badge_follows_the_licence_at_once(gql, gql_as, licence, persimmon, millet_draft,
                                           authority_user, other_coop, product_type, category,
                                           channel):
    # A product of another cooperative in the same category gets no badge.
    make_product(other_coop, product_type, category, channel, "他社柿饼", "other-shibing",
                 ["30.00"])
    shown = badges(gql)
    assert shown["渑池柿饼"] == {"name": "仰韶彩陶坊", "slug": "yangshao", "county": "渑池县",
                                "licenceNumber": licence.number,
                                "verificationUrl": services.verification_url(licence)}
    assert shown["他社柿饼"] is None
    reviewer = gql_as(authority_user)
    assert decide(reviewer, "licenceSuspend", licence) == {
        "licence": {"status": "SUSPENDED", "isInForce": False, "statusReason": "抽检不合格"},
        "errors": []}
    assert badges(gql)["渑池柿饼"] is None
    assert decide(reviewer, "licenceReinstate", licence, "整改合格")["licence"]["status"] == "ACTIVE"
    assert badges(gql)["渑池柿饼"]["licenceNumber"] == licence.number
    revoked = decide(reviewer, "licenceRevoke", licence, "以次充好")
    assert revoked["licence"]["status"] == "REVOKED"
    assert badges(gql)["渑池柿饼"] is None
    # The revocation is published as a public notice.
    notice = PublicNotice.objects.get(kind=PublicNotice.Kind.REVOCATION)
    assert notice.licence_id == licence.pk and notice.body == "以次充好"
    # A revoked licence cannot be reinstated.
    again = decide(reviewer, "licenceReinstate", licence, "再试")
    assert again["errors"][0]["code"] == "INVALID_STATUS"
    assert Licence.objects.get(pk=licence.pk).status == Licence.Status.REVOKED


def test_badge_query_count_does_not_grow_with_page_size(gql, brand, coop, coop_user,
                                                        authority_user, product_type,
                                                        category, channel):
    granted(brand, coop, coop_user, authority_user, categories=[category])
    for i in range(12):
        make_product(coop, product_type, category, channel, f"柿饼{i}", f"shibing-{i}",
                     ["20.00"])

    def count(first):
        with CaptureQueriesContext(connection) as queries:
            shown = badges(gql, first)
        assert len(shown) == first
        return len(queries)

    count(1)  # the first request reads the channel too (then kept: api.core.context)
    small, large = count(2), count(12)
    assert small == large
    # The licence covers the whole category: every product of the seller in it has the badge.
    assert all(b is not None for b in badges(gql, 12).values())


def test_expired_licence_shows_no_badge(gql, licence):
    Licence.objects.filter(pk=licence.pk).update(
        valid_from=timezone.localdate() - timedelta(days=400),
        valid_until=timezone.localdate() - timedelta(days=1))
    assert badges(gql)["渑池柿饼"] is None


def test_label_quota_is_enforced_and_idempotent(licence, coop, persimmon, authority_user):
    assert licence.annual_label_quota == 500  # as requested and approved
    first = services.consume_label_quota(coop, persimmon, 300, reference="packing-run:1")
    assert first.licence_id == licence.pk
    # Retrying the same packing run does not count twice.
    again = services.consume_label_quota(coop, persimmon, 300, reference="packing-run:1")
    assert again.pk == first.pk
    with pytest.raises(ValidationError) as overrun:
        services.consume_label_quota(coop, persimmon, 201, reference="packing-run:2")
    assert overrun.value.error_dict["quantity"][0].code == "quota_exceeded"
    assert "200" in overrun.value.error_dict["quantity"][0].messages[0]
    assert LabelUse.objects.count() == 1
    services.consume_label_quota(coop, persimmon, 199, reference="packing-run:3")
    assert services.label_usage(licence) == {"year": timezone.localdate().year, "quota": 500,
                                             "used": 499, "remaining": 1}
    services.suspend_licence(licence, authority_user, reason="停用")
    with pytest.raises(ValidationError) as stopped:
        services.consume_label_quota(coop, persimmon, 1, reference="packing-run:4")
    assert stopped.value.error_dict["brand_labelled"][0].code == "not_licensed"
    assert LabelUse.objects.count() == 2


def test_labels_need_a_licence_covering_the_product(licence, other_coop, millet_draft):
    with pytest.raises(ValidationError) as refused:
        services.consume_label_quota(other_coop, millet_draft, 5, reference="run:9")
    assert refused.value.error_dict["brand_labelled"][0].code == "not_licensed"
    assert not LabelUse.objects.exists()


def test_licence_status_for_the_trace_page(licence, coop, persimmon, authority_user):
    services.consume_label_quota(coop, persimmon, 10, reference="packing-run:7")
    status = services.licence_status_for(product=persimmon, reference="packing-run:7")
    assert status["number"] == licence.number and status["in_force"] is True
    services.revoke_licence(licence, authority_user, reason="违规")
    status = services.licence_status_for(product=persimmon, reference="packing-run:7")
    assert status["status"] == "revoked" and status["in_force"] is False


LICENCE = """query($n: String!) { licence(number: $n) { number status
  labelUsage { quota used remaining }
  events { type user message } violations { source action description }
  usageReports { year codesUsed codesIssued sales { amount currency } } } }"""


def test_violation_with_suspension_seen_by_licensee_only(gql, gql_as, licence, coop_user,
                                                         other_coop_user, authority_user):
    recorded = gql_as(authority_user).data("""mutation($l: ID!) { violationRecord(licence: $l,
        input: {source: SCAN_FLAG, description: "同一码被扫描 300 次", action: SUSPENSION,
                reason: "疑似仿冒标签"}) { violation { action } licence { status }
        errors { field code } } }""", {"l": gid("Licence", licence.pk)})["violationRecord"]
    assert recorded == {"violation": {"action": "SUSPENSION"},
                        "licence": {"status": "SUSPENDED"}, "errors": []}
    mine = gql_as(coop_user).data(LICENCE, {"n": licence.number})["licence"]
    assert mine["violations"] == [{"source": "SCAN_FLAG", "action": "SUSPENSION",
                                   "description": "同一码被扫描 300 次"}]
    assert [e["type"] for e in mine["events"]] == ["GRANTED", "VIOLATION_RECORDED", "SUSPENDED"]
    assert mine["events"][-1] == {"type": "SUSPENDED", "user": "reviewer@example.com",
                                  "message": "疑似仿冒标签"}
    for client in (gql, gql_as(other_coop_user)):
        theirs = client.data(LICENCE, {"n": licence.number})["licence"]
        assert theirs["status"] == "SUSPENDED"
        assert theirs["violations"] is None and theirs["events"] is None


def test_violation_refusals(gql_as, licence, coop_user):
    result = gql_as(coop_user).post("""mutation($l: ID!) { violationRecord(licence: $l,
        input: {source: COMPLAINT, description: "x", action: REVOCATION, reason: "y"}) {
        errors { code } } }""", {"l": gid("Licence", licence.pk)})
    assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not Violation.objects.exists()
    assert Licence.objects.get(pk=licence.pk).status == Licence.Status.ACTIVE


REPORT = """mutation($l: ID!, $codes: Int!, $year: Int!) { licenceUsageReportSubmit(licence: $l,
  input: {year: $year, volumeSoldKg: "3200.5", salesAmount: "185000.00", codesUsed: $codes}) {
  report { year codesUsed codesIssued volumeSoldKg sales { amount currency } }
  errors { field code } } }"""


def test_annual_usage_report(gql_as, licence, coop, persimmon, coop_user, other_coop_user):
    services.consume_label_quota(coop, persimmon, 300, reference="run:1")
    year = timezone.localdate().year
    variables = {"l": gid("Licence", licence.pk), "codes": 301, "year": year}
    over = gql_as(coop_user).data(REPORT, variables)["licenceUsageReportSubmit"]
    assert over["errors"] == [{"field": "codesUsed", "code": "INVALID"}]
    refused = gql_as(other_coop_user).post(REPORT, {**variables, "codes": 10})
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert not UsageReport.objects.exists()
    ok = gql_as(coop_user).data(REPORT, {**variables, "codes": 280})["licenceUsageReportSubmit"]
    assert ok["report"] == {"year": year, "codesUsed": 280, "codesIssued": 300,
                            "volumeSoldKg": 3200.5,
                            "sales": {"amount": 185000.0, "currency": "CNY"}}
    twice = gql_as(coop_user).data(REPORT, {**variables, "codes": 1})["licenceUsageReportSubmit"]
    assert twice["errors"] == [{"field": "year", "code": "UNIQUE"}]
    assert UsageReport.objects.count() == 1


def test_renewal_extends_and_revives_an_expired_licence(gql_as, licence, authority_user):
    today = timezone.localdate()
    Licence.objects.filter(pk=licence.pk).update(valid_from=today - timedelta(days=1100),
                                                 valid_until=today - timedelta(days=1))
    assert services.expire_licences() == 1
    assert services.expire_licences() == 0  # idempotent
    licence.refresh_from_db()
    assert licence.status == Licence.Status.EXPIRED
    renewed = gql_as(authority_user).data("""mutation($id: ID!) { licenceRenew(id: $id,
        reason: "续展", years: 3) { licence { status validUntil } errors { code } } }""",
                                          {"id": gid("Licence", licence.pk)})["licenceRenew"]
    assert renewed["errors"] == [] and renewed["licence"]["status"] == "ACTIVE"
    licence.refresh_from_db()
    assert licence.valid_until.year == timezone.localdate().year + 3
    assert licence.events.filter(type=LicenceEvent.Type.RENEWED).get().message == "续展"


def test_register_verification_page_and_certificate(licence, authority_user, brand):
    client = Client()
    register = client.get("/brand/").content.decode()
    assert licence.number in register and licence.licensee.name in register
    page = client.get(f"/brand/licences/{licence.number}")
    assert page.status_code == 200
    assert licence.licensee.name in page.content.decode()
    assert 'class="ok"' in page.content.decode()
    pdf = client.get(f"/brand/licences/{licence.number}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    services.revoke_licence(licence, authority_user, reason="以次充好")
    revoked = client.get(f"/brand/licences/{licence.number}").content.decode()
    assert 'class="danger"' in revoked and "以次充好" in revoked
    assert client.get("/brand/licences/MC-1999-0001").status_code == 404


def test_public_register_through_graphql(gql, licence, brand, other_coop, other_coop_user,
                                         authority_user, category):
    granted(brand, other_coop, other_coop_user, authority_user, categories=[category])
    services.suspend_licence(licence, authority_user, reason="整改")
    query = """query($f: LicenceFilterInput) { licences(first: 10, filter: $f) { totalCount
      edges { node { number status licensee { name } brand { name categories { category { name } } }
      categories { name } products { name } } } } }"""
    everything = gql.data(query)["licences"]
    assert everything["totalCount"] == 2
    in_force = gql.data(query, {"f": {"inForce": True}})["licences"]["edges"]
    assert [e["node"]["licensee"]["name"] for e in in_force] == [other_coop.name]
    assert in_force[0]["node"]["categories"] == [{"name": "柿饼"}]
    assert in_force[0]["node"]["brand"]["categories"] == [{"category": {"name": "干果坚果"}}]


def test_register_query_count_does_not_grow(gql, brand, authority_user, coop, coop_user,
                                            persimmon, other_coop, other_coop_user, category):
    query = """{ licences(first: 10) { edges { node { number licensee { name }
      brand { name } categories { name } products { name } labelUsage { used } } } } }"""
    granted(brand, coop, coop_user, authority_user, products=[persimmon],
            categories=[category])
    with CaptureQueriesContext(connection) as one:
        gql.data(query)
    granted(brand, other_coop, other_coop_user, authority_user, categories=[category])
    with CaptureQueriesContext(connection) as two:
        gql.data(query)
    assert len(one) == len(two)


def test_pages_read_in_chinese(zh_catalogue, licence, authority_user):
    client = Client()
    page = client.get(f"/brand/licences/{licence.number}").content.decode()
    assert "该授权有效。" in page and "授权编号" in page and "授权证书（PDF）" in page
    assert "授权企业名录" in client.get("/brand/").content.decode()
    services.revoke_licence(licence, authority_user, reason="以次充好")
    revoked = client.get(f"/brand/licences/{licence.number}").content.decode()
    assert "已撤销" in revoked and "该授权已失效" in revoked
    notices = client.get("/brand/notices/").content.decode()
    assert "公示公告" in notices and f"撤销 {licence.licensee.name} 持有的授权" in notices
