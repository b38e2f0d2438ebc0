from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supplychain"
    verbose_name = _("Supply chain")
