"""Checkouts: lines, addresses and shipping methods."""

import graphene
from django.core.exceptions import ObjectDoesNotExist

from api.catalog import dataloaders as catalog_dl
from api.core.context import ChannelContext
from api.core.dataloaders import then
from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from api.core.permissions import current_user, is_order_staff
from api.core.types import Money, TaxedMoney, money, taxed_money
from api.translations.languages import LanguageCodeEnum
from api.translations.types import TranslationBase
from shop import models, pickup
from shop import services as shop_services
from shop.services import pickup as pickup_services
from shop.services import transactions as transaction_services

from .. import dataloaders as dl
from . import payments
from .accounts import Channel, CountryDisplay
from .warehouses import Warehouse

# Addresses and shipping ------------------------------------------------------------------

class Address(ModelObjectType):
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
    is_default_shipping_address = graphene.Boolean(
        description="In the user's address book: whether it is the default shipping address "
                    "(null for an address outside the book, such as a checkout's).")
    is_default_billing_address = graphene.Boolean(
        description="In the user's address book: whether it is the default billing address.")

    class Meta:
        model = models.Address

    @staticmethod
    def _book_entry(root):
        # The address book loads its entries with their addresses, which caches the entry
        # on each address: no query per address.
        if root.pk is None:
            return None
        try:
            return root.book_entry
        except ObjectDoesNotExist:
            return None

    @staticmethod
    def resolve_is_default_shipping_address(root, _info):
        entry = Address._book_entry(root)
        return entry.is_default_shipping if entry else None

    @staticmethod
    def resolve_is_default_billing_address(root, _info):
        entry = Address._book_entry(root)
        return entry.is_default_billing if entry else None

    @classmethod
    def resolve_id(cls, root, _info):
        # A warehouse's address is built from its pick-up point, not stored.
        return root.pk if root.pk is not None else f"warehouse-{root.warehouse_slug}"

    resolve_street_address1 = staticmethod(lambda root, _info: root.street_address_1)
    resolve_street_address2 = staticmethod(lambda root, _info: root.street_address_2)

    @staticmethod
    def resolve_country(root, _info):
        return CountryDisplay(code=root.country, country="中国" if root.country == "CN" else root.country)


class ShippingMethodTranslation(TranslationBase, graphene.ObjectType):
    """Saleor's shipping method translation. The pavilion's carriers keep their Chinese
    names in every language, so no method has one."""

    name = graphene.String()
    description = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)


