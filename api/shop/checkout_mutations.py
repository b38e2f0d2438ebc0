"""Accounts, checkout, orders and payments in Saleor's names and shapes. Each mutation
validates input, checks permission, calls one service and shapes the result."""

from __future__ import annotations

import graphene
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id, resolve_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import current_user, require_organization, require_user
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from shop import services
from shop.error_codes import AccountErrorCode as AccountErrorCodeEnum
from shop.error_codes import CheckoutErrorCode as CheckoutErrorCodeEnum
from shop.error_codes import OrderErrorCode as OrderErrorCodeEnum
from shop.error_codes import PaymentErrorCode as PaymentErrorCodeEnum
from shop.models import Order as OrderModel
from shop.models import OrderLine as OrderLineModel

from . import types
from .types import is_order_staff

CheckoutErrorCode = graphene.Enum.from_enum(CheckoutErrorCodeEnum)
CheckoutError = error_type("CheckoutError", CheckoutErrorCode)
OrderErrorCode = graphene.Enum.from_enum(OrderErrorCodeEnum)
OrderError = error_type("OrderError", OrderErrorCode)
PaymentErrorCode = graphene.Enum.from_enum(PaymentErrorCodeEnum)
PaymentError = error_type("PaymentError", PaymentErrorCode)
AccountRegisterError = error_type("AccountRegisterError",
                                  graphene.Enum.from_enum(AccountErrorCodeEnum,
                                                          name="AccountRegisterErrorCode"))
PasswordChangeError = error_type("PasswordChangeError",
                                 graphene.Enum.from_enum(AccountErrorCodeEnum,
                                                         name="PasswordChangeErrorCode"))


# Inputs ------------------------------------------------------------------------------

class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(description="Recipient's name.")
    last_name = graphene.String()
    company_name = graphene.String()
    street_address1 = graphene.String()
    street_address2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String(description="District or county (区/县).")
    postal_code = graphene.String()
    country = graphene.String(description="Country code; only CN is served.")
    country_area = graphene.String(description="Province (省/自治区/直辖市).")
    phone = graphene.String(description="Mainland mobile number.")


def address_data(value) -> dict | None:
    if value is None:
        return None
    data = dict(value)
    for api_name, field in (("street_address1", "street_address_1"),
                            ("street_address2", "street_address_2")):
        if api_name in data:
            data[field] = data.pop(api_name)
    return data


class CheckoutLineInput(graphene.InputObjectType):
    quantity = graphene.Int(required=True)
    variant_id = graphene.ID(required=True)


class CheckoutLineUpdateInput(graphene.InputObjectType):
    quantity = graphene.Int()
    variant_id = graphene.ID()
    line_id = graphene.ID()


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String()
    email = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
    shipping_address = AddressInput()
    billing_address = AddressInput()
    broadcast = graphene.ID(description="Bought from this broadcast: live prices inside its "
                                        "window, attributed to it (livestream).")


def _broadcast(global_id):
    """The broadcast a checkout is started from (livestream issue)."""
    from livestream.models import Broadcast

    pk = pk_from_global_id(global_id, "Broadcast", "broadcast")
    broadcast = Broadcast.objects.select_related("channel").filter(pk=pk).first()
    if broadcast is None:
        raise ValidationError({"broadcast": ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=CheckoutErrorCodeEnum.NOT_FOUND.value)})
    return broadcast


def _lines(lines) -> list[dict]:
    return [{"variant_id": pk_from_global_id(line["variant_id"], "ProductVariant", "variant_id"),
             "quantity": line["quantity"]} for line in lines]


def _checkout(info, id=None, token=None):
    if id is not None:
        try:
            _type, token = resolve_global_id(id, "Checkout")
        except Exception as exc:  # noqa: BLE001 - a malformed ID is a field error
            raise ValidationError({"id": ValidationError(str(exc), code="graphql_error")}) from None
    checkout = services.get_checkout(token) if token else None
    viewer = current_user(info)
    if checkout is not None and checkout.user_id and not (
            viewer and (viewer.pk == checkout.user_id or is_order_staff(viewer))):
        checkout = None
    if checkout is None:
        raise ValidationError({"id": ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": id or token},
            code=CheckoutErrorCodeEnum.NOT_FOUND.value)})
    return checkout


