from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        from shop.conf import install

        from . import conf, signals  # noqa: F401  (signals: search indexing on changes)

        install(conf.defaults(), conf.BEAT_SCHEDULE)
