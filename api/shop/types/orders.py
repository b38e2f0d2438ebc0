"""Orders: lines, events, fulfilments, payments and refunds."""

from decimal import Decimal

import graphene
from django.db.models import Sum

from api.core.connection import CountableConnection
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.ids import to_global_id
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user, is_order_staff
from api.core.types import Image, Money, TaxedMoney, ThumbnailFormatEnum, money, taxed_money
from api.translations.languages import LanguageCodeEnum
from shop import languages, models
from shop.pickup import PICKUP_CARRIER
from shop.transactions import CheckoutTransaction

from .. import dataloaders as dl
from ..resolvers import viewable_orders
from . import order_status, payments, returns
from .accounts import Channel, Organization
from .checkout import Address, DeliveryMethod, delivery_method, variant_node

# Orders ------------------------------------------------------------------------------

class PavilionOrderStatus(graphene.Enum):
    """The pavilion's own order status: payment and delivery in one (Saleor's ``status``
    is fulfilment only, its payment is ``paymentStatus``/``chargeStatus``)."""

    UNPAID = "unpaid"
    PAID = "paid"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class OrderChargeStatus(graphene.Enum):
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"
    OVERCHARGED = "overcharged"


class OrderEventsEnum(graphene.Enum):
    PLACED = "placed"
    PAYMENT_STARTED = "payment_started"
    PAID = "paid"
    PAYMENT_AFTER_CANCEL = "payment_after_cancel"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"
    NOTIFICATION_SENT = "notification_sent"
    NOTE = "note"


def product_thumbnail(line, info, size, format):
    """The thumbnail of a line's product, as the product's own ``thumbnail`` field gives it
    (looked up in the schema: the catalogue's types import this module)."""
    product = ChannelContext(line.variant.product, getattr(line, "channel_slug", "default"))
    product_type = info.schema.get_type("Product").graphene_type
    return product_type.resolve_thumbnail(product, info, size=size or 256, format=format)


class OrderLine(ModelObjectType):
    product_name = graphene.String(required=True)
    variant_name = graphene.String(required=True)
    product_sku = graphene.String()
    quantity = graphene.Int(required=True)
    quantity_fulfilled = graphene.Int(required=True)
    quantity_to_fulfill = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney, required=True)
    undiscounted_unit_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    variant = graphene.Field("api.catalog.types.ProductVariant")
    seller = graphene.Field(Organization, required=True,
                            description="The organisation that sells and ships this line.")
    sale_source = graphene.String(description="Where the sale came from, e.g. broadcast.")
    sale_source_ref = graphene.String()
    thumbnail = graphene.Field(Image, size=graphene.Int(), format=ThumbnailFormatEnum(),
                               description="The product's first image, as a thumbnail.")

    class Meta:
        model = models.OrderLine

    resolve_quantity_to_fulfill = staticmethod(lambda root, _info: root.quantity_unfulfilled)
    resolve_product_sku = staticmethod(lambda root, _info: root.product_sku or None)
    resolve_sale_source = staticmethod(lambda root, _info: root.source or None)
    resolve_sale_source_ref = staticmethod(lambda root, _info: root.source_ref or None)
    resolve_unit_price = staticmethod(
        lambda root, _info: taxed_money(root.unit_price_amount, root.currency))
    resolve_undiscounted_unit_price = staticmethod(
        lambda root, _info: taxed_money(root.undiscounted_unit_price_amount, root.currency))
    resolve_total_price = staticmethod(
        lambda root, _info: taxed_money(root.total_price_amount, root.currency))

    @staticmethod
    def resolve_variant(root, info):
        if root.variant_id is None:
            return None
        return variant_node(root.variant_id, getattr(root, "channel_slug", "default"), info)

    @staticmethod
    def resolve_thumbnail(root, info, size=256, format=None):
        if root.variant_id is None:
            return None
        return product_thumbnail(root, info, size, format)

    @staticmethod
    def resolve_seller(root, info):
        return dl.OrganizationByIdLoader(info.context).load(root.organization_id)


