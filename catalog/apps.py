from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        from shop.conf import install

        from . import conf, signals  # noqa: F401  (signals: search indexing on changes)

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        # Every Image.open in the project refuses a decompression bomb above the budget.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
