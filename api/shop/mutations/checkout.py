"""Checkout mutations: create a checkout, change its lines, addresses and delivery method,
complete it into an order."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id, resolve_global_id, to_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import current_user, is_order_staff
from api.core.types import error_type
from api.translations.languages import LanguageCodeEnum
from livestream import services as livestream_services
from livestream.models import Broadcast
from shop import services
from shop.error_codes import CheckoutErrorCode as CheckoutErrorCodeEnum
from shop.services import legacy_payments
from shop.services import pickup as pickup_services
from shop.services import transactions as checkout_payments

from .. import types
from ..types.payments import CheckoutAddressValidationRules
from .addresses import AddressTypeEnum
from .inputs import AddressInput, address_data

CheckoutErrorCode = graphene.Enum.from_enum(CheckoutErrorCodeEnum)
CheckoutError = error_type(
    "CheckoutError", CheckoutErrorCode,
    variants=graphene.List(graphene.NonNull(graphene.ID), description=(
        "The variants the error is about (sold out, short of stock), when it names them.")),
    address_type=AddressTypeEnum(description="The address the error is about."),
)


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
    language_code = LanguageCodeEnum(description="Checkout language code.")


def _broadcast(global_id):
    """The broadcast a checkout is started from (live prices, attribution)."""
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


def _visible(viewer, owner_id) -> bool:
    """A guest's checkout is anyone's with its token; a signed-in buyer's is that buyer's
    and the order staff's."""
    return not owner_id or bool(viewer and (viewer.pk == owner_id or is_order_staff(viewer)))


def _not_found(id):
    return ValidationError({"id": ValidationError(
        _("Couldn't resolve to a node: %(id)s") % {"id": id},
        code=CheckoutErrorCodeEnum.NOT_FOUND.value)})


def _checkout_token(id=None, token=None):
    """The token a mutation names its checkout by: its global ``id`` or its ``token``."""
    if id is not None:
        try:
            _type, token = resolve_global_id(id, "Checkout")
        except Exception as exc:  # noqa: BLE001 - a malformed ID is a field error
            raise ValidationError({"id": ValidationError(str(exc), code="graphql_error")}) from None
    return token


def _checkout(info, id=None, token=None):
    token = _checkout_token(id, token)
    checkout = services.get_checkout(token) if token else None
    if checkout is not None and not _visible(current_user(info), checkout.user_id):
        checkout = None
    if checkout is None:
        raise _not_found(id or token)
    return checkout


def _flat_errors(error: ValidationError) -> list[ValidationError]:
    """The single errors of ``error`` in the order the API lists them."""
    if hasattr(error, "error_dict"):
        return [err for errors in error.error_dict.values() for err in errors]
    return list(error.error_list)


class CheckoutErrorMutation(BaseMutation):
    error_type_class = CheckoutError
    error_code_enum = CheckoutErrorCodeEnum
    # Which address the mutation's field errors are about (Saleor's ``addressType``).
    address_type = None

    class Meta:
        abstract = True

    @classmethod
    def handle_errors(cls, error: ValidationError):
        """Saleor's extra fields of a checkout error: the variants a service names in the
        error's ``variants`` parameter, and the address an address mutation changes."""
        response = super().handle_errors(error)
        for item, err in zip(response.errors, _flat_errors(error), strict=False):
            variants = (err.params or {}).get("variants")
            if variants:
                item.variants = [to_global_id("ProductVariant", pk) for pk in variants]
            if cls.address_type and item.field not in (None, "id", "token"):
                item.address_type = cls.address_type
        return response


class CheckoutMutation(CheckoutErrorMutation):
    checkout = graphene.Field(types.Checkout)

    class Meta:
        abstract = True


class CheckoutCreate(CheckoutMutation):
    class Arguments:
        input = CheckoutCreateInput(required=True)

    class Meta:
        description = "Create a new checkout."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        """Without ``languageCode`` the checkout records the request's language."""
        if input.get("broadcast"):
            checkout = livestream_services.create_broadcast_checkout(
                _broadcast(input["broadcast"]), input.get("channel"), user=current_user(info),
                email=input.get("email") or "", lines=_lines(input.get("lines") or []),
                shipping_address=address_data(input.get("shipping_address")),
                billing_address=address_data(input.get("billing_address")))
        else:
            checkout = services.create_checkout(
                input.get("channel"), user=current_user(info), email=input.get("email") or "",
                lines=_lines(input.get("lines") or []),
                shipping_address=address_data(input.get("shipping_address")),
                billing_address=address_data(input.get("billing_address")),
            )
        if input.get("language_code") is not None:
            _set_language(checkout, input["language_code"])
        return cls(checkout=checkout)


