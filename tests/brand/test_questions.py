"""Requests for information during the review and the holder's renewal request, through the
real /graphql/ view: the authority of the brand asks, a member of the applicant answers
(with a document through the upload rules), each side is notified once through the outbox,
and every other caller is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from brand import services
from brand.models import ApplicationDocument, ApplicationEvent, Licence
from shop.models import Notification, OutboxMessage
from tests.clients import refused
from tests.factories import draft, gid, make_member, make_org, pdf_file

pytestmark = pytest.mark.django_db

ASK = """mutation($application: ID!, $question: String!) {
  licenceApplicationQuestionAsk(application: $application, question: $question) {
    application { status questions { id question askedBy isOpen } }
    question { id }
    errors { field code message }
  }
}"""

ANSWER = """mutation($id: ID!, $answer: String!, $file: Upload, $kind: ApplicationDocumentKindEnum) {
  licenceApplicationQuestionAnswer(id: $id, answer: $answer, file: $file, documentKind: $kind) {
    question { answer answeredBy isOpen document { kind url } }
    errors { field code message }
  }
}"""

RENEWAL = """mutation($licence: ID!, $message: String) {
  licenceRenewalRequest(licence: $licence, message: $message) {
    licence { number }
    errors { field code message }
  }
}"""


def test_the_authority_asks_the_applicant_answers_with_a_document_and_each_is_told_once(
        gql_as, under_review, coop, coop_user, authority, authority_user,
        django_capture_on_commit_callbacks):
    app_id = gid("LicenceApplication", under_review.pk)
    with django_capture_on_commit_callbacks(execute=True):
        payload = gql_as(authority_user).data(ASK, {
            "application": app_id, "question": "请补充柿子基地近三个月的检测报告"})[
            "licenceApplicationQuestionAsk"]
    assert payload["errors"] == []
    # The application stays under review: the open question is what waits on the applicant.
    assert payload["application"]["status"] == "UNDER_REVIEW"
    assert payload["application"]["questions"] == [{
        "id": payload["question"]["id"], "question": "请补充柿子基地近三个月的检测报告",
        "askedBy": authority_user.email, "isOpen": True}]
    told = Notification.objects.get(organization=coop, kind="information_requested")
    assert told.body == "请补充柿子基地近三个月的检测报告"
    assert told.reference == f"application:{under_review.pk}"
    assert OutboxMessage.objects.filter(task="brand.tasks.notify_question").count() == 1
    # A second run of the task (a retry, the sweeper) tells nobody again.
    question_id = under_review.questions.get().pk
    assert services.notify_question(question_id, "asked") is False
    assert Notification.objects.filter(kind="information_requested").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        result = gql_as(coop_user).post_multipart(ANSWER, {
            "id": payload["question"]["id"], "answer": "检测报告已上传", "file": None,
            "kind": "INSPECTION_REPORT"}, {"file": pdf_file("report.pdf")})
    answered = result["data"]["licenceApplicationQuestionAnswer"]
    assert answered["errors"] == []
    assert answered["question"]["answer"] == "检测报告已上传"
    assert answered["question"]["answeredBy"] == coop_user.email
    assert answered["question"]["isOpen"] is False
    assert answered["question"]["document"]["kind"] == "INSPECTION_REPORT"
    document = under_review.documents.get(kind=ApplicationDocument.Kind.INSPECTION_REPORT)
    assert document.file.name.startswith("private/brand-documents/")
    assert Notification.objects.get(organization=authority,
                                    kind="information_provided").body == "检测报告已上传"
    assert list(under_review.events.filter(type__startswith="information").values_list(
        "type", "user__email")) == [
        (ApplicationEvent.Type.INFORMATION_REQUESTED, authority_user.email),
        (ApplicationEvent.Type.INFORMATION_PROVIDED, coop_user.email)]

    # Answered once: a second answer is refused and changes nothing.
    again = gql_as(coop_user).data(ANSWER, {"id": payload["question"]["id"], "answer": "再补充"})
    assert again["licenceApplicationQuestionAnswer"]["errors"][0]["code"] == "INVALID_STATUS"
    assert under_review.questions.get().answer == "检测报告已上传"


def test_only_the_brands_authority_asks_and_only_the_applicants_members_answer(
        gql_as, under_review, coop, coop_user, other_coop_user, authority_user):
    app_id = gid("LicenceApplication", under_review.pk)
    other_authority = make_org("息县农业农村局", "xixian-bureau", "brand_authority")
    for outsider in (coop_user, other_coop_user, make_member(other_authority, "xi@example.com")):
        assert refused(gql_as(outsider).post(ASK, {"application": app_id, "question": "?"}))
    assert refused(gql_as(None).post(ASK, {"application": app_id, "question": "?"}))
    # An authority member who also belongs to the applicant cannot ask on its application.
    coop.memberships.create(user=authority_user)
    assert refused(gql_as(authority_user).post(ASK, {"application": app_id, "question": "?"}))
    coop.memberships.filter(user=authority_user).delete()
    assert not under_review.questions.exists()

    asked = services.ask_question(under_review, authority_user, question="基地面积是否属实？")
    question_id = gid("LicenceApplicationQuestion", asked.pk)
    for outsider in (other_coop_user, authority_user):
        assert refused(gql_as(outsider).post(ANSWER, {"id": question_id, "answer": "属实"}))
    assert refused(gql_as(None).post(ANSWER, {"id": question_id, "answer": "属实"}))
    # Bad input: an empty answer, an empty question.
    empty = gql_as(coop_user).data(ANSWER, {"id": question_id, "answer": "  "})
    assert empty["licenceApplicationQuestionAnswer"]["errors"] == [
        {"field": "answer", "code": "REQUIRED", "message": "This field is required."}]
    blank = gql_as(authority_user).data(ASK, {"application": app_id, "question": ""})
    assert blank["licenceApplicationQuestionAsk"]["errors"][0]["field"] == "question"
    asked.refresh_from_db()
    assert asked.is_open and under_review.questions.count() == 1


APPROVE = """mutation($id: ID!) {
  licenceApplicationApprove(id: $id, reason: "材料齐全") {
    application { status }
    notice { id }
    errors { field code message }
  }
}"""


def test_an_unanswered_question_holds_the_approval_until_the_applicant_answers(
        gql_as, under_review, coop_user, authority_user):
    app_id = gid("LicenceApplication", under_review.pk)
    asked = gql_as(authority_user).data(ASK, {"application": app_id,
                                              "question": "请补充柿子基地近三个月的检测报告"})
    question_id = asked["licenceApplicationQuestionAsk"]["question"]["id"]
    held = gql_as(authority_user).data(APPROVE, {"id": app_id})["licenceApplicationApprove"]
    assert held["application"] is None and held["notice"] is None
    [error] = held["errors"]
    assert error["field"] is None and error["code"] == "QUESTION_OPEN"
    assert "请补充柿子基地近三个月的检测报告" in error["message"]
    under_review.refresh_from_db()
    assert under_review.status == "under_review" and not under_review.notices.exists()
    assert not under_review.events.filter(type=ApplicationEvent.Type.APPROVED).exists()
    # Once answered, the same approval opens the public notice.
    answered = gql_as(coop_user).data(ANSWER, {"id": question_id, "answer": "检测报告已上传"})
    assert answered["licenceApplicationQuestionAnswer"]["errors"] == []
    approved = gql_as(authority_user).data(APPROVE, {"id": app_id})["licenceApplicationApprove"]
    assert approved["errors"] == []
    assert approved["application"]["status"] == "PUBLIC_NOTICE"


def test_the_hold_message_is_in_chinese_for_a_chinese_reviewer(
        gql_as, under_review, authority_user):
    services.ask_question(under_review, authority_user, question="请说明等级标准")
    result = gql_as(authority_user, language="zh-hans").data(
        APPROVE, {"id": gid("LicenceApplication", under_review.pk)})
    assert "申请人尚未答复" in result["licenceApplicationApprove"]["errors"][0]["message"]


def test_questions_are_asked_and_answered_only_while_the_application_is_reviewed(
        gql_as, brand, under_review, coop, coop_user, authority_user, persimmon):
    application = draft(brand, coop, coop_user, products=[persimmon])
    result = gql_as(authority_user).data(ASK, {
        "application": gid("LicenceApplication", application.pk), "question": "?"})
    # A draft is not the authority's to see yet: a wrong state.
    assert result["licenceApplicationQuestionAsk"]["errors"][0]["code"] == "INVALID_STATUS"
    asked = services.ask_question(under_review, authority_user, question="请说明等级标准")
    services.reject_application(under_review, authority_user, reason="不符合标准")
    late = gql_as(coop_user).data(ANSWER, {"id": gid("LicenceApplicationQuestion", asked.pk),
                                           "answer": "按一级标准"})
    assert late["licenceApplicationQuestionAnswer"]["errors"][0]["code"] == "INVALID_STATUS"


def test_a_question_is_seen_only_by_the_applicant_and_the_authority(
        gql_as, under_review, coop_user, other_coop_user, authority_user):
    asked = services.ask_question(under_review, authority_user, question="请补充营业执照副本")
    query = """query($id: ID!) { node(id: $id) { ... on LicenceApplicationQuestion {
        question } } }"""
    variables = {"id": gid("LicenceApplicationQuestion", asked.pk)}
    for viewer in (coop_user, authority_user):
        assert gql_as(viewer).data(query, variables)["node"] == {"question": "请补充营业执照副本"}
    assert gql_as(other_coop_user).post(query, variables)["data"]["node"] is None


def test_the_holder_asks_for_a_renewal_in_the_last_ninety_days(
        gql_as, licence, coop_user, other_coop_user, authority, authority_user):
    licence_id = gid("Licence", licence.pk)
    # Years before the end: too early, refused by the service.
    early = gql_as(coop_user).data(RENEWAL, {"licence": licence_id, "message": "续期"})
    assert early["licenceRenewalRequest"]["errors"][0]["code"] == "INVALID_STATUS"
    Licence.objects.filter(pk=licence.pk).update(
        valid_until=timezone.localdate() + timedelta(days=30))
    for outsider in (other_coop_user, authority_user):
        assert refused(gql_as(outsider).post(RENEWAL, {"licence": licence_id}))
    done = gql_as(coop_user).data(RENEWAL, {"licence": licence_id, "message": "继续使用品牌"})
    assert done["licenceRenewalRequest"]["errors"] == []
    asked = Notification.objects.get(organization=authority,
                                     kind=services.RENEWAL_REQUESTED)
    assert asked.body == "继续使用品牌" and asked.read_at is None
    assert licence.events.filter(type="renewal_requested", user=coop_user).exists()
    # Renewing (by the authority, here through the service the API calls) settles it.
    services.renew_licence(licence, authority_user, reason="同意续期")
    asked.refresh_from_db()
    assert asked.read_at is not None
    services.revoke_licence(licence, authority_user, reason="违规")
    revoked = gql_as(coop_user).data(RENEWAL, {"licence": licence_id})
    assert revoked["licenceRenewalRequest"]["errors"][0]["code"] == "INVALID_STATUS"
