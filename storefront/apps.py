from django.apps import AppConfig
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """The shopper's web storefront: server-rendered pages over the catalogue, checkout,
    orders, supply chain, brand and livestream apps (reads through the GraphQL schema in
    process, writes through the apps' services)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "storefront"
    verbose_name = _("Web storefront")

    def ready(self):
        from . import versions

        versions.connect()  # the cached pages follow the catalogue (storefront.cache)
        # Django knows no Tibetan (泽库's shoppers read it): its name for the language
        # switcher and ``{% get_language_info %}``. A message without a Tibetan
        # translation falls back to the Chinese one (Django's fallback to LANGUAGE_CODE).
        LANG_INFO.setdefault("bo", {"bidi": False, "code": "bo", "name": "Tibetan",
                                    "name_local": "བོད་ཡིག"})
