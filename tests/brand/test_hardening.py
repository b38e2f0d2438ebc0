"""The brand app against an attacker: an HTML page uploaded as a licence document, private
documents read by strangers, nonsense quotas and amounts, NUL bytes in the licence page's
URL, and an admin who shortens the public notice to grant a licence early. Each through the
real interface (GraphQL view, page, admin), refused, with nothing lost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from brand.models import ApplicationDocument, Licence, LicenceApplication, PublicNotice
from brand.services.common import clean_decimal
from tests.factories import draft, gid, in_notice, make_member, make_org, pdf_file

pytestmark = pytest.mark.django_db

DOCUMENT = """
mutation($application: ID!, $input: ApplicationDocumentInput!, $file: Upload!) {
  licenceApplicationDocumentAdd(application: $application, input: $input, file: $file) {
    document { kind url } errors { field code message } } }"""

CREATE = """mutation($input: LicenceApplicationCreateInput!) {
  licenceApplicationCreate(input: $input) {
    application { id } errors { field code message } } }"""

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def add_document(client, application, upload):
    return client.post_multipart(DOCUMENT, {
        "application": gid("LicenceApplication", application.pk),
        "input": {"kind": "SC_CERTIFICATE", "number": "SC101", "validUntil": "2099-12-31"},
        "file": None}, {"file": upload})["data"]["licenceApplicationDocumentAdd"]


@pytest.mark.parametrize("name, content_type", [
    ("licence.pdf", "application/pdf"),  # an HTML page named and typed as a PDF
    ("licence.html", "text/html"),
])
def test_html_as_licence_document_is_refused(gql_as, brand, coop, coop_user, persimmon,
                                             media_root, name, content_type):
    application = draft(brand, coop, coop_user, products=[persimmon])
    before = stored(media_root)
    payload = add_document(gql_as(coop_user), application,
                           SimpleUploadedFile(name, HTML, content_type=content_type))
    assert payload["document"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "INVALID")]
    assert "PDF" in payload["errors"][0]["message"]
    assert application.documents.count() == 1  # only the business licence
    assert stored(media_root) == before


def test_document_is_private_and_served_as_a_download(gql_as, brand, coop, coop_user,
                                                      other_coop_user, authority_user,
                                                      operator_user, persimmon, media_root):
    application = draft(brand, coop, coop_user, products=[persimmon])
    payload = add_document(gql_as(coop_user), application, pdf_file("../../evil name.html"))
    assert payload["errors"] == []
    document = application.documents.order_by("-pk").first()
    # A name the server chose, in the private area, with the type found in the content.
    assert document.file.name.startswith("private/brand-documents/")
    assert document.file.name.endswith(".pdf") and "evil" not in document.file.name
    url = payload["document"]["url"]
    assert "/media/" not in url and url.endswith(f"/brand/documents/{document.pk}")
    path = f"/brand/documents/{document.pk}"
    for user in (coop_user, authority_user, operator_user):
        client = Client()
        client.force_login(user)
        # Off to a signed, expiring address of the file, which serves it.
        response = client.get(path, follow=True)
        assert response.redirect_chain[0][0].startswith("/private/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    stranger = Client()
    stranger.force_login(other_coop_user)
    assert stranger.get(path).status_code == 404
    assert Client().get(path).status_code == 404


def test_nonsense_numbers_are_refused_in_chinese(gql_as, brand, coop_user, persimmon):
    client = gql_as(coop_user, language="zh-hans")
    base = {"brand": gid("RegionalBrand", brand.pk), "products": [gid("Product", persimmon.pk)]}
    cases = [
        ({"requestedLabelQuota": 2147483647}, "requestedLabelQuota"),
        ({"requestedLabelQuota": -1}, "requestedLabelQuota"),
        ({"estimatedAnnualVolumeKg": "-5"}, "estimatedAnnualVolumeKg"),
        ({"grades": "特" * 1_000}, "grades"),
        ({"note": "很长" * 500_000}, "note"),
    ]
    for extra, field in cases:
        result = client.post(CREATE, {"input": {**base, **extra}})
        assert not result.get("errors"), result
        errors = result["data"]["licenceApplicationCreate"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID")], extra
        if field != "grades" and field != "note":  # texts are refused by the API's own check
            assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["message"]), errors
    assert not LicenceApplication.objects.exists()


def test_amounts_round_half_up_like_money():
    assert clean_decimal("0.125", "sales_amount", "0.01") == Decimal("0.13")
    assert clean_decimal("2.0005", "volume_kg") == Decimal("2.001")


@pytest.mark.parametrize("path", [
    "/brand/licences/MC%00-2024",
    "/brand/licences/%00/certificate.pdf",
])
def test_nul_byte_in_licence_url_is_not_found(licence, path):
    assert Client().get(path).status_code == 404


def test_admin_cannot_shorten_the_notice_and_grant(brand, coop, coop_user, authority_user,
                                                   persimmon):
    """The attack: edit the notice's end to two minutes from now in the admin, then grant.
    The notice is read-only in the admin; the grant action calls the service, which refuses
    before the notice ends."""
    application = in_notice(brand, coop, coop_user, authority_user, products=[persimmon])
    notice = PublicNotice.objects.get(application=application)
    original_end = notice.ends_at
    authority_user.is_staff = authority_user.is_superuser = True
    authority_user.save()
    client = Client()
    client.force_login(authority_user)
    change = f"/admin/brand/publicnotice/{notice.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="ends_at_0"' not in page.content  # shown, not editable
    soon = timezone.localtime(timezone.now() + timedelta(minutes=2))
    client.post(change, {"ends_at_0": soon.date().isoformat(),
                         "ends_at_1": soon.time().strftime("%H:%M:%S"),
                         "status": "closed", "title": "x"})
    notice.refresh_from_db()
    assert notice.ends_at == original_end and notice.status == PublicNotice.Status.OPEN
    assert client.get("/admin/brand/publicnotice/add/").status_code == 403

    response = client.post("/admin/brand/licenceapplication/", {
        "action": "grant", "_selected_action": [application.pk]}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    end = timezone.localtime(original_end).strftime("%Y-%m-%d %H:%M")
    assert any(end in m for m in shown), shown  # "the notice runs until …", in any language
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.PUBLIC_NOTICE
    assert not Licence.objects.filter(application=application).exists()

    # The licence's workflow fields are read-only too (status, quota, validity).
    change_app = client.get(f"/admin/brand/licenceapplication/{application.pk}/change/")
    assert b'name="status"' not in change_app.content
    assert b'name="approved_label_quota"' not in change_app.content


def test_admin_document_inline_cannot_upload(brand, coop, coop_user, persimmon, media_root):
    application = draft(brand, coop, coop_user, products=[persimmon])
    admin_user = make_member(make_org("特色馆运营团队", "ops"), "ops@example.com")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/admin/brand/licenceapplication/{application.pk}/change/")
    assert page.status_code == 200
    assert b'type="file"' not in page.content
    assert ApplicationDocument.objects.filter(application=application).count() == 1
