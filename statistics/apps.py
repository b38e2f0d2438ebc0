from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statistics"
    verbose_name = _("County statistics")

    def ready(self):
        from shop.conf import install

        from . import conf, signals

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        signals.connect()
