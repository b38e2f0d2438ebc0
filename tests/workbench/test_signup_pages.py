"""Joining the pavilion (入驻申请) through the workbench's real pages: a signed-in shopper
applies for a new cooperative (credit code with its check character, a licence photo
Pillow recognises), which exists inactive with them as its administrator; an operator
reviews it (approve: active, the code on its producer profile, the applicant told;
refuse: with a reason the applicant reads). Only operators review; anonymous visitors sign
in first."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from shop.models import Membership, Notification, Organization, OrganizationApplication, User
from supplychain.models import ProducerProfile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CODE = "93411221MA44XY120P"  # a valid unified social credit code (check character P)


def photo(name="licence.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form(**changes):
    data = {"name": "渑池县仰韶红薯专业合作社", "kind": "cooperative", "county": "渑池县",
            "credit_code": CODE.lower(), "contact_name": "王建国",
            "contact_phone": "13912345678", "address": "河南省三门峡市渑池县仰韶镇",
            "licence_photo": photo()}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def applicant(db):
    return User.objects.create_user("farmer@example.com", PASSWORD, first_name="建国")


@pytest.fixture
def applicant_client(applicant):
    client = Client()
    client.force_login(applicant)
    return client


@pytest.fixture
def operator_client(operator_user):
    client = Client()
    client.force_login(operator_user)
    return client


def apply(client, **changes):
    return client.post("/work/signup/", form(**changes))


def test_a_shopper_applies_and_the_operator_approves(applicant, applicant_client,
                                                     operator_client):
    # Without a workbench yet, the workbench offers the application.
    refused = applicant_client.get("/work/")
    assert refused.status_code == 403 and "/work/signup/" in refused.content.decode()
    assert "入驻特色馆" in applicant_client.get("/work/signup/").content.decode()

    response = apply(applicant_client)
    assert response.status_code == 302 and response["Location"] == "/work/signup/"
    application = OrganizationApplication.objects.get()
    organization = application.organization
    assert application.credit_code == CODE and application.status == "pending"
    assert not organization.is_active and organization.county == "渑池县"
    assert organization.contact_phone == "13912345678"
    assert application.licence_photo.name.startswith("private/join-licences/")
    assert application.licence_photo.name.endswith(".png")
    assert Membership.objects.get(organization=organization).user == applicant
    status = applicant_client.get("/work/signup/").content.decode()
    assert "申请已提交" in status and "审核中" in status and organization.name in status
    assert applicant_client.get("/work/").status_code == 403  # not open before approval

    # The operating team is told, and its home lists the application to review.
    told = Notification.objects.get(organization__kind="operator",
                                    kind="organization_application")
    assert organization.name in told.subject and CODE in told.body
    home = operator_client.get("/work/").content.decode()
    assert "1 份入驻申请待审核" in home and 'href="/work/signup/review/"' in home
    queue = operator_client.get("/work/signup/review/")
    assert queue.status_code == 200 and organization.name in queue.content.decode()
    review = operator_client.get(f"/work/signup/review/{application.pk}/")
    assert CODE in review.content.decode() and "王建国" in review.content.decode()
    licence = operator_client.get(f"/work/signup/review/{application.pk}/licence/")
    assert licence.status_code == 302
    downloaded = operator_client.get(licence["Location"])
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "image/png"

    approved = operator_client.post(f"/work/signup/review/{application.pk}/",
                                    {"action": "approve"}, follow=True)
    assert "已入驻特色馆" in approved.content.decode()
    assert "入驻申请待审核" not in operator_client.get("/work/").content.decode()
    organization.refresh_from_db()
    assert organization.is_active
    assert ProducerProfile.objects.get(organization=organization).credit_code == CODE
    notice = Notification.objects.get(user=applicant, kind="organization_application")
    assert organization.name in notice.subject and "/work/" in notice.body
    # The applicant now works for it, as its administrator, and sees the status.
    home = applicant_client.get("/work/")
    assert home.status_code == 200 and organization.name in home.content.decode()
    assert "已通过" in applicant_client.get("/work/signup/").content.decode()
    assert applicant_client.get("/work/members/").status_code == 200
    # Decided once.
    again = operator_client.post(f"/work/signup/review/{application.pk}/",
                                 {"action": "refuse", "reason": "重复"})
    assert again.status_code == 400 and "已有审核结果" in again.content.decode()


def test_the_operator_refuses_with_a_reason(applicant, applicant_client, operator_client):
    apply(applicant_client)
    application = OrganizationApplication.objects.get()
    url = f"/work/signup/review/{application.pk}/"
    empty = operator_client.post(url, {"action": "refuse", "reason": " "})
    assert empty.status_code == 400
    operator_client.post(url, {"action": "refuse", "reason": "营业执照照片模糊，请重新拍摄。"})
    application.refresh_from_db()
    assert application.status == "refused" and not application.organization.is_active
    status = applicant_client.get("/work/signup/").content.decode()
    assert "未通过" in status and "营业执照照片模糊" in status
    notice = Notification.objects.get(user=applicant, kind="organization_application")
    assert "营业执照照片模糊" in notice.body
    # A refused code may apply again.
    assert apply(applicant_client, name="渑池县仰韶红薯合作社").status_code == 302
    assert OrganizationApplication.objects.filter(credit_code=CODE).count() == 2


def test_the_form_checks_code_photo_county_and_duplicates(applicant_client, other_coop_user):
    wrong_check = CODE[:-1] + "Q"
    response = apply(applicant_client, credit_code=wrong_check)
    assert response.status_code == 400
    assert "校验" in response.content.decode() or "check" in response.content.decode()
    response = apply(applicant_client, credit_code="12345")
    assert response.status_code == 400
    text = SimpleUploadedFile("licence.png", b"not a picture at all", content_type="image/png")
    response = apply(applicant_client, licence_photo=text)
    assert response.status_code == 400 and "JPEG" in response.content.decode()
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    assert apply(applicant_client, licence_photo=pdf).status_code == 400
    assert apply(applicant_client, county="北京市").status_code == 400
    assert apply(applicant_client, kind="operator").status_code == 400
    assert not OrganizationApplication.objects.exists()
    assert not Organization.objects.filter(is_active=False).exists()

    assert apply(applicant_client).status_code == 302
    other = Client()
    other.force_login(other_coop_user)
    duplicate = apply(other, name="另一个合作社")
    assert duplicate.status_code == 400 and "已经提交过申请或已入驻" in duplicate.content.decode()


def test_only_operators_review(applicant_client, coop_client, operator_client):
    apply(applicant_client)
    application = OrganizationApplication.objects.get()
    for path in ("/work/signup/review/", f"/work/signup/review/{application.pk}/",
                 f"/work/signup/review/{application.pk}/licence/"):
        assert coop_client.get(path).status_code == 403
        assert applicant_client.get(path).status_code == 403
        assert Client().get(path)["Location"].startswith("/account/sign-in/?next=")
    assert coop_client.post(f"/work/signup/review/{application.pk}/",
                            {"action": "approve"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "pending" and not application.organization.is_active
    assert Client().get("/work/signup/")["Location"].startswith("/account/sign-in/?next=")
    # The operator's navigation leads to the review.
    assert "/work/signup/review/" in operator_client.get("/work/").content.decode()
