"""Request middleware of the shop: the client's real address behind a trusted proxy, the
language of pages (Chinese first) and the Content-Security-Policy every answer carries."""

import ipaddress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted_networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


class ClientAddressMiddleware:
    """Behind a reverse proxy (nginx in the production stack) every request arrives from
    the proxy's address, so throttles keyed on ``REMOTE_ADDR`` would lump all shoppers
    together. When the direct peer is one of ``TRUSTED_PROXIES`` (addresses or networks),
    ``REMOTE_ADDR`` becomes the right-most address of ``X-Forwarded-For`` that is not a
    trusted proxy itself: the first hop no trusted party vouches for. A client cannot
    choose its address by sending the header directly: from an untrusted peer the header
    is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = _trusted_networks()
        if networks:
            peer = _address(request.META.get("REMOTE_ADDR", ""))
            if peer is not None and any(peer in net for net in networks):
                forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                for hop in reversed(forwarded):
                    address = _address(hop)
                    if address is None:
                        break
                    if not any(address in net for net in networks):
                        request.META["REMOTE_ADDR"] = str(address)
                        break
        return self.get_response(request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Simplified Chinese unless the visitor chose another language (the
    ``django_language`` cookie set by ``/i18n/setlang/``). A browser's Accept-Language
    header is not enough to leave Chinese on pages; API clients state their language with
    that header, so ``/graphql/`` honours it."""

    api_prefixes = ("/graphql/",)

    def process_request(self, request):
        if request.path.startswith(self.api_prefixes):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            supported = {code for code, _name in settings.LANGUAGES}
            language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# What every page allows whatever it holds: no framing by another site (as X-Frame-Options
# says to older browsers), no plugins, and no <base> sending relative links elsewhere. The
# scripts' own sources are not limited here: pages still use inline handlers (onclick,
# onsubmit) and bundled libraries that evaluate code.
CONTENT_SECURITY_POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"


class ContentSecurityPolicyMiddleware:
    """Sets ``CONTENT_SECURITY_POLICY`` on answers that have no policy of their own (a
    private file keeps its stricter one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
