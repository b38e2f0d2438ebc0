"""Promo codes on a checkout (Saleor's checkoutAddPromoCode / checkoutRemovePromoCode);
the rules are ``shop.services.vouchers``."""

from __future__ import annotations

import graphene

from shop import services
from shop.services import vouchers

from .checkout import CheckoutMutation, _checkout


class CheckoutAddPromoCode(CheckoutMutation):
    class Arguments:
        id = graphene.ID(description="The checkout's ID.")
        checkout_id = graphene.ID(description="The checkout's ID (Saleor's older name).")
        token = graphene.UUID()
        promo_code = graphene.String(required=True, description="Gift card code or voucher "
                                                                "code.")

    class Meta:
        description = "Adds a promo code (voucher) to the checkout."

    @classmethod
    def perform_mutation(cls, _root, info, promo_code, id=None, checkout_id=None, token=None):
        checkout = _checkout(info, id or checkout_id, token)
        subtotal = services.checkout_totals(checkout)["subtotal"]
        return cls(checkout=vouchers.add_promo_code(checkout, promo_code, subtotal))


class CheckoutRemovePromoCode(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        checkout_id = graphene.ID()
        token = graphene.UUID()
        promo_code = graphene.String(description="Gift card code or voucher code.")
        promo_code_id = graphene.ID(description="Gift card or voucher ID.")

    class Meta:
        description = "Remove a promo code from the checkout."

    @classmethod
    def perform_mutation(cls, _root, info, id=None, checkout_id=None, token=None,
                         promo_code=None, promo_code_id=None):
        checkout = _checkout(info, id or checkout_id, token)
        return cls(checkout=vouchers.remove_promo_code(checkout, promo_code))
