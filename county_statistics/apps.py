from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """The county's figures. The package is not called ``statistics`` so that it does not
    hide Python's standard-library module of that name; its label stays ``statistics``
    (tables, migrations, URL names)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "county_statistics"
    label = "statistics"
    verbose_name = _("County statistics")

    def ready(self):
        from shop.conf import install

        from . import conf, signals

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        signals.connect()
