"""Brand notices follow each reader's language, whoever acts and in whatever language
their own request is: each member of the licensee is e-mailed in the language stored on
their account (Tibetan readers get the Chinese text where the Tibetan catalogue has none),
and the organisation's shared notice is kept in the shop's language, Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from brand import services
from shop.models import Notification
from tests.factories import gid, make_member

pytestmark = pytest.mark.django_db

SUSPEND = """mutation($id: ID!) { licenceSuspend(id: $id, reason: "抽检不合格") {
  licence { status } errors { field code } } }"""


@pytest.fixture
def readers(coop, coop_user):
    english = make_member(coop, "english@example.com")
    tibetan = make_member(coop, "tibetan@example.com")
    english.language_code, tibetan.language_code = "en", "bo"
    english.save(update_fields=["language_code"])
    tibetan.save(update_fields=["language_code"])
    return {"zh": coop_user.email, "en": english.email, "bo": tibetan.email}


def _subjects():
    return {message.to[0]: message.subject for message in mail.outbox}


def test_a_suspension_reaches_each_member_in_their_language(gql_as, licence, authority_user,
                                                            readers, coop):
    mail.outbox.clear()
    # The authority works in English; the licensee's members read their own language.
    done = gql_as(authority_user, language="en").data(SUSPEND, {"id": gid("Licence", licence.pk)})
    assert done["licenceSuspend"] == {"licence": {"status": "SUSPENDED"}, "errors": []}
    subjects = _subjects()
    assert subjects[readers["en"]] == f"Licence {licence.number} is suspended"
    assert subjects[readers["zh"]] == f"授权 {licence.number} 已暂停"
    assert subjects[readers["bo"]] == f"授权 {licence.number} 已暂停"
    assert all(message.body == "抽检不合格" for message in mail.outbox)  # as the authority wrote
    shared = Notification.objects.get(organization=coop, kind="licence_suspended")
    assert shared.subject == f"授权 {licence.number} 已暂停"


def test_an_expiry_reminder_reaches_each_member_in_their_language(licence, readers, coop):
    licence.valid_until = timezone.localdate() + timedelta(days=20)
    licence.save(update_fields=["valid_until"])
    mail.outbox.clear()
    assert services.send_expiry_reminders() == 1
    subjects = _subjects()
    date = licence.valid_until.isoformat()
    assert subjects[readers["en"]] == (f"Licence {licence.number} expires on {date} (in 20 "
                                       f"days); apply for renewal in time.")
    assert subjects[readers["zh"]] == (f"授权 {licence.number} 将于 {date} 到期（还有 20 天），"
                                       f"请及时申请续展。")
    # Sent once: running the reminders again tells nobody again.
    assert services.send_expiry_reminders() == 0 and len(mail.outbox) == 3
