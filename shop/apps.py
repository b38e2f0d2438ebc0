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

        from . import checks, conf
        from .services import transactions  # noqa: F401 - registers its notice claimer

        conf.install(conf.defaults(), conf.BEAT_SCHEDULE)
        system_checks.register(checks.alipay_configured, deploy=True)
        admin.site.site_header = settings.ADMIN_SITE_HEADER
        admin.site.site_title = settings.ADMIN_SITE_HEADER
