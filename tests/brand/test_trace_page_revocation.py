"""A revoked brand licence shows on the trace page at the very next scan, although the
page's data is cached."""

import pytest
from django.core.cache import cache
from django.test import Client

from brand import services

pytestmark = pytest.mark.django_db


def test_a_revocation_shows_on_the_very_next_scan(licence, trace, authority_user,
                                                  zh_catalogue):
    cache.clear()
    page = Client().get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.1").content.decode()
    assert licence.number in page and 'class="danger"' not in page
    # Cached now: a second shopper's page is the same.
    again = Client().get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.2").content.decode()
    assert licence.number in again and 'class="danger"' not in again
    services.revoke_licence(licence, authority_user, reason="冒用品牌标识")
    page = Client().get(f"/t/{trace.code}", REMOTE_ADDR="198.51.100.3").content.decode()
    assert 'class="danger"' in page and "已撤销" in page