class CheckoutMutation(BaseMutation):
    checkout = graphene.Field(types.Checkout)

    class Meta:
        abstract = True


# Checkout ----------------------------------------------------------------------------

class CheckoutCreate(CheckoutMutation):
    class Arguments:
        input = CheckoutCreateInput(required=True)

    class Meta:
        description = "Create a new checkout."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, input):
        if input.get("broadcast"):
            from livestream import services as livestream_services

            return cls(checkout=livestream_services.create_broadcast_checkout(
                _broadcast(input["broadcast"]), input.get("channel"), user=current_user(info),
                email=input.get("email") or "", lines=_lines(input.get("lines") or []),
                shipping_address=address_data(input.get("shipping_address")),
                billing_address=address_data(input.get("billing_address"))))
        checkout = services.create_checkout(
            input.get("channel"), user=current_user(info), email=input.get("email") or "",
            lines=_lines(input.get("lines") or []),
            shipping_address=address_data(input.get("shipping_address")),
            billing_address=address_data(input.get("billing_address")),
        )
        return cls(checkout=checkout)


class CheckoutLinesAdd(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
        broadcast = graphene.ID(description="Bought from this broadcast (livestream).")

    class Meta:
        description = "Adds checkout lines (quantities add up)."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, lines, id=None, token=None, broadcast=None):
        checkout = _checkout(info, id, token)
        if broadcast:
            from livestream import services as livestream_services

            return cls(checkout=livestream_services.add_broadcast_checkout_lines(
                checkout, _broadcast(broadcast), _lines(lines)))
        return cls(checkout=services.add_checkout_lines(checkout, _lines(lines)))


class CheckoutLinesUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    class Meta:
        description = "Sets quantities of checkout lines; 0 removes a line."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, lines, id=None, token=None):
        checkout = _checkout(info, id, token)
        items = []
        by_line = dict(checkout.lines.values_list("pk", "variant_id"))
        for line in lines:
            if line.get("quantity") is None:
                raise ValidationError({"quantity": ValidationError(
                    _("This field is required."), code=CheckoutErrorCodeEnum.REQUIRED.value)})
            if line.get("line_id"):
                pk = pk_from_global_id(line["line_id"], "CheckoutLine", "line_id")
                if pk not in by_line:
                    raise ValidationError({"line_id": ValidationError(
                        _("Couldn't find a line with this ID in the checkout."),
                        code=CheckoutErrorCodeEnum.NOT_FOUND.value)})
                variant_id = by_line[pk]
            elif line.get("variant_id"):
                variant_id = pk_from_global_id(line["variant_id"], "ProductVariant", "variant_id")
            else:
                raise ValidationError({"variant_id": ValidationError(
                    _("This field is required."), code=CheckoutErrorCodeEnum.REQUIRED.value)})
            items.append({"variant_id": variant_id, "quantity": line["quantity"]})
        return cls(checkout=services.update_checkout_lines(checkout, items))


class CheckoutLinesDelete(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        lines_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    class Meta:
        description = "Deletes checkout lines."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, lines_ids, id=None, token=None):
        checkout = _checkout(info, id, token)
        pks = [pk_from_global_id(line_id, "CheckoutLine", "line_id") for line_id in lines_ids]
        return cls(checkout=services.delete_checkout_lines(checkout, pks))


class CheckoutEmailUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        email = graphene.String(required=True)

    class Meta:
        description = "Updates the e-mail of a checkout."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, email, id=None, token=None):
        return cls(checkout=services.update_checkout_email(_checkout(info, id, token), email))


class CheckoutShippingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        shipping_address = AddressInput(required=True)

    class Meta:
        description = "Update the delivery address of a checkout."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, shipping_address, id=None, token=None):
        checkout = _checkout(info, id, token)
        return cls(checkout=services.update_checkout_address(
            checkout, "shipping", address_data(shipping_address)))


class CheckoutBillingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        billing_address = AddressInput(required=True)

    class Meta:
        description = "Update the billing address of a checkout."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, billing_address, id=None, token=None):
        checkout = _checkout(info, id, token)
        return cls(checkout=services.update_checkout_address(
            checkout, "billing", address_data(billing_address)))


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        delivery_method_id = graphene.ID(required=True)

    class Meta:
        description = "Choose the shipping method of a checkout."
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, delivery_method_id, id=None, token=None):
        checkout = _checkout(info, id, token)
        pk = pk_from_global_id(delivery_method_id, "ShippingMethod", "delivery_method_id")
        return cls(checkout=services.update_checkout_delivery_method(checkout, pk))


class CheckoutComplete(BaseMutation):
    order = graphene.Field(types.Order)
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = graphene.JSONString()

    @staticmethod
    def resolve_confirmation_needed(root, _info):
        return bool(root.confirmation_needed)

    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        payment_data = graphene.JSONString()
        redirect_url = graphene.String()

    class Meta:
        description = ("Completes the checkout: creates an unpaid order and reserves its stock. "
                       "Pay it with transactionInitialize. Completing again returns the order.")
        error_type_class = CheckoutError
        error_code_enum = CheckoutErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id=None, token=None, **_kwargs):
        if id is not None:
            try:
                _type, token = resolve_global_id(id, "Checkout")
            except Exception as exc:  # noqa: BLE001
                raise ValidationError({"id": ValidationError(str(exc), code="graphql_error")}) \
                    from None
        checkout = services.get_checkout(token) if token else None
        if checkout is not None:
            _checkout(info, token=token)  # the signed-in owner only
        order = services.complete_checkout(token, user=current_user(info))
        return cls(order=order, confirmation_needed=False, confirmation_data=None)


# Accounts ----------------------------------------------------------------------------

class AccountRegisterInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    password = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    language_code = graphene.String()
    channel = graphene.String()
    redirect_url = graphene.String()


class AccountRegister(BaseMutation):
    user = graphene.Field(types.User)
    requires_confirmation = graphene.Boolean()

    class Arguments:
        input = AccountRegisterInput(required=True)

    class Meta:
        description = "Register a new user."
        error_type_class = AccountRegisterError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, _info, input):
        user = services.register_account(
            input["email"], input["password"], first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            language_code=input.get("language_code") or "zh-hans")
        return cls(user=user, requires_confirmation=False)


class PasswordChange(BaseMutation):
    user = graphene.Field(types.User)

    class Arguments:
        old_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    class Meta:
        description = "Change the password of the signed-in user; older tokens stop working."
        error_type_class = PasswordChangeError
        error_code_enum = AccountErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, old_password, new_password):
        user = require_user(info)
        return cls(user=services.change_password(user, old_password, new_password))


# Payments ----------------------------------------------------------------------------

class PaymentGatewayToInitialize(graphene.InputObjectType):
    id = graphene.String(required=True, description='The gateway: "alipay".')
    data = graphene.JSONString(description='{"device": "PC" | "WAP", "returnUrl": ...}')


def _order(info, id, error_enum, field="id") -> OrderModel:
    try:
        pk = pk_from_global_id(id, "Order", field)
    except ValidationError:
        raise
    order = OrderModel.objects.select_related("channel").filter(pk=pk).first()
    if order is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": id},
            code=error_enum.NOT_FOUND.value)})
    return order


