"""After-sales requests (售后): a shopper's refund or return request on an order and the
seller's answer. Read by the order's buyer, the seller it is addressed to, and staff."""

from __future__ import annotations

import graphene

from api.core.dataloaders import DataLoader, by_key, then
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user, is_order_staff
from api.core.types import Money, money
from shop import returns
from shop.models import Order
from shop.services import returns as return_services

from .. import dataloaders as dl


class OrderReturnRequestTypeEnum(graphene.Enum):
    REFUND_ONLY = "refund_only"
    RETURN_AND_REFUND = "return_and_refund"


class OrderReturnRequestReasonEnum(graphene.Enum):
    NO_REASON = "no_reason"
    NOT_WANTED = "not_wanted"
    DAMAGED = "damaged"
    QUALITY = "quality"
    NOT_AS_DESCRIBED = "not_as_described"
    WRONG_OR_MISSING = "wrong_or_missing"


class OrderReturnRequestStatusEnum(graphene.Enum):
    REQUESTED = "requested"
    AWAITING_RETURN = "awaiting_return"
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ReturnRequestsByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        grouped = by_key(returns.ReturnRequest.objects.filter(order_id__in=keys)
                         .prefetch_related("lines__order_line", "photos"),
                         lambda row: row.order_id)
        return [grouped.get(key, []) for key in keys]


def _can_read(viewer, request) -> bool:
    if viewer is None:
        return False
    if is_order_staff(viewer) or request.organization_id in viewer.organization_ids():
        return True
    return request.order.user_id == viewer.pk


def order_return_requests(order, info):
    """``Order.returnRequests``: the buyer and staff see all; a seller its own."""
    viewer = current_user(info)
    if viewer is None:
        return []
    mine = is_order_staff(viewer) or order.user_id == viewer.pk
    orgs = viewer.organization_ids()
    return then(ReturnRequestsByOrderIdLoader(info.context).load(order.pk), lambda rows: [
        row for row in rows if mine or row.organization_id in orgs])


class OrderReturnRequestLine(graphene.ObjectType):
    order_line = graphene.Field("api.shop.types.orders.OrderLine", required=True)
    quantity = graphene.Int(required=True)


class OrderReturnRequest(ModelObjectType):
    created_at = graphene.DateTime(required=True)
    type = graphene.Field(OrderReturnRequestTypeEnum, required=True)
    reason = graphene.Field(OrderReturnRequestReasonEnum, required=True)
    note = graphene.String(required=True)
    status = graphene.Field(OrderReturnRequestStatusEnum, required=True)
    status_display = graphene.String(required=True)
    amount = graphene.Field(Money, required=True, description="What the buyer is refunded.")
    lines = graphene.List(graphene.NonNull(OrderReturnRequestLine), required=True)
    photo_urls = graphene.List(graphene.NonNull(graphene.String), required=True,
                               description="Signed addresses of the photos, short-lived.")
    refusal_reason = graphene.String()
    decided_at = graphene.DateTime()
    received_at = graphene.DateTime(description="When the returned goods reached the seller.")
    restocked = graphene.Boolean(description="Whether the returned goods went back on sale "
                                             "(null until they came back).")
    return_carrier = graphene.String(description="How the buyer sent the goods back.")
    return_tracking_number = graphene.String()
    seller = graphene.Field("api.shop.types.accounts.Organization", required=True)
    return_address = graphene.String(description="Where to send the goods back, once asked.")
    order = graphene.Field("api.shop.types.orders.Order")
    refund = graphene.Field("api.shop.types.orders.PaymentRefund")

    class Meta:
        model = returns.ReturnRequest
        description = "A shopper's after-sales request (售后): refund only or return and refund."

    resolve_type = staticmethod(lambda root, _info: str(root.type))
    resolve_reason = staticmethod(lambda root, _info: str(root.reason))
    resolve_status = staticmethod(lambda root, _info: str(root.status))
    resolve_status_display = staticmethod(lambda root, _info: root.get_status_display())
    resolve_amount = staticmethod(lambda root, _info: money(root.amount, root.currency))
    resolve_refusal_reason = staticmethod(lambda root, _info: root.refusal_reason or None)
    resolve_photo_urls = staticmethod(lambda root, _info: return_services.photo_urls(root))
    resolve_refund = staticmethod(lambda root, _info: root.refund)
    resolve_return_carrier = staticmethod(lambda root, _info: root.return_carrier or None)
    resolve_return_tracking_number = staticmethod(
        lambda root, _info: root.return_tracking_number or None)

    @staticmethod
    def resolve_lines(root, _info):
        return [OrderReturnRequestLine(order_line=line.order_line, quantity=line.quantity)
                for line in root.lines.all()]

    @staticmethod
    def resolve_seller(root, info):
        return dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @staticmethod
    def resolve_return_address(root, _info):
        if root.type != returns.ReturnRequest.Type.RETURN_AND_REFUND or \
                root.status == returns.ReturnRequest.Status.REQUESTED:
            return None
        return return_services.return_address(root.organization)

    @staticmethod
    def resolve_order(root, info):
        viewer = current_user(info)
        if viewer is None:
            return None
        order = Order.objects.filter(pk=root.order_id).first()
        return order if order is not None and (
            order.user_id == viewer.pk or is_order_staff(viewer)
            or root.organization_id in viewer.organization_ids()) else None

    @classmethod
    def get_queryset(cls, info):
        viewer = current_user(info)
        if viewer is None:
            return returns.ReturnRequest.objects.none()
        return returns.ReturnRequest.objects.select_related("order")

    @classmethod
    def can_view(cls, info, instance):
        return _can_read(current_user(info), instance)