class OrderEvent(ModelObjectType):
    date = graphene.DateTime(required=True)
    type = graphene.Field(OrderEventsEnum, required=True)
    user = graphene.Field("api.shop.types.User")
    message = graphene.String()
    amount = graphene.Float()
    carrier = graphene.String()
    tracking_number = graphene.String()

    class Meta:
        model = models.OrderEvent

    resolve_type = staticmethod(lambda root, _info: str(root.type))
    resolve_message = staticmethod(lambda root, _info: root.message or None)
    resolve_carrier = staticmethod(lambda root, _info: root.parameters.get("carrier"))
    resolve_tracking_number = staticmethod(
        lambda root, _info: root.parameters.get("tracking_number"))

    @staticmethod
    def resolve_amount(root, _info):
        amount = root.parameters.get("amount")
        return float(amount) if amount is not None else None

    @staticmethod
    def resolve_user(root, info):
        """Who acted: to the buyer and staff always; to a seller only when it was the
        seller itself or a fellow member of its organisations (never the buyer)."""
        viewer = current_user(info)
        if root.user_id is None or viewer is None:
            return None
        if viewer.pk != root.user_id and not is_order_staff(viewer):
            buyer = models.Order.objects.filter(pk=root.order_id, user_id=viewer.pk).exists()
            colleague = models.Membership.objects.filter(
                user_id=root.user_id, organization_id__in=viewer.organization_ids()).exists()
            if not buyer and not colleague:
                return None
        return dl.UserByIdLoader(info.context).load(root.user_id)


class FulfillmentLine(ModelObjectType):
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    class Meta:
        model = models.FulfillmentLine

    @staticmethod
    def resolve_order_line(root, info):
        return then(dl.OrderLinesByOrderIdLoader(info.context).load(root.order_id),
                    lambda lines: next((l for l in lines if l.pk == root.order_line_id), None))


class FulfillmentStatus(graphene.Enum):
    FULFILLED = "fulfilled"
    DELIVERED = "delivered"


class Fulfillment(ModelObjectType):
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatus, required=True)
    tracking_number = graphene.String(required=True)
    carrier = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    seller = graphene.Field(Organization, required=True)
    lines = graphene.List(graphene.NonNull(FulfillmentLine))

    class Meta:
        model = models.Fulfillment

    resolve_status = staticmethod(lambda root, _info: str(root.status))
    resolve_created = staticmethod(lambda root, _info: root.created_at)

    @staticmethod
    def resolve_seller(root, info):
        return dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @staticmethod
    def resolve_lines(root, info):
        def attach(lines):
            for line in lines:
                line.order_id = root.order_id
            return lines

        return then(dl.FulfillmentLinesByFulfillmentIdLoader(info.context).load(root.pk), attach)


class TransactionItem(ModelObjectType):
    """A payment through a gateway (Saleor's TransactionItem): one started on an order
    (``Payment``) or on a checkout before its order exists (``CheckoutTransaction``)."""

    name = graphene.String(required=True)
    message = graphene.String(required=True)
    actions = graphene.List(graphene.NonNull(payments.TransactionActionEnum), required=True,
                            description="What staff can still do with it (refund a charge).")
    events = graphene.List(graphene.NonNull(payments.TransactionEvent), required=True)
    order = graphene.Field("api.shop.types.Order")
    psp_reference = graphene.String(required=True)
    out_trade_no = graphene.String(required=True, description="Our trade number at Alipay.")
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    authorized_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)

    class Meta:
        model = models.Payment

    resolve_name = staticmethod(lambda root, _info: {"alipay": "Alipay"}.get(root.gateway, root.gateway))
    resolve_status = staticmethod(lambda root, _info: str(root.status).upper())
    resolve_message = staticmethod(lambda _root, _info: "")
    resolve_events = staticmethod(lambda root, _info: [payments.TransactionEvent.of(root)])
    resolve_authorized_amount = staticmethod(lambda root, _info: money(0, root.currency))

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, (models.Payment, CheckoutTransaction))

    @staticmethod
    def resolve_id(root, _info):
        # A checkout's transactions are named by their token, an order's payments by pk.
        return str(root.token) if isinstance(root, CheckoutTransaction) else root.pk

    @staticmethod
    def resolve_actions(root, _info):
        refundable = root.charged_amount - getattr(root, "refunded_amount", 0) > 0
        return ["REFUND"] if refundable and isinstance(root, models.Payment) else []

    @staticmethod
    def resolve_order(root, info):
        if not root.order_id:
            return None
        viewer = current_user(info)
        order = root.order
        # A guest's order too is only the staff's to read here: anyone may start paying
        # it by its ID (a number anyone can count through), and would read its address.
        if not (viewer and (viewer.pk == order.user_id or is_order_staff(viewer))):
            return None
        return order
    resolve_charged_amount = staticmethod(lambda root, _info: money(root.charged_amount, root.currency))
    resolve_refunded_amount = staticmethod(
        lambda root, _info: money(getattr(root, "refunded_amount", 0), root.currency))