class TransactionInitialize(BaseMutation):
    transaction = graphene.Field(types.TransactionItem)
    data = graphene.JSONString(description='{"url": signed Alipay cashier URL}')

    class Arguments:
        id = graphene.ID(required=True, description="The order to pay.")
        payment_gateway = PaymentGatewayToInitialize(required=True)

    class Meta:
        description = "Start paying an order with a payment gateway (Alipay)."
        error_type_class = PaymentError
        error_code_enum = PaymentErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, payment_gateway):
        order = _order(info, id, PaymentErrorCodeEnum)
        viewer = current_user(info)
        if order.user_id and not (viewer and (viewer.pk == order.user_id
                                              or is_order_staff(viewer))):
            raise PermissionDenied(_("You can only pay your own orders"))
        data = payment_gateway.get("data") or {}
        return_url = str(data.get("returnUrl") or "")
        if return_url and not return_url.startswith(settings.PUBLIC_URL + "/"):
            return_url = ""
        payment, url = services.start_payment(
            order, payment_gateway["id"], device=str(data.get("device") or "PC"),
            return_url=return_url, user=viewer)
        return cls(transaction=payment, data={"url": url, "outTradeNo": payment.out_trade_no})


# Orders ------------------------------------------------------------------------------

class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillLineInput), required=True)
    carrier = graphene.String(required=True, description="邮政, 顺丰 ...")
    tracking_number = graphene.String(required=True)


class OrderFulfill(BaseMutation):
    order = graphene.Field(types.Order)
    fulfillments = graphene.List(graphene.NonNull(types.Fulfillment))

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderFulfillInput(required=True)

    class Meta:
        description = "A seller ships its own lines of a paid order."
        error_type_class = OrderError
        error_code_enum = OrderErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, order, input):
        order = _order(info, order, OrderErrorCodeEnum, field="order")
        lines = [{"order_line_id": pk_from_global_id(line["order_line_id"], "OrderLine",
                                                     "order_line_id"),
                  "quantity": line["quantity"]} for line in input["lines"]]
        require_user(info)
        first = OrderLineModel.objects.filter(
            order=order, pk__in=[line["order_line_id"] for line in lines]).first()
        if first is None:
            raise ValidationError({"order_line_id": ValidationError(
                _("Couldn't find a line with this ID in the order."),
                code=OrderErrorCodeEnum.NOT_FOUND.value)})
        user = require_organization(info, first.organization_id)
        fulfillment = services.fulfill_order_lines(
            order, first.organization, lines, carrier=input["carrier"],
            tracking_number=input["tracking_number"], user=user)
        order.refresh_from_db()
        return cls(order=order, fulfillments=[fulfillment])


class OrderCancel(BaseMutation):
    order = graphene.Field(types.Order)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        description = "Cancel an order nothing of which has shipped; releases its stock."
        error_type_class = OrderError
        error_code_enum = OrderErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        user = require_user(info)
        order = _order(info, id, OrderErrorCodeEnum)
        staff = is_order_staff(user)
        if not staff and not (order.user_id == user.pk and order.status == OrderModel.Status.UNPAID):
            raise PermissionDenied(_("Only staff can cancel this order"))
        return cls(order=services.cancel_order(order, user=user, reason=reason or ""))


class OrderRefund(BaseMutation):
    order = graphene.Field(types.Order)
    refund = graphene.Field(types.PaymentRefund)

    class Arguments:
        id = graphene.ID(required=True)
        amount = PositiveDecimal(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "Staff refund a paid order through Alipay (alipay.trade.refund)."
        error_type_class = OrderError
        error_code_enum = OrderErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id, amount, reason):
        user = require_user(info)
        if not is_order_staff(user):
            raise PermissionDenied(_("Only staff can refund orders"))
        order = _order(info, id, OrderErrorCodeEnum)
        refund = services.refund_order(order, amount, reason, user=user)
        order.refresh_from_db()
        return cls(order=order, refund=refund)


class OrderMarkAsDelivered(BaseMutation):
    order = graphene.Field(types.Order)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Staff record that a shipped order was delivered."
        error_type_class = OrderError
        error_code_enum = OrderErrorCodeEnum

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = require_user(info)
        if not is_order_staff(user):
            raise PermissionDenied(_("Only staff can mark orders delivered"))
        order = _order(info, id, OrderErrorCodeEnum)
        return cls(order=services.mark_order_delivered(order, user=user))


class CheckoutMutations(graphene.ObjectType):
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
