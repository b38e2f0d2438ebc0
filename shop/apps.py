from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"
    verbose_name = _("Shop")

    def ready(self):
        from django.conf import settings
        from django.contrib import admin
        from django.core import checks as system_checks
        from django.db.models.signals import pre_delete

        from catalog.models import ProductVariant

        from . import checks, conf
        from .services import transactions  # noqa: F401 - registers its notice claimer
        from .services.checkout import forget_cards_of_deleted_variant

        conf.install(conf.defaults(), conf.BEAT_SCHEDULE)
        system_checks.register(checks.alipay_configured, deploy=True)
        # A variant deleted leaves the checkouts holding it: the sold-out gate forgets them.
        pre_delete.connect(forget_cards_of_deleted_variant, sender=ProductVariant,
                           dispatch_uid="shop-checkout-cards-of-deleted-variant")
        admin.site.site_header = settings.ADMIN_SITE_HEADER
        admin.site.site_title = settings.ADMIN_SITE_HEADER
