import graphene

from api.core.connection import CountableConnection, connection_args, paginate
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.permissions import current_user
from api.core.types import Money, TaxedMoney, taxed_money
from shop import models
from shop import services as shop_services

from . import dataloaders as dl


def is_order_staff(user) -> bool:
    """Pavilion operators and Django staff see and manage every order."""
    return user is not None and (user.is_staff or user.is_operator)


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True)
    country = graphene.String(required=True)


class Channel(graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    is_active = graphene.Boolean(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_default_country(root, _info):
        names = {"CN": "中国"}
        return CountryDisplay(code=root.default_country,
                              country=names.get(root.default_country, root.default_country))

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Channel)

    @classmethod
    def get_node(cls, _info, id):
        return models.Channel.objects.filter(pk=id, is_active=True).first()


class OrganizationKindEnum(graphene.Enum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"
    BRAND_AUTHORITY = "brand_authority"
    OPERATOR = "operator"


class Organization(graphene.ObjectType):
    """Who sells or governs: a cooperative, an enterprise, the brand authority, the
    operator (a county-pavilion extension)."""

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(OrganizationKindEnum, required=True)
    county = graphene.String()
    description = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_kind(root, _info):
        return root.kind

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Organization)

    @classmethod
    def get_node(cls, _info, id):
        return models.Organization.objects.filter(pk=id, is_active=True).first()


class MembershipRoleEnum(graphene.Enum):
    ADMIN = "admin"
    MEMBER = "member"


class OrganizationMembership(graphene.ObjectType):
    organization = graphene.Field(Organization, required=True)
    role = graphene.Field(MembershipRoleEnum, required=True)


class User(graphene.ObjectType):
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    language_code = graphene.String(required=True)
    date_joined = graphene.DateTime(required=True)
    last_login = graphene.DateTime()
    organizations = graphene.List(
        graphene.NonNull(OrganizationMembership), required=True,
        description="Organisations this user belongs to, with the role in each.",
    )
    orders = graphene.Field(lambda: OrderCountableConnection, **connection_args(),
                            description="The user's orders, newest first.")

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_organizations(root, _info):
        return [
            OrganizationMembership(organization=m.organization, role=m.role)
            for m in root.memberships.select_related("organization").filter(
                organization__is_active=True)
        ]

    @staticmethod
    def resolve_orders(root, info, **kwargs):
        viewer = current_user(info)
        if viewer is None or (viewer.pk != root.pk and not is_order_staff(viewer)):
            return None
        return paginate(models.Order.objects.filter(user=root), kwargs, OrderCountableConnection,
                        ["number"], descending=True, connection_name="orders")

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.User)

    @classmethod
    def get_node(cls, info, id):
        user = current_user(info)
        if user is not None and (str(user.pk) == str(id) or user.is_operator):
            return models.User.objects.filter(pk=id).first()
        return None


def money(amount, currency="CNY"):
    return {"amount": amount, "currency": currency}


# Addresses and shipping ------------------------------------------------------------------

class Address(graphene.ObjectType):
    """Saleor's Address: ``countryArea`` is the province, ``cityArea`` the district."""

    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address1 = graphene.String(required=True)
    street_address2 = graphene.String(required=True)
    city = graphene.String(required=True)
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True)
    country_area = graphene.String(required=True)
    phone = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_street_address1 = staticmethod(lambda root, _info: root.street_address_1)
    resolve_street_address2 = staticmethod(lambda root, _info: root.street_address_2)

    @staticmethod
    def resolve_country(root, _info):
        return CountryDisplay(code=root.country, country="中国" if root.country == "CN" else root.country)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Address)


class ShippingMethod(graphene.ObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    carrier = graphene.String(required=True, description="Carrier code (county extension).")
    price = graphene.Field(Money, required=True)
    minimum_delivery_days = graphene.Int()
    maximum_delivery_days = graphene.Int()
    active = graphene.Boolean(required=True)
    free_shipping_threshold = graphene.Field(Money)

    class Meta:
        interfaces = (graphene.relay.Node,)

    # root is ``(method, price)``
    resolve_id = staticmethod(lambda root, _info: root[0].pk)
    resolve_name = staticmethod(lambda root, _info: root[0].name)
    resolve_description = staticmethod(lambda root, _info: root[0].description or None)
    resolve_carrier = staticmethod(lambda root, _info: root[0].carrier)
    resolve_price = staticmethod(lambda root, _info: money(root[1]))
    resolve_minimum_delivery_days = staticmethod(lambda root, _info: root[0].min_delivery_days)
    resolve_maximum_delivery_days = staticmethod(lambda root, _info: root[0].max_delivery_days)
    resolve_active = staticmethod(lambda root, _info: root[0].is_active)

    @staticmethod
    def resolve_free_shipping_threshold(root, _info):
        threshold = root[0].free_shipping_threshold
        return money(threshold) if threshold is not None else None

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, tuple) and isinstance(root[0], models.ShippingMethod)


# Checkout ----------------------------------------------------------------------------

