"""The brand authority withdraws a question it asked by mistake, through the real /graphql/
view: the reason is kept, the approval no longer waits on it, the applicant is told once
(each member in their own language), and everyone else, an answered question and a closed
application are refused."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from brand import services
from brand.models import ApplicationEvent
from shop.models import Notification, OutboxMessage
from tests.clients import refused
from tests.factories import gid, make_member, make_org

pytestmark = pytest.mark.django_db

WITHDRAW = """mutation($id: ID!, $reason: String!) {
  licenceApplicationQuestionWithdraw(id: $id, reason: $reason) {
    application { status questions { isOpen withdrawnAt withdrawnBy withdrawalReason } }
    question { id isOpen withdrawalReason }
    errors { field code message }
  }
}"""

APPROVE = """mutation($id: ID!) { licenceApplicationApprove(id: $id, reason: "材料齐全") {
  application { status } errors { field code message } } }"""

ANSWER = """mutation($id: ID!) { licenceApplicationQuestionAnswer(id: $id, answer: "基地在仰韶村") {
  question { isOpen } errors { field code message } } }"""


def test_a_withdrawn_question_no_longer_holds_the_approval_and_the_applicant_is_told_once(
        gql_as, under_review, coop, coop_user, authority_user,
        django_capture_on_commit_callbacks):
    english = make_member(coop, "english@example.com")
    english.language_code = "en"
    english.save(update_fields=["language_code"])
    app_id = gid("LicenceApplication", under_review.pk)
    asked = services.ask_question(under_review, authority_user, question="请提供苹果的检测报告")
    held = gql_as(authority_user).data(APPROVE, {"id": app_id})["licenceApplicationApprove"]
    assert held["errors"][0]["code"] == "QUESTION_OPEN"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        payload = gql_as(authority_user).data(WITHDRAW, {
            "id": gid("LicenceApplicationQuestion", asked.pk),
            "reason": "问错了：申请的是柿饼，不是苹果"})["licenceApplicationQuestionWithdraw"]
    assert payload["errors"] == []
    assert payload["question"]["isOpen"] is False
    assert payload["question"]["withdrawalReason"] == "问错了：申请的是柿饼，不是苹果"
    [shown] = payload["application"]["questions"]
    assert shown["withdrawnBy"] == authority_user.email and shown["withdrawnAt"]
    assert list(under_review.events.filter(
        type=ApplicationEvent.Type.INFORMATION_WITHDRAWN).values_list("message", "user")) == [
        ("问错了：申请的是柿饼，不是苹果", authority_user.pk)]

    # Told once: the shared notice in the shop's language, each member's e-mail in theirs.
    told = Notification.objects.get(organization=coop, kind="information_request_withdrawn")
    assert told.subject.startswith("品牌主管单位已撤回") and "仰韶彩陶坊" in told.subject
    assert "问错了：申请的是柿饼，不是苹果" in told.body and "请提供苹果的检测报告" in told.body
    assert told.reference == f"application:{under_review.pk}"
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[english.email].startswith("The brand authority withdrew its question")
    assert subjects[coop_user.email].startswith("品牌主管单位已撤回")
    assert OutboxMessage.objects.filter(task="brand.tasks.notify_question").count() == 2
    # A retry of the task (or the sweeper) tells nobody again.
    assert services.notify_question(asked.pk, "withdrawn") is False
    assert Notification.objects.filter(kind="information_request_withdrawn").count() == 1

    # The applicant can no longer answer it, and the approval goes ahead.
    late = gql_as(coop_user, language="zh-hans").data(
        ANSWER, {"id": gid("LicenceApplicationQuestion", asked.pk)})
    [error] = late["licenceApplicationQuestionAnswer"]["errors"]
    assert error["code"] == "INVALID_STATUS" and "撤回" in error["message"]
    approved = gql_as(authority_user).data(APPROVE, {"id": app_id})["licenceApplicationApprove"]
    assert approved == {"application": {"status": "PUBLIC_NOTICE"}, "errors": []}


def test_only_the_brands_authority_withdraws_an_open_question_with_a_reason(
        gql_as, under_review, coop, coop_user, other_coop_user, authority_user):
    asked = services.ask_question(under_review, authority_user, question="基地面积是否属实？")
    question_id = gid("LicenceApplicationQuestion", asked.pk)
    other_authority = make_org("息县农业农村局", "xixian-bureau", "brand_authority")
    for outsider in (coop_user, other_coop_user, make_member(other_authority, "xi@example.com")):
        assert refused(gql_as(outsider).post(WITHDRAW, {"id": question_id, "reason": "x"}))
    assert refused(gql_as(None).post(WITHDRAW, {"id": question_id, "reason": "x"}))
    # An authority member who also belongs to the applicant cannot act on its application.
    coop.memberships.create(user=authority_user)
    assert refused(gql_as(authority_user).post(WITHDRAW, {"id": question_id, "reason": "x"}))
    coop.memberships.filter(user=authority_user).delete()
    # A reason is required.
    blank = gql_as(authority_user).data(WITHDRAW, {"id": question_id, "reason": "  "})
    assert blank["licenceApplicationQuestionWithdraw"]["errors"] == [
        {"field": "reason", "code": "REQUIRED", "message": "This field is required."}]
    asked.refresh_from_db()
    assert asked.is_open and asked.withdrawn_at is None
    assert not OutboxMessage.objects.filter(kwargs__step="withdrawn").exists()

    # Once withdrawn, a second withdrawal is refused; an answered question cannot be withdrawn.
    first = gql_as(authority_user).data(WITHDRAW, {"id": question_id, "reason": "重复提问"})
    assert first["licenceApplicationQuestionWithdraw"]["errors"] == []
    again = gql_as(authority_user).data(WITHDRAW, {"id": question_id, "reason": "再撤一次"})
    assert again["licenceApplicationQuestionWithdraw"]["errors"][0]["code"] == "INVALID_STATUS"
    asked.refresh_from_db()
    assert asked.withdrawal_reason == "重复提问"
    answered = services.ask_question(under_review, authority_user, question="基地在哪个村？")
    services.answer_question(answered, coop_user, answer="仰韶村")
    late = gql_as(authority_user).data(WITHDRAW, {
        "id": gid("LicenceApplicationQuestion", answered.pk), "reason": "不需要了"})
    [error] = late["licenceApplicationQuestionWithdraw"]["errors"]
    assert error["code"] == "INVALID_STATUS"
    answered.refresh_from_db()
    assert answered.withdrawn_at is None and answered.answer == "仰韶村"


def test_no_withdrawal_once_the_application_is_decided(gql_as, under_review, coop_user,
                                                        authority_user):
    asked = services.ask_question(under_review, authority_user, question="等级标准是什么？")
    services.reject_application(under_review, authority_user, reason="不在品牌范围")
    result = gql_as(authority_user).data(WITHDRAW, {
        "id": gid("LicenceApplicationQuestion", asked.pk), "reason": "问错了"})
    assert result["licenceApplicationQuestionWithdraw"]["errors"][0]["code"] == "INVALID_STATUS"
    asked.refresh_from_db()
    assert asked.withdrawn_at is None


def test_the_admin_shows_the_withdrawal_read_only(under_review, authority_user, operator_user):
    asked = services.ask_question(under_review, authority_user, question="等级标准是什么？")
    services.withdraw_question(asked, authority_user, reason="问错了申请")
    operator_user.is_staff = operator_user.is_superuser = True
    operator_user.save()
    client = Client()
    client.force_login(operator_user)
    page = client.get(f"/admin/brand/licenceapplication/{under_review.pk}/change/")
    assert page.status_code == 200
    assert "问错了申请" in page.content.decode()
    # Shown, not an editable input.
    assert not re.search(rb'name="[^"]*withdrawal_reason"', page.content)
