from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "brand"
    verbose_name = _("Regional brand")

    def ready(self):
        from shop.conf import install

        from . import conf

        install(beat_schedule=conf.BEAT_SCHEDULE)