def _variant_node(variant_id, channel_slug, info):
    from api.catalog import dataloaders as catalog_dl

    return then(catalog_dl.VariantByIdLoader(info.context).load(variant_id),
                lambda v: ChannelContext(v, channel_slug) if v else None)


class CheckoutLine(graphene.ObjectType):
    variant = graphene.Field("api.catalog.types.ProductVariant", required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney)
    undiscounted_unit_price = graphene.Field(Money)
    total_price = graphene.Field(TaxedMoney)
    requires_shipping = graphene.Boolean()

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_variant(root, info):
        return _variant_node(root.variant_id, root.checkout.channel.slug, info)

    @staticmethod
    def _price(root, info, fn):
        from api.catalog import dataloaders as catalog_dl

        checkout = root.checkout

        def shape(listing):
            if listing is None:
                return None
            unit, _s, _r = shop_services.line_unit_price(root, listing.price_amount,
                                                         checkout.channel)
            return fn(unit, listing)

        return then(catalog_dl.VariantListingByVariantChannelLoader(info.context).load(
            (root.variant_id, checkout.channel.slug)), shape)

    @staticmethod
    def resolve_unit_price(root, info):
        return CheckoutLine._price(root, info, lambda unit, l: taxed_money(unit, l.currency))

    @staticmethod
    def resolve_undiscounted_unit_price(root, info):
        return CheckoutLine._price(root, info, lambda unit, l: money(l.price_amount, l.currency))

    @staticmethod
    def resolve_total_price(root, info):
        return CheckoutLine._price(
            root, info, lambda unit, l: taxed_money(unit * root.quantity, l.currency))

    @staticmethod
    def resolve_requires_shipping(root, info):
        return True

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.CheckoutLine)


def _totals(checkout):
    cached = getattr(checkout, "_totals", None)
    if cached is None:
        cached = checkout._totals = shop_services.checkout_totals(checkout)
    return cached


class Checkout(graphene.ObjectType):
    token = graphene.UUID(required=True)
    channel = graphene.Field(Channel, required=True)
    email = graphene.String()
    user = graphene.Field(User)
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    quantity = graphene.Int(required=True)
    shipping_address = graphene.Field(Address)
    billing_address = graphene.Field(Address)
    shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)
    available_shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)
    delivery_method = graphene.Field(ShippingMethod)
    shipping_method = graphene.Field(ShippingMethod)
    is_shipping_required = graphene.Boolean(required=True)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    note = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_id = staticmethod(lambda root, _info: str(root.token))
    resolve_email = staticmethod(lambda root, _info: root.email or None)
    resolve_note = staticmethod(lambda root, _info: root.customer_note)
    resolve_created = staticmethod(lambda root, _info: root.created_at)
    resolve_is_shipping_required = staticmethod(lambda root, _info: True)

    @staticmethod
    def resolve_user(root, info):
        viewer = current_user(info)
        if root.user_id and viewer is not None and viewer.pk == root.user_id:
            return viewer
        return None

    @staticmethod
    def resolve_lines(root, info):
        def attach(lines):
            for line in lines:
                line.checkout = root
            return lines

        return then(dl.CheckoutLinesByCheckoutTokenLoader(info.context).load(root.token), attach)

    @staticmethod
    def resolve_quantity(root, info):
        return then(dl.CheckoutLinesByCheckoutTokenLoader(info.context).load(root.token),
                    lambda lines: sum(line.quantity for line in lines))

    @staticmethod
    def resolve_shipping_methods(root, _info):
        return shop_services.available_shipping_methods(root)

    resolve_available_shipping_methods = resolve_shipping_methods

    @staticmethod
    def resolve_delivery_method(root, _info):
        if root.shipping_method_id is None:
            return None
        price = _totals(root)["shipping"]
        return (root.shipping_method, price) if price is not None else None

    resolve_shipping_method = resolve_delivery_method

    @staticmethod
    def resolve_subtotal_price(root, _info):
        totals = _totals(root)
        return taxed_money(totals["subtotal"], totals["currency"])

    @staticmethod
    def resolve_shipping_price(root, _info):
        totals = _totals(root)
        return taxed_money(totals["shipping"] or 0, totals["currency"])

    @staticmethod
    def resolve_total_price(root, _info):
        totals = _totals(root)
        return taxed_money(totals["total"], totals["currency"])

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Checkout)

    @classmethod
    def get_node(cls, _info, id):
        return shop_services.get_checkout(id)


# Orders ------------------------------------------------------------------------------

class OrderStatus(graphene.Enum):
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


class OrderLine(graphene.ObjectType):
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

    class Meta:
        interfaces = (graphene.relay.Node,)

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
        return _variant_node(root.variant_id, getattr(root, "channel_slug", "default"), info)

    @staticmethod
    def resolve_seller(root, info):
        from api.catalog import dataloaders as catalog_dl

        return catalog_dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.OrderLine)


class OrderEvent(graphene.ObjectType):
    date = graphene.DateTime(required=True)
    type = graphene.Field(OrderEventsEnum, required=True)
    user = graphene.Field(User)
    message = graphene.String()
    amount = graphene.Float()
    carrier = graphene.String()
    tracking_number = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)

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
        if root.user_id is None:
            return None
        return dl.UserByIdLoader(info.context).load(root.user_id)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.OrderEvent)


