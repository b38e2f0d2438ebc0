"""One notification mechanism: ``shop.notifications.notify`` records a message for a user
or an organisation and e-mails it (to the user, to each active member, or to a guest's
address); the ``notifications`` query lists the caller's own and their organisations',
newest first, page by page; ``notificationMarkRead`` marks one read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.models import Notification, User
from shop.notifications import notify
from tests.factories import gid, make_member, make_org

pytestmark = pytest.mark.django_db

LIST = """query($first: Int, $after: String, $filter: NotificationFilterInput) {
  notifications(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind subject body reference isRead readAt organization { name } } } } }"""
MARK_READ = """mutation($id: ID!) { notificationMarkRead(id: $id) {
  notification { id isRead readAt } errors { field code } } }"""


def test_notify_records_and_emails_a_user_an_organisation_and_a_guest(coop, coop_user):
    make_member(coop, "second@example.com")
    left = make_member(coop, "left@example.com")
    User.objects.filter(pk=left.pk).update(is_active=False)

    to_user = notify(coop_user, "order_paid", "Paid", "Order 1 is paid.", reference="order:1")
    to_org = notify(coop, "licence_granted", "Granted", reference="licence:BM-1")
    to_guest = notify("guest@example.com", "recall", "Recall", "Lot recalled.")

    assert (to_user.user, to_user.organization, to_user.kind) == (coop_user, None, "order_paid")
    assert (to_org.user, to_org.organization) == (None, coop)
    assert to_guest is None  # a guest has no account to record it for
    assert Notification.objects.count() == 2
    # One e-mail per address; the organisation's active members each get their own.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("coop@example.com", "Granted"), ("coop@example.com", "Paid"),
        ("guest@example.com", "Recall"), ("second@example.com", "Granted")]


def test_an_explicit_address_and_the_backends_setting(coop_user, settings):
    notify(coop_user, "order_placed", "Placed", email="other-address@example.com")
    assert [m.to for m in mail.outbox] == [["other-address@example.com"]]
    settings.NOTIFICATION_BACKENDS = ["shop.notifications.DatabaseBackend"]
    notify(coop_user, "order_paid", "Paid")
    assert len(mail.outbox) == 1 and Notification.objects.count() == 2


def test_a_notification_has_exactly_one_recipient(coop, coop_user):
    for recipients in ({}, {"user": coop_user, "organization": coop}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(kind="x", subject="x", **recipients)


def test_the_caller_lists_their_own_and_their_organisations_newest_first(
        gql, gql_as, coop, coop_user, other_coop, other_coop_user):
    now = timezone.now()
    for i, (recipient, subject) in enumerate([
            (coop_user, "mine, oldest"), (coop, "my cooperative's"),
            (other_coop_user, "someone else's"), (other_coop, "another cooperative's"),
            (coop_user, "mine, newest")]):
        notification = notify(recipient, "note", subject)
        Notification.objects.filter(pk=notification.pk).update(
            created_at=now - timedelta(minutes=10 - i))

    client = gql_as(coop_user)
    first = client.data(LIST, {"first": 2})["notifications"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    rest = client.data(LIST, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    pages = first["edges"] + rest["notifications"]["edges"]
    assert [(e["node"]["subject"], (e["node"]["organization"] or {}).get("name"))
            for e in pages] == [("mine, newest", None), ("my cooperative's", coop.name),
                                ("mine, oldest", None)]
    assert not rest["notifications"]["pageInfo"]["hasNextPage"]

    only_org = client.data(LIST, {"first": 10, "filter": {"organization": gid(
        "Organization", coop.pk)}})["notifications"]["edges"]
    assert [e["node"]["subject"] for e in only_org] == ["my cooperative's"]
    refused = client.post(LIST, {"first": 10, "filter": {
        "organization": gid("Organization", other_coop.pk)}})
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    anonymous = gql.post(LIST, {"first": 10})
    assert anonymous["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_mark_read(gql, gql_as, coop, coop_user, other_coop_user):
    to_coop = notify(coop, "licence_warning", "Warning")
    theirs = notify(other_coop_user, "order_paid", "Paid")
    client = gql_as(coop_user)

    done = client.data(MARK_READ, {"id": gid("Notification", to_coop.pk)})["notificationMarkRead"]
    assert done["errors"] == [] and done["notification"]["isRead"]
    read_at = done["notification"]["readAt"]
    again = client.data(MARK_READ, {"id": gid("Notification", to_coop.pk)})
    assert again["notificationMarkRead"]["notification"]["readAt"] == read_at  # first reading

    unread = client.data(LIST, {"first": 10, "filter": {"unread": True}})["notifications"]
    assert unread["totalCount"] == 0

    # Someone else's notification is not found for this caller, and stays unread.
    other = client.data(MARK_READ, {"id": gid("Notification", theirs.pk)})["notificationMarkRead"]
    assert other == {"notification": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    anonymous = gql.post(MARK_READ, {"id": gid("Notification", to_coop.pk)})
    assert anonymous["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_list_query_count_does_not_grow(gql_as, coop_user):
    client = gql_as(coop_user)
    orgs = [make_org(f"合作社{i}", f"coop-{i}") for i in range(8)]
    for org in orgs:
        coop_user.memberships.create(organization=org)

    def count(first):
        with CaptureQueriesContext(connection) as ctx:
            data = client.data(LIST, {"first": first})
        return len(ctx.captured_queries), data

    for org in orgs[:2]:
        notify(org, "note", org.name)
    small, data = count(2)
    assert len(data["notifications"]["edges"]) == 2
    for org in orgs[2:]:
        notify(org, "note", org.name)
    large, data = count(8)
    assert len(data["notifications"]["edges"]) == 8
    assert large == small
