"""Two administrators, each demoting the other at the same moment, in two real database
transactions: the organisation's memberships are locked for each change, so one of them
wins and the other, no longer an administrator when its turn comes, is refused; the
organisation keeps an administrator."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from shop.models import Membership
from shop.services import memberships
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_admins_demoting_each_other_leave_one_admin(coop):
    first = make_member(coop, "first@example.com")
    second = make_member(coop, "second@example.com")
    barrier = threading.Barrier(2)
    outcomes = {}

    def demote(actor, target):
        try:
            barrier.wait(timeout=10)
            memberships.change_role(Membership.objects.get(user=target), actor, "member")
            outcomes[actor.email] = "done"
        except (PermissionDenied, ValidationError) as error:
            outcomes[actor.email] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(first, second)),
               threading.Thread(target=demote, args=(second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["PermissionDenied", "done"], outcomes
    roles = dict(Membership.objects.filter(organization=coop)
                 .values_list("user__email", "role"))
    assert sorted(roles.values()) == ["admin", "member"], roles