class FulfillmentLine(graphene.ObjectType):
    quantity = graphene.Int(required=True)
    order_line = graphene.Field(OrderLine)

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_order_line(root, info):
        return then(dl.OrderLinesByOrderIdLoader(info.context).load(root.order_id),
                    lambda lines: next((l for l in lines if l.pk == root.order_line_id), None))

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.FulfillmentLine)


class FulfillmentStatus(graphene.Enum):
    FULFILLED = "fulfilled"
    DELIVERED = "delivered"


class Fulfillment(graphene.ObjectType):
    fulfillment_order = graphene.Int(required=True)
    status = graphene.Field(FulfillmentStatus, required=True)
    tracking_number = graphene.String(required=True)
    carrier = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    seller = graphene.Field(Organization, required=True)
    lines = graphene.List(graphene.NonNull(FulfillmentLine))

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_status = staticmethod(lambda root, _info: str(root.status))
    resolve_created = staticmethod(lambda root, _info: root.created_at)

    @staticmethod
    def resolve_seller(root, info):
        from api.catalog import dataloaders as catalog_dl

        return catalog_dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @staticmethod
    def resolve_lines(root, info):
        def attach(lines):
            for line in lines:
                line.order_id = root.order_id
            return lines

        return then(dl.FulfillmentLinesByFulfillmentIdLoader(info.context).load(root.pk), attach)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Fulfillment)


class TransactionItem(graphene.ObjectType):
    """A payment through a gateway (Saleor's TransactionItem)."""

    name = graphene.String(required=True)
    psp_reference = graphene.String(required=True)
    out_trade_no = graphene.String(required=True, description="Our trade number at Alipay.")
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    authorized_amount = graphene.Field(Money, required=True)
    charged_amount = graphene.Field(Money, required=True)
    refunded_amount = graphene.Field(Money, required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_name = staticmethod(lambda root, _info: {"alipay": "Alipay"}.get(root.gateway, root.gateway))
    resolve_status = staticmethod(lambda root, _info: str(root.status).upper())
    resolve_authorized_amount = staticmethod(lambda root, _info: money(0, root.currency))
    resolve_charged_amount = staticmethod(lambda root, _info: money(root.charged_amount, root.currency))
    resolve_refunded_amount = staticmethod(
        lambda root, _info: money(root.refunded_amount, root.currency))

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Payment)


class PaymentRefund(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    reason = graphene.String(required=True)
    status = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    created_by = graphene.Field(User)

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_amount = staticmethod(lambda root, _info: money(root.amount, root.currency))
    resolve_status = staticmethod(lambda root, _info: str(root.status).upper())

    @staticmethod
    def resolve_created_by(root, info):
        return dl.UserByIdLoader(info.context).load(root.created_by_id) if root.created_by_id else None

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Refund)


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


class Order(graphene.ObjectType):
    number = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    status = graphene.Field(OrderStatus, required=True)
    charge_status = graphene.Field(OrderChargeStatus, required=True)
    is_paid = graphene.Boolean(required=True)
    user_email = graphene.String()
    user = graphene.Field(User)
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

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_number = staticmethod(lambda root, _info: str(root.number))
    resolve_created = staticmethod(lambda root, _info: root.created_at)
    resolve_status = staticmethod(lambda root, _info: str(root.status))
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
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Order)

    @classmethod
    def get_node(cls, info, id):
        from .queries import viewable_orders

        return viewable_orders(info).filter(pk=id).first()


class OrderCountableConnection(CountableConnection):
    class Meta:
        node = Order


# Notifications ---------------------------------------------------------------------------

class Notification(graphene.ObjectType):
    """A message to the signed-in user or to one of their organisations (a county-pavilion
    extension): licence decisions, order updates, recalls, broadcast reminders..."""

    kind = graphene.String(required=True, description="What it is about, e.g. order_paid.")
    subject = graphene.String(required=True)
    body = graphene.String(required=True)
    reference = graphene.String(required=True,
                                description="What it refers to, e.g. order:1024.")
    organization = graphene.Field(
        Organization, description="The organisation it was sent to; null when to you.")
    created_at = graphene.DateTime(required=True)
    read_at = graphene.DateTime()
    is_read = graphene.Boolean(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)

    resolve_is_read = staticmethod(lambda root, _info: root.read_at is not None)

    @staticmethod
    def resolve_organization(root, info):
        if root.organization_id is None:
            return None
        from api.catalog import dataloaders as catalog_dl

        return catalog_dl.OrganizationByIdLoader(info.context).load(root.organization_id)

    @classmethod
    def is_type_of(cls, root, _info):
        return isinstance(root, models.Notification)

    @classmethod
    def get_node(cls, info, id):
        from shop import notifications

        user = current_user(info)
        if user is None:
            return None
        return models.Notification.objects.filter(notifications.visible_to(user), pk=id).first()


class NotificationCountableConnection(CountableConnection):
    class Meta:
        node = Notification
