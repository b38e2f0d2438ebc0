"""The flow to the buyer: recording which packages (trace codes) went out on an order's
lines, alone or together with the fulfilment."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.permissions import AUTHENTICATED, require_organization
from api.shop.types import Fulfillment, Order, OrderLine
from shop.models import Order as OrderModel
from shop.models import OrderLine as OrderLineModel
from shop.models import Organization
from supplychain import services
from supplychain.error_codes import SupplyChainErrorCode as CodeEnum

from .. import types
from .base import SupplyChainMutation, get_instance, owned


CODES_HELP = "Trace codes of the packages, as scanned (case and spaces do not matter)."


class OrderLineShipCodes(SupplyChainMutation):
    order_line = graphene.Field(OrderLine)
    shipped_codes = graphene.List(graphene.NonNull(types.ShippedCode),
                                  description="All codes recorded for the line so far.")

    class Arguments:
        order_line = graphene.ID(required=True)
        codes = graphene.List(graphene.NonNull(graphene.String), required=True,
                              description=CODES_HELP)

    class Meta:
        description = ("Record which packages went out on a shipped order line: at most one "
                       "code per shipped item; the codes turn in transit (sold once the order "
                       "is delivered). Only the line's seller, or an operator.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, order_line, codes):
        line, user = owned(info, OrderLineModel, order_line, "OrderLine", "order_line")
        shipped = services.ship_codes(line, codes, user=user)
        line.refresh_from_db()
        return cls(order_line=line, shipped_codes=shipped)


class OrderFulfillWithCodesLineInput(graphene.InputObjectType):
    order_line_id = graphene.ID(required=True)
    quantity = graphene.Int(description="Items shipped now; defaults to the number of codes.")
    codes = graphene.List(graphene.NonNull(graphene.String), description=CODES_HELP)


class OrderFulfillWithCodesInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(OrderFulfillWithCodesLineInput), required=True)
    carrier = graphene.String(required=True, description="邮政, 顺丰 ...")
    tracking_number = graphene.String(required=True)


class OrderFulfillWithCodes(SupplyChainMutation):
    order = graphene.Field(Order)
    fulfillment = graphene.Field(Fulfillment)
    shipped_codes = graphene.List(graphene.NonNull(types.ShippedCode))

    class Arguments:
        order = graphene.ID(required=True)
        input = OrderFulfillWithCodesInput(required=True)

    class Meta:
        description = ("A seller ships its own lines of a paid order and records the packages' "
                       "trace codes, in one step: a wrong code, or more codes than items "
                       "shipped, ships nothing.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, order, input):
        order_obj = get_instance(OrderModel, order, "Order", "order")
        lines = [{"order_line_id": pk_from_global_id(line["order_line_id"], "OrderLine",
                                                     "order_line_id"),
                  "quantity": line.get("quantity"), "codes": line.get("codes") or []}
                 for line in input["lines"]]
        if not lines:
            raise ValidationError({"lines": ValidationError(
                _("Choose at least one line to ship."), code=CodeEnum.REQUIRED.value)})
        sellers = dict(OrderLineModel.objects.filter(
            order=order_obj, pk__in=[line["order_line_id"] for line in lines]).values_list(
            "pk", "organization_id"))
        if len(sellers) != len({line["order_line_id"] for line in lines}):
            raise ValidationError({"order_line_id": ValidationError(
                _("Couldn't find a line with this ID in the order."),
                code=CodeEnum.NOT_FOUND.value)})
        for organization_id in sorted(set(sellers.values())):
            user = require_organization(info, organization_id)
        seller = Organization.objects.get(pk=sellers[lines[0]["order_line_id"]])
        fulfillment, shipped = services.fulfill_with_codes(
            order_obj, seller, lines, carrier=input["carrier"],
            tracking_number=input["tracking_number"], user=user)
        order_obj.refresh_from_db()
        return cls(order=order_obj, fulfillment=fulfillment, shipped_codes=shipped)