class ShippingMethod(ModelObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    carrier = graphene.String(required=True, description="Carrier code (county extension).")
    price = graphene.Field(Money, required=True)
    minimum_delivery_days = graphene.Int()
    maximum_delivery_days = graphene.Int()
    active = graphene.Boolean(required=True)
    free_shipping_threshold = graphene.Field(Money)
    translation = graphene.Field(
        ShippingMethodTranslation, language_code=graphene.Argument(LanguageCodeEnum,
                                                                   required=True),
        description="Always null: carriers are named as they are (the client shows the name).")

    class Meta:
        model = models.ShippingMethod

    resolve_translation = staticmethod(lambda _root, _info, **_kwargs: None)

    # root is ``(method, price)``
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
        return money(threshold)

    @classmethod
    def instance_of(cls, root):
        return root[0] if isinstance(root, tuple) else None

    @classmethod
    def get_node(cls, _info, id):
        """An active method by ID, priced at its lowest first-weight rate (a checkout
        prices it for its own address and weight)."""
        method = models.ShippingMethod.objects.filter(pk=id, is_active=True).first()
        if method is None:
            return None
        rate = method.rates.order_by("first_price").first()
        return (method, rate.first_price if rate else 0)


class DeliveryMethod(graphene.Union):
    """Saleor's delivery method: the ``Warehouse`` when the order is collected at its
    pick-up point, the ``ShippingMethod`` otherwise."""

    class Meta:
        types = (Warehouse, ShippingMethod)


def delivery_method(method, price, point):
    """What ``deliveryMethod`` answers for a chosen shipping method, its price and the
    pick-up point it stands for (``None`` for a carrier)."""
    return point.warehouse if point is not None else (method, price)


# Checkout ----------------------------------------------------------------------------

def variant_node(variant_id, channel_slug, info):
    return then(catalog_dl.VariantByIdLoader(info.context).load(variant_id),
                lambda v: ChannelContext(v, channel_slug) if v else None)


class CheckoutLine(ModelObjectType):
    variant = graphene.Field("api.catalog.types.ProductVariant", required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(TaxedMoney)
    undiscounted_unit_price = graphene.Field(Money)
    total_price = graphene.Field(TaxedMoney)
    requires_shipping = graphene.Boolean()

    class Meta:
        model = models.CheckoutLine

    @staticmethod
    def resolve_variant(root, info):
        return variant_node(root.variant_id, root.checkout.channel.slug, info)

    @staticmethod
    def _price(root, info, fn):
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


def _totals(checkout):
    cached = getattr(checkout, "_totals", None)
    if cached is None:
        cached = checkout._totals = shop_services.checkout_totals(checkout)
    return cached


class Checkout(ModelObjectType, ObjectWithMetadata):
    token = graphene.UUID(required=True)
    channel = graphene.Field(Channel, required=True)
    email = graphene.String()
    user = graphene.Field("api.shop.types.User")
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    quantity = graphene.Int(required=True)
    shipping_address = graphene.Field(Address)
    billing_address = graphene.Field(Address)
    shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)
    available_shipping_methods = graphene.List(graphene.NonNull(ShippingMethod), required=True)
    available_collection_points = graphene.List(
        graphene.NonNull(Warehouse), required=True,
        description="Pick-up points the checkout may choose with "
                    "checkoutDeliveryMethodUpdate(deliveryMethodId: <Warehouse ID>).")
    delivery_method = graphene.Field(DeliveryMethod)
    shipping_method = graphene.Field(ShippingMethod)
    is_shipping_required = graphene.Boolean(required=True)
    subtotal_price = graphene.Field(TaxedMoney, required=True)
    shipping_price = graphene.Field(TaxedMoney, required=True)
    total_price = graphene.Field(TaxedMoney, required=True)
    note = graphene.String(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    language_code = graphene.Field(LanguageCodeEnum, required=True)
    discount = graphene.Field(Money, description="What the promo code takes off.")
    voucher_code = graphene.String()
    discount_name = graphene.String()
    translated_discount_name = graphene.String()
    gift_cards = graphene.List(graphene.NonNull(payments.GiftCard), required=True)
    available_payment_gateways = graphene.List(graphene.NonNull(payments.PaymentGateway),
                                               required=True)
    charge_status = graphene.Field(payments.CheckoutChargeStatusEnum, required=True)
    authorize_status = graphene.Field(payments.CheckoutAuthorizeStatusEnum, required=True)
    total_balance = graphene.Field(Money, required=True,
                                   description="Charged so far less the total (negative "
                                               "while something is owed).")
    transactions = graphene.List(graphene.NonNull("api.shop.types.TransactionItem"))
    delivery = graphene.Field(payments.Delivery)
    problems = graphene.List(graphene.NonNull(payments.CheckoutProblem))

    class Meta:
        model = models.Checkout

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
    def resolve_available_collection_points(root, _info):
        return [point.warehouse for point in pickup_services.collection_points(root)]

    @staticmethod
    def resolve_shipping_method(root, _info):
        if root.shipping_method_id is None:
            return None
        price = _totals(root)["shipping"]
        return (root.shipping_method, price) if price is not None else None

    @staticmethod
    def resolve_delivery_method(root, info):
        chosen = Checkout.resolve_shipping_method(root, info)
        if chosen is None:
            return None
        return delivery_method(*chosen, pickup.point_of(chosen[0]))

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


    resolve_voucher_code = staticmethod(lambda root, _info: root.voucher_code or None)
    resolve_gift_cards = staticmethod(lambda _root, _info: [])

    @staticmethod
    def resolve_discount(root, _info):
        totals = _totals(root)
        return money(totals["discount"], totals["currency"]) if totals["discount"] else None

    @staticmethod
    def resolve_discount_name(root, _info):
        voucher = _totals(root)["voucher"]
        return (voucher.name or voucher.code) if voucher and _totals(root)["discount"] else None

    resolve_translated_discount_name = resolve_discount_name

    @staticmethod
    def resolve_available_payment_gateways(root, _info):
        return payments.payment_gateways(root.channel.currency_code)

    @staticmethod
    def resolve_charge_status(root, _info):
        return transaction_services.charge_status(root, _totals(root)["total"])

    @staticmethod
    def resolve_authorize_status(root, _info):
        return transaction_services.authorize_status(root, _totals(root)["total"])

    @staticmethod
    def resolve_total_balance(root, _info):
        totals = _totals(root)
        charged = transaction_services.charged_amount(root)
        return money(charged - totals["total"], totals["currency"])

    @staticmethod
    def resolve_transactions(root, _info):
        return transaction_services.checkout_transactions(root)

    @staticmethod
    def resolve_delivery(root, info):
        method = Checkout.resolve_shipping_method(root, info)
        if method is None:
            return None
        return payments.Delivery(id=graphene.relay.Node.to_global_id("ShippingMethod",
                                                                      method[0].pk),
                                 shipping_method=method)

    @staticmethod
    def resolve_problems(root, info):
        """Lines that can no longer be bought or not in that quantity, and a delivery
        method that no longer serves the address."""
        problems = []
        lines = list(root.lines.all())
        found = shop_services.purchasable_variants([line.variant_id for line in lines],
                                                   root.channel)
        for line in lines:
            line.checkout = root
            if line.variant_id not in found:
                problems.append(payments.CheckoutLineProblemVariantNotAvailable(line=line))
                continue
            if not found[line.variant_id][0].track_inventory:
                continue
            available = shop_services.available_quantity(line.variant_id, root.channel)
            if available < line.quantity:
                problems.append(payments.CheckoutLineProblemInsufficientStock(
                    available_quantity=available, line=line,
                    variant=variant_node(line.variant_id, root.channel.slug, info)))
        if root.shipping_method_id and _totals(root)["shipping"] is None:
            problems.append(payments.CheckoutProblemDeliveryMethodInvalid(delivery=payments.Delivery(
                id=graphene.relay.Node.to_global_id("ShippingMethod", root.shipping_method_id),
                shipping_method=None)))
        return problems

    @classmethod
    def get_node(cls, info, id):
        """A guest checkout to whoever holds its token; a signed-in buyer's to that buyer
        (and staff) only."""
        checkout = shop_services.get_checkout(id)
        if checkout is not None and checkout.user_id:
            viewer = current_user(info)
            if not (viewer and (viewer.pk == checkout.user_id or is_order_staff(viewer))):
                return None
        return checkout
