"""Withdrawing a question asked by mistake from the authority's review page (Django's test
client, signed in as each role): the button under an open question, the reason kept and
shown on both sides of the thread, the approve button enabled again, and the refusals (no
reason, an answered question, a cooperative, another county's authority)."""

from __future__ import annotations

import pytest
from django.test import Client

from brand import services as brand_services
from shop.models import Notification, Organization
from tests.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_the_authority_withdraws_a_question_and_the_approval_is_open_again(
        under_review, coop, coop_client, authority_user, authority_client,
        django_capture_on_commit_callbacks):
    review = f"/work/brand/review/{under_review.pk}/"
    asked = brand_services.ask_question(under_review, authority_user, question="苹果的检测报告？")
    page = html(authority_client.get(review))
    assert "问错了？撤回此问题" in page
    assert '<button disabled aria-describedby="approve-held">' in page
    # Without a reason nothing is withdrawn; the form stays open with the error.
    field = f"withdraw-{asked.pk}-reason"
    response = authority_client.post(review, {"action": "withdraw", "question": asked.pk,
                                              field: " "})
    assert response.status_code == 400
    assert f'id="id_{field}"' in html(response) and "<details class=\"reply\" open>" in html(
        response)
    asked.refresh_from_db()
    assert asked.is_open

    with django_capture_on_commit_callbacks(execute=True):
        response = authority_client.post(review, {"action": "withdraw", "question": asked.pk,
                                                  field: "问错了，申请的是柿饼"}, follow=True)
    assert response.status_code == 200
    page = html(response)
    assert "问题已撤回，已通知申请人。" in page
    assert "问题已撤回，无需答复：问错了，申请的是柿饼" in page
    assert "问错了？撤回此问题" not in page
    assert '<button disabled aria-describedby="approve-held">' not in page
    assert Notification.objects.filter(organization=coop,
                                       kind="information_request_withdrawn").count() == 1
    # The applicant's page shows the withdrawal and no answer form for it.
    mine = html(coop_client.get(f"/work/brand/applications/{under_review.pk}/"))
    assert "问题已撤回，无需答复：问错了，申请的是柿饼" in mine
    assert f'id="id_answer-{asked.pk}-answer"' not in mine
    # Withdrawn once: a second post does not find an open question to withdraw.
    assert authority_client.post(review, {"action": "withdraw", "question": asked.pk,
                                          field: "再撤"}).status_code == 404
    asked.refresh_from_db()
    assert asked.withdrawal_reason == "问错了，申请的是柿饼"


def test_refusals_of_withdrawing(under_review, coop_user, coop_client, authority_user,
                                 authority_client):
    review = f"/work/brand/review/{under_review.pk}/"
    asked = brand_services.ask_question(under_review, authority_user, question="基地在哪个村？")
    post = {"action": "withdraw", "question": asked.pk, f"withdraw-{asked.pk}-reason": "问错了"}
    # A cooperative has no review pages; another county's authority does not find it.
    assert coop_client.post(review, post).status_code == 403
    other = Client()
    other.force_login(make_member(make_org("息县农业农村局", "xixian-bureau",
                                           Organization.Kind.BRAND_AUTHORITY), "xi@example.com"))
    assert other.post(review, post).status_code == 404
    asked.refresh_from_db()
    assert asked.is_open
    # An answered question has no withdraw button and a forged post finds nothing.
    brand_services.answer_question(asked, coop_user, answer="仰韶村")
    assert "问错了？撤回此问题" not in html(authority_client.get(review))
    assert authority_client.post(review, post).status_code == 404
    asked.refresh_from_db()
    assert asked.withdrawn_at is None
