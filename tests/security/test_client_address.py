"""Behind the production proxy, throttles see each shopper's own address: the proxy's
X-Forwarded-For is believed only when the request comes from a trusted proxy."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from shop.middleware import ClientAddressMiddleware


def seen_address(**meta):
    request = RequestFactory().get("/", **meta)
    seen = {}

    def view(req):
        seen["address"] = req.META["REMOTE_ADDR"]
        return HttpResponse()

    ClientAddressMiddleware(view)(request)
    return seen["address"]


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]


def test_a_trusted_proxy_names_the_client(behind_proxy):
    assert seen_address(REMOTE_ADDR="172.18.0.5",
                        HTTP_X_FORWARDED_FOR="203.0.113.7") == "203.0.113.7"


def test_the_client_cannot_choose_its_address_through_the_proxy(behind_proxy):
    # The client sent its own X-Forwarded-For; nginx appended the real peer.
    assert seen_address(REMOTE_ADDR="172.18.0.5",
                        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9") == "198.51.100.9"


def test_a_direct_client_cannot_forge_the_header(behind_proxy):
    assert seen_address(REMOTE_ADDR="198.51.100.9",
                        HTTP_X_FORWARDED_FOR="1.2.3.4") == "198.51.100.9"


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert seen_address(REMOTE_ADDR="172.18.0.5",
                        HTTP_X_FORWARDED_FOR="203.0.113.7") == "172.18.0.5"


def test_a_malformed_header_leaves_the_peer(behind_proxy):
    assert seen_address(REMOTE_ADDR="172.18.0.5",
                        HTTP_X_FORWARDED_FOR="not-an-address") == "172.18.0.5"
