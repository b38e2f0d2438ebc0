"""The licence's documents as an outsider (or a licensee who lost the licence) asks for
them by address: licence numbers run in sequence (MC-2026-0001, -0002…), so each address
can be guessed. The certificate is public while the licence is in force (the register
is); once it is suspended, revoked or lapsed nobody can print a fresh one to hang on the
wall (the authority and the operators still read it). The agreement is only for its two
parties, and a number that does not exist answers like one that is not yours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from brand import services
from brand.models import Licence
from tests.brand.conftest import authority, authority_user, brand, licence  # noqa: F401

pytestmark = pytest.mark.django_db


def _as(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _certificate(client, licence):  # noqa: F811
    return client.get(f"/brand/licences/{licence.number}/certificate.pdf")


def test_a_licence_no_longer_in_force_prints_no_fresh_certificate(
        licence, coop_user, authority_user, operator_user):  # noqa: F811
    assert _certificate(_as(), licence).content.startswith(b"%PDF")
    lapsed = Licence.objects.filter(pk=licence.pk)
    for change in ("suspend", "revoke", "lapse"):
        if change == "suspend":
            services.suspend_licence(licence, authority_user, reason="整改")
        elif change == "revoke":
            lapsed.update(status=Licence.Status.ACTIVE)
            services.revoke_licence(licence, authority_user, reason="以次充好")
        else:
            lapsed.update(status=Licence.Status.ACTIVE,
                          valid_from=timezone.localdate() - timedelta(days=400),
                          valid_until=timezone.localdate() - timedelta(days=1))
        for who, user in (("anyone", None), ("the licensee", coop_user)):
            response = _certificate(_as(user), licence)
            assert response.status_code == 404, (change, who)
            assert not response.content.startswith(b"%PDF"), (change, who)
        assert "certificate.pdf" not in _as().get(
            f"/brand/licences/{licence.number}").content.decode(), change
        for user in (authority_user, operator_user):
            assert _certificate(_as(user), licence).content.startswith(b"%PDF"), change


def test_the_agreement_is_for_its_two_parties_only(
        coop_user, other_coop_user, authority_user, licence):  # noqa: F811
    address = f"/brand/licences/{licence.number}/agreement.pdf"
    missing = f"/brand/licences/{licence.number[:-1]}9/agreement.pdf"
    for user in (None, other_coop_user):
        assert _as(user).get(address).status_code == 404
        assert _as(user).get(missing).status_code == 404
    for user in (coop_user, authority_user):
        assert _as(user).get(address).content.startswith(b"%PDF")