def _set_language(checkout, language_code) -> None:
    """Saleor keeps the enum name the client sent (``BO_CN`` stays ``BO_CN``); the order
    and its notices use the language the shop speaks for it (``bo``)."""
    checkout.language_code = str(getattr(language_code, "value", language_code))
    checkout.save(update_fields=["language_code", "updated_at"])


class CheckoutLanguageCodeUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        language_code = LanguageCodeEnum(required=True, description="New language code.")

    class Meta:
        description = ("Update the language of a checkout: its order's e-mails, notices and "
                       "text messages are written in it for a buyer without an account.")

    @classmethod
    def perform_mutation(cls, _root, info, language_code, id=None, token=None):
        checkout = _checkout(info, id, token)
        _set_language(checkout, language_code)
        return cls(checkout=checkout)


class CheckoutLinesAdd(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
        broadcast = graphene.ID(description="Bought from this broadcast (livestream).")

    class Meta:
        description = "Adds checkout lines (quantities add up)."

    @classmethod
    def perform_mutation(cls, _root, info, lines, id=None, token=None, broadcast=None):
        checkout = _checkout(info, id, token)
        if broadcast:
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

    @classmethod
    def perform_mutation(cls, _root, info, lines_ids, id=None, token=None):
        checkout = _checkout(info, id, token)
        pks = [pk_from_global_id(line_id, "CheckoutLine", "line_id") for line_id in lines_ids]
        return cls(checkout=services.delete_checkout_lines(checkout, pks))


class CheckoutLineDelete(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        checkout_id = graphene.ID(description="The checkout's ID, as Saleor's older clients "
                                              "name it.")
        token = graphene.UUID()
        # Optional in Saleor's schema (the official storefront declares ``$lineId: ID``);
        # a request without it is a field error.
        line_id = graphene.ID()

    class Meta:
        description = ("Deletes one checkout line. Deprecated in Saleor in favour of "
                       "checkoutLinesDelete, which it shares its service with.")

    @classmethod
    def perform_mutation(cls, _root, info, line_id=None, id=None, checkout_id=None,
                         token=None):
        checkout = _checkout(info, id or checkout_id, token)
        if not line_id:
            raise ValidationError({"line_id": ValidationError(
                _("This field is required."), code=CheckoutErrorCodeEnum.REQUIRED.value)})
        pk = pk_from_global_id(line_id, "CheckoutLine", "line_id")
        return cls(checkout=services.delete_checkout_lines(checkout, [pk]))


class CheckoutEmailUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        email = graphene.String(required=True)

    class Meta:
        description = "Updates the e-mail of a checkout."

    @classmethod
    def perform_mutation(cls, _root, info, email, id=None, token=None):
        return cls(checkout=services.update_checkout_email(_checkout(info, id, token), email))


def _update_address(info, id, token, kind: str, address_input, save_address: bool):
    return services.update_checkout_address(
        _checkout(info, id, token), kind, address_data(address_input),
        remember_for=current_user(info) if save_address else None)


class CheckoutShippingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        shipping_address = AddressInput(required=True)
        save_address = graphene.Boolean(description="Also keep the address in the signed-in "
                                                    "buyer's address book.")
        validation_rules = CheckoutAddressValidationRules(
            description="Accepted for Saleor clients; the Chinese address rules always apply.")

    address_type = AddressTypeEnum.SHIPPING.value

    class Meta:
        description = "Update the delivery address of a checkout."

    @classmethod
    def perform_mutation(cls, _root, info, shipping_address, id=None, token=None,
                         save_address=False, validation_rules=None):
        return cls(checkout=_update_address(info, id, token, "shipping", shipping_address,
                                            save_address))


class CheckoutBillingAddressUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        billing_address = AddressInput(required=True)
        save_address = graphene.Boolean(description="Also keep the address in the signed-in "
                                                    "buyer's address book.")
        validation_rules = CheckoutAddressValidationRules(
            description="Accepted for Saleor clients; the Chinese address rules always apply.")

    address_type = AddressTypeEnum.BILLING.value

    class Meta:
        description = "Update the billing address of a checkout."

    @classmethod
    def perform_mutation(cls, _root, info, billing_address, id=None, token=None,
                         save_address=False, validation_rules=None):
        return cls(checkout=_update_address(info, id, token, "billing", billing_address,
                                            save_address))


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        token = graphene.UUID()
        delivery_method_id = graphene.ID(required=True)

    class Meta:
        description = ("Choose the delivery method of a checkout: a ShippingMethod ID, or a "
                       "Warehouse ID from availableCollectionPoints to collect the order at "
                       "its pick-up point.")

    @classmethod
    def perform_mutation(cls, _root, info, delivery_method_id, id=None, token=None):
        checkout = _checkout(info, id, token)
        if _id_type(delivery_method_id) == "Warehouse":
            pk = pk_from_global_id(delivery_method_id, "Warehouse", "delivery_method_id")
            return cls(checkout=pickup_services.choose_collection_point(checkout, pk))
        pk = pk_from_global_id(delivery_method_id, "ShippingMethod", "delivery_method_id")
        return cls(checkout=services.update_checkout_delivery_method(checkout, pk))


class CheckoutShippingMethodUpdate(CheckoutMutation):
    class Arguments:
        id = graphene.ID()
        checkout_id = graphene.ID(description="The checkout's ID, as Saleor's older clients "
                                              "name it.")
        token = graphene.UUID()
        shipping_method_id = graphene.ID(required=True)

    class Meta:
        description = ("Choose the shipping method of a checkout. Deprecated in Saleor in "
                       "favour of checkoutDeliveryMethodUpdate, whose service it shares.")

    @classmethod
    def perform_mutation(cls, _root, info, shipping_method_id, id=None, checkout_id=None,
                         token=None):
        checkout = _checkout(info, id or checkout_id, token)
        pk = pk_from_global_id(shipping_method_id, "ShippingMethod", "shipping_method_id")
        return cls(checkout=services.update_checkout_delivery_method(checkout, pk))


def _id_type(global_id: str) -> str:
    try:
        return resolve_global_id(global_id)[0]
    except Exception:  # noqa: BLE001 - a malformed ID is refused as a ShippingMethod's
        return ""


class CheckoutComplete(CheckoutErrorMutation):
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
        description = ("Completes the checkout: creates an order and reserves its stock. Paid "
                       "when the checkout's transactions were charged (transactionInitialize "
                       "on the checkout), else unpaid: pay it with transactionInitialize on "
                       "the order. A payment from checkoutPaymentCreate not paid yet places "
                       "no order: confirmationNeeded, and confirmationData holds its Alipay "
                       "cashier (url); once paid, completing again places the paid order. "
                       "Completing again returns the order.")

    @classmethod
    def before_transaction(cls, _root, info, data):
        # The sold-out gate answers before the mutation's transaction opens: once a flash
        # sale is over, a refusal costs one statement and one cache round trip.
        token = _checkout_token(data.get("id"), data.get("token"))
        if not token:
            raise _not_found(data.get("id"))
        viewer = current_user(info)
        gated = services.refuse_sold_out(token, lambda owner_id: _visible(viewer, owner_id))
        return {"token": token, "gated": gated}

    @classmethod
    def mutate(cls, root, info, **data):
        """A payment from checkoutPaymentCreate still at Alipay's cashier stops the
        completion, rolled back whole; then, outside that transaction, Alipay is asked
        whether it was paid (a late notice: the order is placed now) and the buyer is
        otherwise answered ``confirmationNeeded`` with a fresh cashier."""
        response = super().mutate(root, info, **data)
        if not getattr(response, "at_cashier", False):
            return response
        options = data.get("payment_data") if isinstance(data.get("payment_data"), dict) else {}
        try:
            pending = legacy_payments.confirmation(
                _checkout_token(data.get("id"), data.get("token")),
                device=str(options.get("device") or "PC"),
                return_url=data.get("redirect_url") or "")
        except ValidationError as error:
            return cls.handle_errors(error)
        if pending is None:  # paid after all: place the order now
            return super().mutate(root, info, **data)
        return cls(order=None, confirmation_needed=True, confirmation_data=pending, errors=[])

    @classmethod
    def handle_errors(cls, error: ValidationError):
        response = super().handle_errors(error)
        response.at_cashier = isinstance(error, checkout_payments.PaymentAtCashier)
        return response

    @classmethod
    def perform_mutation(cls, _root, info, token, gated):
        viewer = current_user(info)
        # A signed-in buyer's checkout (and the order it became: its address, its
        # e-mail) is found by that buyer and the order staff only. The mutation's own
        # transaction ends with the completion and is rolled back whole on a refusal.
        order = checkout_payments.complete_checkout(
            token, user=viewer, visible=lambda owner_id: _visible(viewer, owner_id),
            savepoint=False, gated=gated)
        return cls(order=order, confirmation_needed=False, confirmation_data=None)