class PaymentRefund(ModelObjectType):
    amount = graphene.Field(Money, required=True)
    reason = graphene.String(required=True)
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    created_by = graphene.Field("api.shop.types.User")

    class Meta:
        model = models.Refund

    resolve_amount = staticmethod(lambda root, _info: money(root.amount, root.currency))
    resolve_status = staticmethod(lambda root, _info: str(root.status).upper())

    @staticmethod
    def resolve_created_by(root, info):
        return dl.UserByIdLoader(info.context).load(root.created_by_id) if root.created_by_id else None


def _order_channel_slug(order) -> str:
    if getattr(order, "channel_slug", None):
        return order.channel_slug
    if models.Order.channel.is_cached(order):
        return order.channel.slug
    return "default"


def visible_line_filter(info, order):
    """Buyers and staff see every line; a seller who is neither sees only its own."""
    user = current_user(info)
    if user is None or is_order_staff(user) or user.pk == order.user_id:
        return None
    return user.organization_ids()


class Order(ModelObjectType, ObjectWithMetadata):
    number = graphene.String(required=True)
    token = graphene.String(required=True, deprecation_reason=(
        "Use `id`. Kept for Saleor's older storefronts, which link an order by it and read "
        "it back with `orderByToken`: the token of the checkout the order came from (the "
        "ID for an order made otherwise)."))
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(order_status.OrderStatus, required=True,
                            description="Fulfilment, as Saleor's OrderStatus.")
    pavilion_status = graphene.Field(PavilionOrderStatus, required=True,
                                     description="The pavilion's status (payment and "
                                                 "delivery in one).")
    charge_status = graphene.Field(OrderChargeStatus, required=True)
    is_paid = graphene.Boolean(required=True)
    user_email = graphene.String()
    user = graphene.Field("api.shop.types.User")
    channel = graphene.Field(Channel, required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    events = graphene.List(graphene.NonNull(OrderEvent))
    fulfillments = graphene.List(graphene.NonNull(Fulfillment), required=True)
    transactions = graphene.List(graphene.NonNull(TransactionItem), required=True)
    refunds = graphene.List(graphene.NonNull(PaymentRefund), required=True)
    shipping_address = graphene.Field(Address)
    billing_address = graphene.Field(Address)
    shipping_method_name = graphene.String()
    subtotal = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total = graphene.Field(TaxedMoney, required=True)
    total_charged = graphene.Field(Money, required=True)
    total_refunded = graphene.Field(Money, required=True)
    customer_note = graphene.String(required=True)
    expires_at = graphene.DateTime(description="Unpaid orders are cancelled at this time.")
    paid_at = graphene.DateTime()
    status_display = graphene.String(required=True)
    payment_status = graphene.Field(payments.PaymentChargeStatusEnum, required=True)
    authorize_status = graphene.Field(payments.OrderAuthorizeStatusEnum, required=True)
    total_captured = graphene.Field(Money, required=True)
    total_balance = graphene.Field(Money, required=True)
    voucher = graphene.Field(payments.Voucher)
    voucher_code = graphene.String()
    discounts = graphene.List(graphene.NonNull(payments.OrderDiscount), required=True)
    delivery_method = graphene.Field(DeliveryMethod)
    language_code = graphene.String(required=True,
                                    deprecation_reason="Use the `languageCodeEnum` field.")
    language_code_enum = graphene.Field(LanguageCodeEnum, required=True,
                                        description="The language the buyer shopped in.")
    collection_point_name = graphene.String(description="Where and when the order is "
                                                        "collected, when at a pick-up point.")
    gift_cards = graphene.List(graphene.NonNull(payments.GiftCard), required=True)
    return_requests = graphene.List(
        graphene.NonNull("api.shop.types.returns.OrderReturnRequest"), required=True,
        description="After-sales requests (售后): all to the buyer, a seller's own to it.")

    class Meta:
        model = models.Order

    resolve_number = staticmethod(lambda root, _info: str(root.number))
    resolve_created = staticmethod(lambda root, _info: root.created_at)
    resolve_token = staticmethod(lambda root, _info: str(root.checkout_token)
                                 if root.checkout_token else to_global_id("Order", root.pk))
    resolve_status = staticmethod(lambda root, _info: order_status.fulfilment_status(root))
    resolve_pavilion_status = staticmethod(lambda root, _info: str(root.status))
    resolve_is_paid = staticmethod(lambda root, _info: root.paid_at is not None)
    resolve_subtotal = staticmethod(lambda root, _info: taxed_money(root.subtotal_amount, root.currency))
    resolve_shipping_price = staticmethod(
        lambda root, _info: taxed_money(root.shipping_price_amount, root.currency))
    resolve_total = staticmethod(lambda root, _info: taxed_money(root.total_amount, root.currency))
    resolve_total_charged = staticmethod(
        lambda root, _info: money(root.total_charged_amount, root.currency))
    resolve_total_refunded = staticmethod(
        lambda root, _info: money(root.total_refunded_amount, root.currency))
    resolve_shipping_method_name = staticmethod(lambda root, _info: root.shipping_method_name or None)
    resolve_status_display = staticmethod(lambda root, _info: order_status.status_display(root))
    resolve_payment_status = staticmethod(lambda root, _info: order_status.payment_status(root))
    resolve_authorize_status = staticmethod(
        lambda root, _info: order_status.authorize_status(root))
    resolve_total_captured = staticmethod(
        lambda root, _info: money(root.total_charged_amount, root.currency))
    resolve_total_balance = staticmethod(lambda root, _info: money(
        root.total_charged_amount - root.total_refunded_amount - root.total_amount,
        root.currency))
    resolve_voucher = staticmethod(lambda root, _info: root.voucher)
    resolve_voucher_code = staticmethod(lambda root, _info: root.voucher.code if root.voucher_id
                                        else None)
    resolve_gift_cards = staticmethod(lambda _root, _info: [])
    resolve_return_requests = staticmethod(
        lambda root, info: returns.order_return_requests(root, info))

    @staticmethod
    def resolve_discounts(root, _info):
        if not root.voucher_id or root.discount_amount <= 0:
            return []
        voucher = root.voucher
        total = money(root.discount_amount, root.currency)
        return [payments.OrderDiscount(
            id=graphene.relay.Node.to_global_id("OrderDiscount", f"{root.pk}-voucher"),
            type="VOUCHER", name=voucher.name or voucher.code,
            value=float(voucher.discount_value), amount=total, total=total)]

    @staticmethod
    def _delivery(root, info, fn):
        """``fn(method, pick-up point or None)`` of the order's shipping method, batched
        over an order list."""
        if root.shipping_method_id is None:
            return None
        loaded = dl.DeliveryByShippingMethodIdLoader(info.context).load(root.shipping_method_id)
        return then(loaded, lambda pair: fn(*pair) if pair[0] is not None else None)

    @staticmethod
    def resolve_delivery_method(root, info):
        return Order._delivery(root, info, lambda method, point: delivery_method(
            method, root.shipping_price_amount, point))

    resolve_language_code_enum = staticmethod(
        lambda root, _info: languages.enum_name(root.language_code))

    @staticmethod
    def resolve_collection_point_name(root, info):
        """The place and hours as the order kept them (the point may have moved since)."""
        return Order._delivery(root, info, lambda method, _point: (
            root.shipping_method_name or method.name)
            if method.carrier == PICKUP_CARRIER else None)

    @staticmethod
    def resolve_charge_status(root, _info):
        if root.total_charged_amount <= 0:
            return "none"
        if root.total_charged_amount < root.total_amount:
            return "partial"
        return "full" if root.total_charged_amount == root.total_amount else "overcharged"

    @staticmethod
    def resolve_user(root, info):
        viewer = current_user(info)
        if root.user_id is None or viewer is None:
            return None
        if viewer.pk != root.user_id and not is_order_staff(viewer):
            return None
        return dl.UserByIdLoader(info.context).load(root.user_id)

    @staticmethod
    def resolve_channel(root, info):
        return dl.ChannelByIdLoader(info.context).load(root.channel_id)

    @staticmethod
    def resolve_lines(root, info):
        allowed = visible_line_filter(info, root)

        def shape(lines):
            lines = [l for l in lines if allowed is None or l.organization_id in allowed]
            for line in lines:
                line.channel_slug = _order_channel_slug(root)
            return lines

        return then(dl.OrderLinesByOrderIdLoader(info.context).load(root.pk), shape)

    @staticmethod
    def resolve_events(root, info):
        return dl.OrderEventsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_fulfillments(root, info):
        allowed = visible_line_filter(info, root)
        return then(dl.FulfillmentsByOrderIdLoader(info.context).load(root.pk),
                    lambda rows: [f for f in rows
                                  if allowed is None or f.organization_id in allowed])

    @staticmethod
    def resolve_transactions(root, info):
        return dl.PaymentsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_refunds(root, info):
        return dl.RefundsByOrderIdLoader(info.context).load(root.pk)

    @staticmethod
    def resolve_shipping_address(root, info):
        if root.shipping_address_id is None:
            return None
        return dl.AddressByIdLoader(info.context).load(root.shipping_address_id)

    @staticmethod
    def resolve_billing_address(root, info):
        if root.billing_address_id is None or visible_line_filter(info, root) is not None:
            return None
        return dl.AddressByIdLoader(info.context).load(root.billing_address_id)


    @classmethod
    def get_queryset(cls, info):
        return viewable_orders(info)


# What a seller sees of a shared order --------------------------------------------------------
# An order may hold several sellers' lines. A seller who is neither the buyer nor staff sees
# its own lines and shipments (above), and money figures that are its own share: the sum
# of its lines, no shipping, no voucher, none of the buyer's payments or refunds, no buyer
# e-mail. Buyers and staff see the whole order.

def _seller_share(root, allowed) -> "Decimal":
    cache = root.__dict__.setdefault("_seller_share", {})
    key = tuple(sorted(allowed))
    if key not in cache:
        cache[key] = root.lines.filter(organization_id__in=allowed).aggregate(
            total=Sum("total_price_amount"))["total"] or Decimal("0")
    return cache[key]


def _for_seller(seller_value, full=None, name=None):
    """A resolver answering ``seller_value(root, share)`` to a seller, the original
    (``full``) to buyers and staff."""
    original = full or getattr(Order, f"resolve_{name}", None)

    def resolve(root, info, **kwargs):
        allowed = visible_line_filter(info, root)
        if allowed is not None:
            return seller_value(root, _seller_share(root, allowed))
        if original is not None:
            return original(root, info, **kwargs)
        return getattr(root, name)

    return staticmethod(resolve)


def _paid_share(root, share):
    return share if root.total_charged_amount >= root.total_amount else Decimal("0")


_SELLER_VIEW = {
    "subtotal": lambda root, share: taxed_money(share, root.currency),
    "total": lambda root, share: taxed_money(share, root.currency),
    "shipping_price": lambda root, _share: taxed_money(Decimal("0"), root.currency),
    "total_charged": lambda root, share: money(_paid_share(root, share), root.currency),
    "total_captured": lambda root, share: money(_paid_share(root, share), root.currency),
    "total_refunded": lambda root, _share: money(Decimal("0"), root.currency),
    "total_balance": lambda root, share: money(_paid_share(root, share) - share, root.currency),
    "transactions": lambda _root, _share: [],
    "refunds": lambda _root, _share: [],
    "discounts": lambda _root, _share: [],
    "voucher": lambda _root, _share: None,
    "voucher_code": lambda _root, _share: None,
    "user_email": lambda _root, _share: None,
}
for _name, _value in _SELLER_VIEW.items():
    setattr(Order, f"resolve_{_name}", _for_seller(_value, name=_name))


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order
