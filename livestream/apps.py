from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivestreamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "livestream"
    verbose_name = _("Livestream")

    def ready(self):
        from shop.conf import install

        from . import conf

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        # Live prices inside a broadcast's window, taken only from its live allocation.
        install({"CHECKOUT_PRICE_HOOKS": ["livestream.services.live_price_hook"],
                 "CHECKOUT_COMPLETE_HOOKS": ["livestream.services.take_live_allocation"]})
