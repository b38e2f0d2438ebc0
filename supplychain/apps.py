from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supplychain"
    verbose_name = _("Supply chain")

    def ready(self):
        from shop.conf import install
        from shop.signals import goods_returned, lines_shipping_without_codes, order_delivered
        from shop.sms import register_phone_finder

        from . import conf, services
        from .services import invalidation
        from .sms import recall_phones

        install(conf.defaults(), conf.BEAT_SCHEDULE)
        invalidation.connect()  # the trace pages follow what they show (trace_cache)
        # A delivered order's shipped packages are sold (their codes turn retail_sold), in
        # the delivery's own transaction; shop sends the signal without importing us.
        order_delivered.connect(services.codes_sold_on_delivery,
                                dispatch_uid="supplychain.codes_sold_on_delivery")
        # A traced product's units ship only with their codes (每物一码).
        lines_shipping_without_codes.connect(
            services.refuse_traced_without_codes,
            dispatch_uid="supplychain.refuse_traced_without_codes")
        # Packages a buyer sent back leave their order, back in stock or returned.
        goods_returned.connect(services.codes_returned,
                               dispatch_uid="supplychain.codes_returned")
        # Recall notices are texted to the mobile numbers on the buyer's affected orders.
        register_phone_finder("recall", recall_phones)
