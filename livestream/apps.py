from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivestreamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "livestream"
    verbose_name = _("Livestream")

    def ready(self):
        from shop import hooks
        from shop.conf import install

        from . import conf
        from .services import live_price, take_live_allocation

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        # Live prices inside a broadcast's window, taken only from its live allocation.
        hooks.register_price_hook(live_price)
        hooks.register_complete_hook(take_live_allocation)
