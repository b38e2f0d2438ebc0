"""The shop's mutations, by concern: accounts, checkout, orders and payments."""

import graphene

from .account import (
    AccountRegister,
    CreateToken,
    DeactivateAllUserTokens,
    NotificationMarkRead,
    PasswordChange,
    RefreshToken,
    VerifyToken,
)
from .checkout import (
    CheckoutBillingAddressUpdate,
    CheckoutComplete,
    CheckoutCreate,
    CheckoutDeliveryMethodUpdate,
    CheckoutEmailUpdate,
    CheckoutLinesAdd,
    CheckoutLinesDelete,
    CheckoutLinesUpdate,
    CheckoutShippingAddressUpdate,
)
from .order import OrderCancel, OrderFulfill, OrderMarkAsDelivered, OrderRefund
from .payment import TransactionInitialize


class ShopMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
    account_register = AccountRegister.Field()
    password_change = PasswordChange.Field()
    transaction_initialize = TransactionInitialize.Field()
    order_fulfill = OrderFulfill.Field()
    order_cancel = OrderCancel.Field()
    order_refund = OrderRefund.Field()
    order_mark_as_delivered = OrderMarkAsDelivered.Field()
    token_create = CreateToken.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    tokens_deactivate_all = DeactivateAllUserTokens.Field()
    notification_mark_read = NotificationMarkRead.Field()
