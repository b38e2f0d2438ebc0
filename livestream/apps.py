from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivestreamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "livestream"
    verbose_name = _("Livestream")

    def ready(self):
        from shop import hooks, signals
        from shop.conf import install

        from . import conf
        from .services import live_price, take_live_allocation
        from .services.live_stock import (
            live_units_back_on_cancel,
            live_units_back_on_lines_cancelled,
        )

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        # Live prices inside a broadcast's window, taken only from its live allocation.
        hooks.register_price_hook(live_price)
        hooks.register_complete_hook(take_live_allocation)
        # Live units taken off their order before shipping while the broadcast runs (the
        # order cancelled, or some units refunded) free units for the live buyers.
        signals.order_cancelled.connect(live_units_back_on_cancel,
                                        dispatch_uid="livestream-units-back-on-cancel")
        signals.order_lines_cancelled.connect(live_units_back_on_lines_cancelled,
                                              dispatch_uid="livestream-lines-back-on-cancel")
