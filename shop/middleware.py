"""Chinese first: pages are in Simplified Chinese unless the visitor chose another
language (the ``django_language`` cookie set by ``/i18n/setlang/``). A browser's
Accept-Language header is not enough to leave Chinese on pages; API clients state their
language with that header, so ``/graphql/`` honours it."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
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
