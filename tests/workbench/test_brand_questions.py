"""The authority's questions and the applicant's answers through the workbench pages
(Django's test client, signed in as each role): the thread on both sides with who and
when, the answer's document under the private-document rules, the applicant notified, and
the refusals (another organisation, another authority, a closed application, an empty
answer)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from brand import services as brand_services
from brand.models import ApplicationDocument
from shop.models import Notification, Organization
from tests.factories import draft, make_member, make_org

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_authority_asks_and_the_applicant_answers_with_a_document(
        under_review, coop, coop_user, coop_client, authority_user, authority_client,
        django_capture_on_commit_callbacks):
    review = f"/work/brand/review/{under_review.pk}/"
    # An empty question is refused with the service's message, next to the field.
    response = authority_client.post(review, {"action": "ask", "ask-question": " "})
    assert response.status_code == 400
    assert "此项为必填项" in html(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = authority_client.post(review, {
            "action": "ask", "ask-question": "请补充柿子基地近三个月的农残检测报告"})
    assert response.status_code == 302
    assert "等待申请人答复" in html(authority_client.get(review))
    assert "待申请人答复" in html(authority_client.get("/work/brand/review/"))
    under_review.refresh_from_db()
    assert under_review.status == "under_review"
    told = Notification.objects.get(organization=coop, kind="information_requested")
    assert told.reference == f"application:{under_review.pk}"

    url = f"/work/brand/applications/{under_review.pk}/"
    page = html(coop_client.get(url))
    question = under_review.questions.get()
    assert "请补充柿子基地近三个月的农残检测报告" in page
    assert authority_user.email in page  # who asked
    assert f'id="id_answer-{question.pk}-answer"' in page
    # An empty answer is refused; nothing is recorded.
    response = coop_client.post(url, {"action": "answer", "question": question.pk,
                                      f"answer-{question.pk}-answer": ""})
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.is_open
    # A file that is not a PDF or a picture is refused by the upload rules.
    response = coop_client.post(url, {
        "action": "answer", "question": question.pk,
        f"answer-{question.pk}-answer": "报告见附件",
        f"answer-{question.pk}-document_kind": "inspection_report",
        f"answer-{question.pk}-file": SimpleUploadedFile("report.exe", b"MZ\x90\x00binary")})
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.is_open and not under_review.documents.filter(
        kind=ApplicationDocument.Kind.INSPECTION_REPORT).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = coop_client.post(url, {
            "action": "answer", "question": question.pk,
            f"answer-{question.pk}-answer": "农残检测报告见附件，基地面积 120 亩属实",
            f"answer-{question.pk}-document_kind": "inspection_report",
            f"answer-{question.pk}-file": SimpleUploadedFile(
                "report.pdf", b"%PDF-1.4 report", content_type="application/pdf")})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_by == coop_user and question.document.kind == "inspection_report"
    assert Notification.objects.filter(organization=under_review.brand.authority,
                                       kind="information_provided").count() == 1

    assert "待申请人答复" not in html(authority_client.get("/work/brand/review/"))
    # Both sides see the thread with who and when, and the document is theirs to download.
    for client, page_url in ((coop_client, url), (authority_client, review)):
        page = html(client.get(page_url))
        assert "农残检测报告见附件" in page
        assert coop_user.email in page
        assert timezone.localtime(question.answered_at).strftime("%Y-%m-%d %H:%M") in page
        assert f"/brand/documents/{question.document.pk}" in page
        # Downloaded through a signed, short-lived private address.
        download = client.get(f"/brand/documents/{question.document.pk}")
        assert download.status_code == 302 and download["Location"].startswith("/private/")
    # Answered: no form is left, and a second answer is not found.
    assert f'id="id_answer-{question.pk}-answer"' not in html(coop_client.get(url))
    assert coop_client.post(url, {"action": "answer", "question": question.pk,
                                  f"answer-{question.pk}-answer": "再答"}).status_code == 404


def test_refusals_of_asking_and_answering(
        under_review, brand, coop, coop_user, coop_client, other_client, authority_user,
        authority_client, persimmon):
    asked = brand_services.ask_question(under_review, authority_user, question="基地在哪个村？")
    url = f"/work/brand/applications/{under_review.pk}/"
    answer = {"action": "answer", "question": asked.pk, f"answer-{asked.pk}-answer": "果园村"}
    # Another cooperative does not find the application; the authority has no licensee pages.
    assert other_client.post(url, answer).status_code == 404
    assert authority_client.post(url, answer).status_code == 403
    # A cooperative cannot open the review page; another county's authority does not find it.
    review = f"/work/brand/review/{under_review.pk}/"
    assert coop_client.post(review, {"action": "ask", "ask-question": "?"}).status_code == 403
    other = Client()
    other.force_login(make_member(make_org("息县农业农村局", "xixian-bureau",
                                           Organization.Kind.BRAND_AUTHORITY), "xi@example.com"))
    assert other.post(review, {"action": "ask", "ask-question": "?"}).status_code == 404
    asked.refresh_from_db()
    assert asked.is_open and under_review.questions.count() == 1

    # Once rejected, the question cannot be answered: the service's message on the page.
    brand_services.reject_application(under_review, authority_user, reason="不符合标准")
    response = coop_client.post(url, answer)
    assert response.status_code == 400
    assert "不能进行此操作" in html(response)
    asked.refresh_from_db()
    assert asked.is_open
    # A draft the applicant has not sent is not the authority's to see (as in the API).
    fresh = draft(brand, coop, coop_user, products=[persimmon])
    assert authority_client.post(f"/work/brand/review/{fresh.pk}/", {
        "action": "ask", "ask-question": "?"}).status_code == 404
    assert not fresh.questions.exists()


def test_the_approve_button_waits_for_the_answer(
        under_review, coop_user, authority_user, authority_client):
    review = f"/work/brand/review/{under_review.pk}/"
    asked = brand_services.ask_question(under_review, authority_user, question="基地在哪个村？")
    page = html(authority_client.get(review))
    # The button is disabled with the reason beside it.
    assert '<button disabled aria-describedby="approve-held">' in page
    assert "审批需等待申请人答复" in page
    # A forged post is refused by the service, its message shown on the page.
    response = authority_client.post(review, {
        "action": "approve", "approve-reason": "材料齐全", "approve-label_quota": "500",
        "approve-notice_days": str(under_review.brand.notice_days)})
    assert response.status_code == 400
    assert "申请人尚未答复" in html(response)
    under_review.refresh_from_db()
    assert under_review.status == "under_review" and not under_review.notices.exists()

    brand_services.answer_question(asked, coop_user, answer="果园村")
    page = html(authority_client.get(review))
    assert "approve-held" not in page
    response = authority_client.post(review, {
        "action": "approve", "approve-reason": "材料齐全", "approve-label_quota": "500",
        "approve-notice_days": str(under_review.brand.notice_days)})
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == "public_notice"
