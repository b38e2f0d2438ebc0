"""The language switch of the shop and the trace page (中文 / བོད་ཡིག / English): plain links,
so it works on the script-free trace page and on cached pages (no CSRF token in the HTML).

Following a link sets the ``django_language`` cookie that ``ChineseFirstLocaleMiddleware``
reads (the page cache is keyed by that language), keeps the account's choice for its
notifications (a recall notice to a 泽库 buyer who chose Tibetan is in Tibetan), and
returns to the page the shopper was on. A shopper who chose a language before signing in
or registering keeps it on the account when they do."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


def _keep_for_account(user, code: str):
    if user.language_code != code:
        user.language_code = code
        user.save(update_fields=["language_code"])


@require_GET
def switch(request, code: str):
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code,
                        max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH,
                        domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    response["Cache-Control"] = "no-store"
    if request.user.is_authenticated:
        _keep_for_account(request.user, code)
    return response


# Connected when config/urls.py imports this module, before any request signs anyone in.
@receiver(user_logged_in, dispatch_uid="storefront.language.chosen_before_sign_in")
def chosen_before_sign_in(sender, request, user, **kwargs):
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if code in dict(settings.LANGUAGES) and hasattr(user, "language_code"):
        _keep_for_account(user, code)
