"""Orders: a seller ships its lines or has them ready at its pick-up point; buyers and
staff cancel; staff refund and record delivery."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import (
    AUTHENTICATED,
    current_user,
    is_order_staff,
    require,
    require_order_staff,
    require_organization,
    require_user,
)
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from shop import services
from shop.error_codes import OrderErrorCode as OrderErrorCodeEnum
from shop.models import Order as OrderModel
from shop.models import OrderLine as OrderLineModel
from shop.pickup import point_of
from shop.services import pickup as pickup_services

from .. import types

OrderErrorCode = graphene.Enum.from_enum(OrderErrorCodeEnum)
OrderError = error_type("OrderError", OrderErrorCode)


def get_order(id, error_enum, field="id") -> OrderModel:
    pk = pk_from_global_id(id, "Order", field)
    order = OrderModel.objects.select_related("channel").filter(pk=pk).first()
    if order is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": id},
            code=error_enum.NOT_FOUND.value)})
    return order


class OrderMutation(BaseMutation):
    error_type_class = OrderError
    error_code_enum = OrderErrorCodeEnum

    class Meta:
        abstract = True


class OrderFulfillLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class OrderFulfillInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillLineInput), required=True)
    carrier = graphene.String(required=True, description="邮政, 顺丰 ...")
    tracking_number = graphene.String(required=True)


class OrderFulfill(OrderMutation):
    order = graphene.Field(types.Order)
    fulfillments = graphene.List(graphene.NonNull(types.Fulfillment))

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderFulfillInput(required=True)

    class Meta:
        description = "A seller ships its own lines of a paid order."

    @classmethod
    def perform_mutation(cls, _root, info, order, input):
        order = get_order(order, OrderErrorCodeEnum, field="order")
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


class OrderReadyForPickup(OrderMutation):
    order = graphene.Field(types.Order)
    ready_at = graphene.DateTime(description="Since when the order waits for its buyer.")

    class Arguments:
        id = graphene.ID(required=True, description="The order collected at a pick-up point.")

    class Meta:
        description = ("The cooperative has the order ready at its pick-up point (自提): the "
                       "buyer is told where and when to collect it (and texted, with a mobile "
                       "number), once.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        # Who asks is checked before anything about the order is told: a stranger is
        # refused alike for a pick-up order, a delivered one and an ID of no order.
        user = require_user(info)
        order = OrderModel.objects.select_related("channel", "shipping_method").filter(
            pk=pk_from_global_id(id, "Order", "id")).first()
        point = point_of(order.shipping_method) if order is not None else None
        if not user.is_operator:
            if point is not None:
                sellers = {point.warehouse.organization_id}
            elif order is not None:
                sellers = set(order.lines.values_list("organization_id", flat=True))
            else:
                sellers = set()
            require(sellers & user.organization_ids(),
                    _("You can only manage your own organisation's records"))
        if order is None:
            raise ValidationError({"id": ValidationError(
                _("Couldn't resolve to a node: %(id)s") % {"id": id},
                code=OrderErrorCodeEnum.NOT_FOUND.value)})
        if point is None:
            raise ValidationError({"id": ValidationError(
                _("This order is not collected at a pick-up point."),
                code=OrderErrorCodeEnum.INVALID.value)})
        organization = point.warehouse.organization
        user = require_organization(info, organization.pk)
        notice = pickup_services.mark_ready_for_pickup(order, organization, user=user)
        order.refresh_from_db()
        return cls(order=order, ready_at=notice.ready_at)


class OrderCancel(OrderMutation):
    order = graphene.Field(types.Order)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        description = "Cancel an order nothing of which has shipped; releases its stock."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, reason=""):
        user = current_user(info)
        order = get_order(id, OrderErrorCodeEnum)
        staff = is_order_staff(user)
        require(staff or (order.user_id == user.pk and order.status == OrderModel.Status.UNPAID),
                _("Only staff can cancel this order"))
        return cls(order=services.cancel_order(order, user=user, reason=reason or ""))


class OrderRefund(OrderMutation):
    order = graphene.Field(types.Order)
    refund = graphene.Field(types.PaymentRefund)

    class Arguments:
        id = graphene.ID(required=True)
        amount = PositiveDecimal(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "Staff refund a paid order through Alipay (alipay.trade.refund)."

    @classmethod
    def perform_mutation(cls, _root, info, id, amount, reason):
        user = require_order_staff(info, _("Only staff can refund orders"))
        order = get_order(id, OrderErrorCodeEnum)
        refund = services.refund_order(order, amount, reason, user=user)
        order.refresh_from_db()
        return cls(order=order, refund=refund)


class OrderMarkAsDelivered(OrderMutation):
    order = graphene.Field(types.Order)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Staff record that a shipped order was delivered."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = require_order_staff(info, _("Only staff can mark orders delivered"))
        order = get_order(id, OrderErrorCodeEnum)
        return cls(order=services.mark_order_delivered(order, user=user))
