from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    """The shopper's web storefront: server-rendered pages over the catalogue, checkout,
    orders, supply chain, brand and livestream apps (reads through the GraphQL schema in
    process, writes through the apps' services)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "storefront"
    verbose_name = _("Web storefront")
