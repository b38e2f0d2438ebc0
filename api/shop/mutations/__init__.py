"""The shop's mutations, by concern: accounts, address book, account recovery, checkout,
promo codes, orders and payments."""

import graphene

from .account import (
    AccountRegister,
    ConfirmEmailChange,
    CreateToken,
    DeactivateAllUserTokens,
    NotificationMarkRead,
    PasswordChange,
    RefreshToken,
    RequestEmailChange,
    VerifyToken,
)
from .addresses import (
    AccountAddressCreate,
    AccountAddressDelete,
    AccountAddressUpdate,
    AccountSetDefaultAddress,
    AccountUpdate,
    AddressSetDefault,
)
from .checkout import (
    CheckoutBillingAddressUpdate,
    CheckoutComplete,
    CheckoutCreate,
    CheckoutDeliveryMethodUpdate,
    CheckoutEmailUpdate,
    CheckoutLanguageCodeUpdate,
    CheckoutLineDelete,
    CheckoutLinesAdd,
    CheckoutLinesDelete,
    CheckoutLinesUpdate,
    CheckoutShippingAddressUpdate,
    CheckoutShippingMethodUpdate,
)
from .checkout_customer import (
    CheckoutCustomerAttach,
    CheckoutCustomerDetach,
    DeliveryOptionsCalculate,
    UpdateMetadata,
)
from .order import (
    OrderCancel,
    OrderFulfill,
    OrderMarkAsDelivered,
    OrderReadyForPickup,
    OrderRefund,
)
from .payments_legacy import CheckoutPaymentCreate
from .phone_account import (
    AccountRegisterByPhone,
    AccountVerifyPhone,
    CreateTokenByPhone,
    RequestPhoneCode,
    RequestPhoneSignInCode,
)
from .recovery import (
    AccountDelete,
    AccountRequestDeletion,
    ConfirmAccount,
    RequestPasswordReset,
    SetPassword,
)
from .returns import (
    OrderReturnRequestApprove,
    OrderReturnRequestCancel,
    OrderReturnRequestCreate,
    OrderReturnRequestMarkAsReceived,
    OrderReturnRequestRefuse,
    OrderReturnRequestUpdateTracking,
)
from .transactions import PaymentGatewayInitialize, TransactionInitialize, TransactionProcess
from .vouchers import CheckoutAddPromoCode, CheckoutRemovePromoCode


class ShopMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_line_delete = CheckoutLineDelete.Field()
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_language_code_update = CheckoutLanguageCodeUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_shipping_method_update = CheckoutShippingMethodUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
    checkout_payment_create = CheckoutPaymentCreate.Field()
    account_register = AccountRegister.Field()
    password_change = PasswordChange.Field()
    transaction_initialize = TransactionInitialize.Field()
    transaction_process = TransactionProcess.Field()
    payment_gateway_initialize = PaymentGatewayInitialize.Field()
    checkout_add_promo_code = CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = CheckoutRemovePromoCode.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_customer_detach = CheckoutCustomerDetach.Field()
    delivery_options_calculate = DeliveryOptionsCalculate.Field()
    update_metadata = UpdateMetadata.Field()
    account_address_create = AccountAddressCreate.Field()
    account_address_update = AccountAddressUpdate.Field()
    account_address_delete = AccountAddressDelete.Field()
    account_set_default_address = AccountSetDefaultAddress.Field()
    address_set_default = AddressSetDefault.Field()
    account_update = AccountUpdate.Field()
    account_request_deletion = AccountRequestDeletion.Field()
    account_delete = AccountDelete.Field()
    request_password_reset = RequestPasswordReset.Field()
    set_password = SetPassword.Field()
    confirm_account = ConfirmAccount.Field()
    request_email_change = RequestEmailChange.Field()
    confirm_email_change = ConfirmEmailChange.Field()
    order_fulfill = OrderFulfill.Field()
    order_cancel = OrderCancel.Field()
    order_refund = OrderRefund.Field()
    order_mark_as_delivered = OrderMarkAsDelivered.Field()
    order_ready_for_pickup = OrderReadyForPickup.Field()
    order_return_request_create = OrderReturnRequestCreate.Field()
    order_return_request_approve = OrderReturnRequestApprove.Field()
    order_return_request_mark_as_received = OrderReturnRequestMarkAsReceived.Field()
    order_return_request_refuse = OrderReturnRequestRefuse.Field()
    order_return_request_update_tracking = OrderReturnRequestUpdateTracking.Field()
    order_return_request_cancel = OrderReturnRequestCancel.Field()
    token_create = CreateToken.Field()
    # Signing in, registering and verifying by mobile number (the county's extension).
    request_phone_sign_in_code = RequestPhoneSignInCode.Field()
    token_create_by_phone = CreateTokenByPhone.Field()
    request_phone_code = RequestPhoneCode.Field()
    account_register_by_phone = AccountRegisterByPhone.Field()
    account_verify_phone = AccountVerifyPhone.Field()
    token_refresh = RefreshToken.Field()
    token_verify = VerifyToken.Field()
    tokens_deactivate_all = DeactivateAllUserTokens.Field()
    notification_mark_read = NotificationMarkRead.Field()
