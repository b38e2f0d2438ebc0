"""After-sales (售后): the buyer asks for a refund or a return; the seller approves, marks
the returned goods received, or refuses. Rules in ``shop.services.returns``; Saleor's
staff-side ``orderFulfillmentReturnProducts`` has no shopper side, so the names follow it
and its ``orderGrantRefund*`` mutations (``lines`` of ``orderLineId`` and ``quantity``)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_file_upload.scalars import Upload

from api.core.ids import pk_from_global_id
from api.core.permissions import AUTHENTICATED, current_user, refuse, require_organization
from shop.error_codes import OrderErrorCode as E
from shop.returns import ReturnRequest
from shop.services import returns as return_services

from .. import types
from .order import OrderMutation, get_order


def _request(id) -> ReturnRequest:
    pk = pk_from_global_id(id, "OrderReturnRequest", "id")
    request = ReturnRequest.objects.select_related("organization", "order").filter(pk=pk).first()
    if request is None:
        raise ValidationError({"id": ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": id}, code=E.NOT_FOUND.value)})
    return request


class OrderReturnRequestLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True, description="ID of the order line.")
    quantity = graphene.Int(required=True, description="Units of the line.")


class OrderReturnRequestCreateInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderReturnRequestLineInput), required=True,
                          description="Lines of one seller, with the units asked about.")
    type = types.OrderReturnRequestTypeEnum(required=True)
    reason = types.OrderReturnRequestReasonEnum(required=True)
    note = graphene.String(description="What happened, in the buyer's words.")
    photos = graphene.List(graphene.NonNull(Upload),
                           description="Photos of the problem (JPEG, PNG or WEBP), multipart.")


def _require_buyer(user, order, token) -> None:
    """The order's signed-in buyer, or for a guest's order whoever holds its token."""
    if order.user_id is None:
        if token is None or token != order.checkout_token:
            refuse(_("Only the buyer can ask for a refund of this order"))
    elif user is None or user.pk != order.user_id:
        refuse(_("Only the buyer can ask for a refund of this order"))


class OrderReturnRequestCreate(OrderMutation):
    order = graphene.Field(types.Order)
    return_request = graphene.Field(types.OrderReturnRequest)

    class Arguments:
        order = graphene.ID(required=True, description="ID of the order.")
        token = graphene.UUID(description="A guest's proof that the order is theirs: the "
                                          "token of the checkout it was placed from.")
        input = OrderReturnRequestCreateInput(required=True)

    class Meta:
        description = ("The buyer asks a seller for a refund (仅退款) or a return and refund "
                       "(退货退款) of units of their order.")

    @classmethod
    def perform_mutation(cls, _root, info, order, input, token=None):
        user = current_user(info)
        order = get_order(order, E, field="order")
        _require_buyer(user, order, token)
        lines = [{"order_line_id": pk_from_global_id(line["order_line_id"], "OrderLine",
                                                     "order_line_id"),
                  "quantity": line["quantity"]} for line in input["lines"]]
        photos = [photo for photo in input.get("photos") or [] if hasattr(photo, "read")]
        request = return_services.request_return(
            order, user=user, lines=lines, type=_value(input["type"]),
            reason=_value(input["reason"]), note=input.get("note") or "", photos=photos)
        order.refresh_from_db()
        return cls(order=order, return_request=request)


def _value(enum_member) -> str:
    return getattr(enum_member, "value", enum_member)


class _SellerDecision(OrderMutation):
    return_request = graphene.Field(types.OrderReturnRequest)
    order = graphene.Field(types.Order)

    class Meta:
        abstract = True

    @classmethod
    def decide(cls, info, id, service, **kwargs):
        request = _request(id)
        user = require_organization(info, request.organization_id)
        request = service(request, request.organization, user=user, **kwargs)
        return cls(return_request=request, order=request.order)


class OrderReturnRequestApprove(_SellerDecision):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the after-sales request.")
        address = graphene.String(
            description="A return: the address the buyer sends the goods back to, kept as "
                        "the seller's address (omitted: the seller's address on file).")

    class Meta:
        description = ("The seller approves: a refund only is refunded at once (through "
                       "Alipay), and units not shipped yet leave the order, their stock "
                       "released; a return waits for the goods. Again after a failed refund: "
                       "tried again, refunding at most once.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, address=None):
        return cls.decide(info, id, return_services.approve_return_request, address=address)


class OrderReturnRequestMarkAsReceived(_SellerDecision):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the after-sales request.")
        restock = graphene.Boolean(
            default_value=True, description="The goods can be sold again: back in stock "
            "(false: damaged, opened or spoiled, not for sale).")
        trace_codes = graphene.List(
            graphene.NonNull(graphene.String),
            description="The trace codes of the packages that came back, when only some "
                        "of a line's packages did.")

    class Meta:
        description = ("The returned goods reached the seller: back in stock or not "
                       "sellable, their trace codes say they came back, and the buyer is "
                       "refunded.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, restock=True, trace_codes=None):
        return cls.decide(info, id, return_services.mark_return_received,
                          restock=restock, codes=trace_codes)


class OrderReturnRequestRefuse(_SellerDecision):
    class Arguments:
        id = graphene.ID(required=True, description="ID of the after-sales request.")
        reason = graphene.String(required=True, description="Why, for the buyer to read.")

    class Meta:
        description = "The seller refuses the request, with a reason the buyer reads."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        return cls.decide(info, id, return_services.refuse_return_request, reason=reason)


class OrderReturnRequestUpdateTrackingInput(graphene.InputObjectType):
    carrier = graphene.String(required=True, description="邮政, 顺丰 ...")
    tracking_number = graphene.String(required=True)


class OrderReturnRequestUpdateTracking(OrderMutation):
    return_request = graphene.Field(types.OrderReturnRequest)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the after-sales request.")
        token = graphene.UUID(description="A guest's proof that the order is theirs.")
        input = OrderReturnRequestUpdateTrackingInput(required=True)

    class Meta:
        description = ("The buyer says how the goods went back (退货物流), as Saleor's "
                       "fulfillmentUpdateTracking does for a shipment.")

    @classmethod
    def perform_mutation(cls, _root, info, id, input, token=None):
        request = _request(id)
        user = current_user(info)
        _require_buyer(user, request.order, token)
        request = return_services.send_return_back(
            request, user=user, carrier=input["carrier"],
            tracking_number=input["tracking_number"])
        return cls(return_request=request)


class OrderReturnRequestCancel(OrderMutation):
    return_request = graphene.Field(types.OrderReturnRequest)
    order = graphene.Field(types.Order)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the after-sales request.")
        token = graphene.UUID(description="A guest's proof that the order is theirs.")

    class Meta:
        description = ("The buyer withdraws (撤销) a request the seller has not answered, or "
                       "a return before the goods were sent back; the units may be asked "
                       "about again.")

    @classmethod
    def perform_mutation(cls, _root, info, id, token=None):
        request = _request(id)
        user = current_user(info)
        _require_buyer(user, request.order, token)
        request = return_services.withdraw_return_request(request, user=user)
        return cls(return_request=request, order=request.order)
