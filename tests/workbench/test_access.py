"""Who gets in: one sign-in for everyone (members land in their workbench, shoppers in the
shop), members switch between their organisations, others are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from shop.models import Organization, User
from tests.factories import PASSWORD, make_org

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_shared_sign_in():
    response = Client().get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=/work/")


def test_members_land_in_their_workbench_and_shoppers_in_the_shop(coop, coop_user):
    client = Client()
    response = client.post("/account/sign-in/", {"email": coop_user.email, "password": PASSWORD})
    assert response["Location"] == "/work/"
    page = client.get("/work/").content.decode()
    assert coop.name in page and "工作台" in page
    User.objects.create_user("shopper@example.com", PASSWORD)
    response = Client().post("/account/sign-in/", {"email": "shopper@example.com",
                                                    "password": PASSWORD})
    assert response["Location"] == "/"


def test_a_shopper_is_refused_the_workbench():
    shopper = User.objects.create_user("shopper@example.com", PASSWORD)
    response = signed_in(shopper).get("/work/")
    assert response.status_code == 403
    assert "工作台" in response.content.decode()


def test_a_member_of_two_organisations_switches_between_them(coop, coop_user):
    authority = make_org("渑池县品牌办", "mianchi-brand", Organization.Kind.BRAND_AUTHORITY)
    authority.memberships.create(user=coop_user)
    client = signed_in(coop_user)
    page = client.get("/work/").content.decode()
    assert 'name="organization"' in page and authority.name in page
    response = client.post("/work/switch/", {"organization": authority.pk, "next": "/work/"})
    assert response["Location"] == "/work/"
    assert client.session["workbench.organization"] == authority.pk


def test_nobody_switches_to_an_organisation_they_do_not_belong_to(coop, coop_user, other_coop):
    response = signed_in(coop_user).post("/work/switch/", {"organization": other_coop.pk})
    assert response.status_code == 404

