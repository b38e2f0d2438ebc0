"""Commerce core: accounts, organisations, channels, warehouses and stock.

Every other app builds on these: a product belongs to an organisation, a price belongs to a
channel, stock lives in a warehouse. Stock quantities change only through
``shop.services`` (conditional updates inside a transaction).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import languages

# Models kept in their own modules, registered with the app by being imported here.
from .address_book import UserAddress  # noqa: F401
from .members import Invitation, OrganizationApplication  # noqa: F401
from .outbox import OutboxMessage  # noqa: F401
from .pickup import PickupNotice, PickupPoint  # noqa: F401
from .returns import ReturnRequest, ReturnRequestLine, ReturnRequestPhoto  # noqa: F401
from .shipping_rates import ShippingMethod, ShippingRate, ShippingZone  # noqa: F401
from .transactions import CheckoutTransaction  # noqa: F401
from .verification import VerificationCode  # noqa: F401
from .vouchers import Voucher, VoucherCustomer  # noqa: F401


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an e-mail address and password, as in Saleor, or with a
    verified mobile number and a texted code (``shop.services.phone_accounts``); an account
    registered by mobile number has no e-mail address (``email`` is null)."""

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    first_name = models.CharField(_("given name"), max_length=64, blank=True)
    last_name = models.CharField(_("family name"), max_length=64, blank=True)
    # The number notices are texted to (given on an invitation or an address form).
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    # The 11-digit number this person proved by a texted code: they sign in with it. Set
    # only by a code (never typed in), on one account at most.
    verified_phone = models.CharField(_("verified mobile number"), max_length=11, unique=True,
                                      null=True, blank=True, editable=False)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    language_code = models.CharField(_("language"), max_length=16, default="zh-hans")
    # Every token names the version it was issued under; raising it (a new password,
    # "sign out everywhere") makes all earlier tokens invalid at once.
    token_version = models.PositiveIntegerField(_("token version"), default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email__isnull=False)
                                   | models.Q(verified_phone__isnull=False),
                                   name="user_signs_in_somehow"),
        ]

    def __str__(self):
        return self.email or self.verified_phone or f"#{self.pk}"

    def clean(self):
        super().clean()
        if not self.email and not self.verified_phone:
            raise ValidationError({"email": _("An account without a verified mobile number "
                                              "needs an e-mail address to sign in with.")})

    def save(self, *args, **kwargs):
        # A blank address is no address: NULL, so that any number of accounts may lack one.
        self.email = self.email or None
        self.verified_phone = self.verified_phone or None
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.last_name}{self.first_name}".strip() or self.contact

    @property
    def contact(self) -> str:
        """How the account is reached: its e-mail address, else its verified number."""
        return self.email or self.verified_phone or self.phone or ""

    def set_password(self, raw_password):
        # Wherever a password is set (the API, the admin, a reset), older tokens stop working.
        super().set_password(raw_password)
        self.token_version = (self.token_version or 0) + 1

    def get_short_name(self):
        return self.first_name or self.contact

    @property
    def is_operator(self) -> bool:
        """Pavilion operators (and superusers) run the whole catalogue."""
        if not self.is_authenticated or not self.is_active:
            return False
        if self.is_superuser:
            return True
        cached = getattr(self, "_is_operator", None)
        if cached is None:
            cached = self.memberships.filter(
                organization__kind=Organization.Kind.OPERATOR, organization__is_active=True
            ).exists()
            self._is_operator = cached
        return cached

    def organization_ids(self) -> set[int]:
        """Ids of the active organisations this user is a member of (cached per instance)."""
        cached = getattr(self, "_organization_ids", None)
        if cached is None:
            cached = set(
                self.memberships.filter(organization__is_active=True).values_list(
                    "organization_id", flat=True
                )
            )
            self._organization_ids = cached
        return cached


class Organization(models.Model):
    """Who acts on the platform: a cooperative, an enterprise, the brand authority or the
    pavilion operator. Products, lots and licences belong to an organisation."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        ENTERPRISE = "enterprise", _("Enterprise")
        BRAND_AUTHORITY = "brand_authority", _("Brand authority")
        OPERATOR = "operator", _("Pavilion operator")

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    county = models.CharField(_("county"), max_length=64, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    members = models.ManyToManyField(
        User, through="Membership", related_name="organizations", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


# The organisations that produce and sell: they list goods, source, grade and pack, and hold
# brand licences (the brand authority and the operator are set up by hand).
PRODUCER_KINDS = (Organization.Kind.COOPERATIVE, Organization.Kind.ENTERPRISE)


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


class Channel(models.Model):
    """A sales channel (Saleor's concept): carries the currency; prices are per channel."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    currency_code = models.CharField(_("currency"), max_length=3, default="CNY")
    default_country = models.CharField(_("default country"), max_length=2, default="CN")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["slug"]

    def __str__(self):
        return self.name


class Warehouse(models.Model):
    """Where an organisation keeps goods it sells; serves the channels it is linked to."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True, allow_unicode=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="warehouses",
        verbose_name=_("organisation"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    channels = models.ManyToManyField(
        Channel, related_name="warehouses", blank=True, verbose_name=_("channels")
    )

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Stock(models.Model):
    """Units of one variant in one warehouse. Change only through ``shop.services``."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="stocks", verbose_name=_("warehouse")
    )
    product_variant = models.ForeignKey(
        "catalog.ProductVariant",
        on_delete=models.CASCADE,
        related_name="stocks",
        verbose_name=_("variant"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    quantity_allocated = models.PositiveIntegerField(
        _("allocated"), default=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "product_variant"], name="unique_stock"),
            models.CheckConstraint(
                condition=models.Q(quantity_allocated__lte=models.F("quantity")),
                name="stock_allocated_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.product_variant} @ {self.warehouse}: {self.quantity}"

    @property
    def quantity_available(self) -> int:
        return max(self.quantity - self.quantity_allocated, 0)


# Checkout, orders, payments ------------------------------------------------------------
# Money is Decimal with 2 places in the channel's currency (CNY).

MONEY = {"max_digits": 12, "decimal_places": 2}


class Address(models.Model):
    """A mainland Chinese address (Saleor's field names): ``country_area`` is the province,
    ``city_area`` the district or county. Validated by ``shop.addresses.clean_address``."""

    first_name = models.CharField(_("recipient"), max_length=64)
    last_name = models.CharField(_("family name"), max_length=64, blank=True)
    company_name = models.CharField(_("company"), max_length=128, blank=True)
    street_address_1 = models.CharField(_("street address"), max_length=255)
    street_address_2 = models.CharField(_("street address 2"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=64)
    city_area = models.CharField(_("district"), max_length=64, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN")
    country_area = models.CharField(_("province"), max_length=64)
    phone = models.CharField(_("mobile number"), max_length=20)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self):
        return (f"{self.country_area}{self.city if self.city != self.country_area else ''}"
                f"{self.city_area}{self.street_address_1}{self.street_address_2} "
                f"{self.last_name}{self.first_name} {self.phone}")

    def as_data(self) -> dict:
        return {f: getattr(self, f) for f in ADDRESS_FIELDS}


ADDRESS_FIELDS = ["first_name", "last_name", "company_name", "street_address_1",
                  "street_address_2", "city", "city_area", "postal_code", "country",
                  "country_area", "phone"]


class Checkout(models.Model):
    """A shopper's basket (Saleor's checkout), identified by an unguessable token."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="checkouts")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="checkouts")
    email = models.EmailField(_("email"), blank=True)
    shipping_address = models.ForeignKey(Address, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    billing_address = models.ForeignKey(Address, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    shipping_method = models.ForeignKey(ShippingMethod, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    customer_note = models.CharField(_("note"), max_length=255, blank=True)
    voucher_code = models.CharField(_("promo code"), max_length=255, blank=True)
    # Saleor's LanguageCodeEnum name (ZH_HANS, EN, BO): the language of its e-mails, the
    # request's unless the client names one; the order keeps it.
    language_code = models.CharField(_("language"), max_length=35,
                                     default=languages.active_enum_name)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-updated_at", "pk"]


class CheckoutLine(models.Model):
    """One variant in a checkout. ``source``/``source_ref`` say where the sale came from
    (e.g. ``("broadcast", "42")`` for a livestream); see the price hooks of ``shop.hooks``."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE,
                                related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    source = models.CharField(_("sale source"), max_length=32, blank=True)
    source_ref = models.CharField(_("sale source reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checkout", "variant"], name="unique_checkout_variant")
        ]


class Order(models.Model):
    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")
        PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    number = models.PositiveBigIntegerField(_("order number"), unique=True, editable=False)
    checkout_token = models.UUIDField(null=True, blank=True, unique=True, editable=False,
                                      verbose_name=_("checkout token"))
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("channel"))
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="orders", verbose_name=_("user"))
    user_email = models.EmailField(_("email"))
    status = models.CharField(_("status"), max_length=32, choices=Status.choices,
                              default=Status.UNPAID, db_index=True)
    shipping_address = models.ForeignKey(Address, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("shipping address"))
    billing_address = models.ForeignKey(Address, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+",
                                        verbose_name=_("billing address"))
    shipping_method = models.ForeignKey(ShippingMethod, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+",
                                        verbose_name=_("shipping method"))
    shipping_method_name = models.CharField(_("shipping method"), max_length=128, blank=True)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    subtotal_amount = models.DecimalField(_("subtotal"), **MONEY)
    shipping_price_amount = models.DecimalField(_("shipping"), **MONEY, default=0)
    total_amount = models.DecimalField(_("total"), **MONEY)
    total_charged_amount = models.DecimalField(_("charged"), **MONEY, default=0)
    total_refunded_amount = models.DecimalField(_("refunded"), **MONEY, default=0)
    voucher = models.ForeignKey(Voucher, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="orders", verbose_name=_("voucher"))
    discount_amount = models.DecimalField(_("discount"), **MONEY, default=0)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    weight = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=3, default=0)
    customer_note = models.CharField(_("note"), max_length=255, blank=True)
    # The language the buyer shopped in (a Django code: zh-hans, bo, en), from the checkout.
    language_code = models.CharField(_("language"), max_length=16, default="zh-hans")
    created_at = models.DateTimeField(_("placed at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-number"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return str(self.number)

    def buyer_language(self) -> str:
        """The language to write to the buyer in: the account's current choice, else the
        one the guest shopped in."""
        return self.user.language_code if self.user_id else self.language_code


class OrderLine(models.Model):
    """What was bought, remembered as it was sold: names, SKU, unit price, seller.

    ``source``/``source_ref`` carry a sale's attribution (``("broadcast", <id>)`` for a
    purchase from a livestream, where a live price becomes ``unit_price_amount`` while
    ``undiscounted_unit_price_amount`` keeps the catalogue price); trace codes attach from
    the supply-chain app with a foreign key to ``FulfillmentLine`` (the package that
    carried the item)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines",
                              verbose_name=_("order"))
    variant = models.ForeignKey("catalog.ProductVariant", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="order_lines",
                                verbose_name=_("variant"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="order_lines", verbose_name=_("seller"))
    product_name = models.CharField(_("product"), max_length=386)
    variant_name = models.CharField(_("variant"), max_length=255, blank=True)
    product_sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    quantity_fulfilled = models.PositiveIntegerField(_("shipped"), default=0)
    # Units the buyer was refunded before they shipped (an approved after-sales request,
    # shop.services.returns): never to ship, their stock released.
    quantity_cancelled = models.PositiveIntegerField(_("refunded before shipping"), default=0,
                                                     db_default=0)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    unit_price_amount = models.DecimalField(_("unit price"), **MONEY)
    undiscounted_unit_price_amount = models.DecimalField(_("list price"), **MONEY)
    total_price_amount = models.DecimalField(_("line total"), **MONEY)
    unit_weight = models.DecimalField(max_digits=8, decimal_places=3, default=0,
                                      verbose_name=_("unit weight (kg)"))
    is_shipping_required = models.BooleanField(default=True, verbose_name=_("needs shipping"))
    source = models.CharField(_("sale source"), max_length=32, blank=True)
    source_ref = models.CharField(_("sale source reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity_fulfilled__lte=models.F("quantity")),
                                   name="order_line_fulfilled_within_quantity"),
            models.CheckConstraint(condition=models.Q(
                quantity_cancelled__lte=models.F("quantity") - models.F("quantity_fulfilled")),
                name="order_line_cancelled_within_unshipped"),
        ]

    @property
    def quantity_unfulfilled(self) -> int:
        return self.quantity - self.quantity_fulfilled - self.quantity_cancelled


class Allocation(models.Model):
    """Units of a stock row reserved for an order line until shipped or released."""

    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE,
                                   related_name="allocations")
    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="allocations")
    quantity_allocated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["order_line", "stock"], name="unique_allocation")
        ]


class OrderEvent(models.Model):
    """The order's history: what happened, who did it, when and why."""

    class Type(models.TextChoices):
        PLACED = "placed", _("Order placed")
        PAYMENT_STARTED = "payment_started", _("Payment started")
        PAID = "paid", _("Paid")
        PAYMENT_AFTER_CANCEL = "payment_after_cancel", _("Payment received after cancellation")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired unpaid")
        REFUNDED = "refunded", _("Refunded")
        REFUND_FAILED = "refund_failed", _("Refund failed")
        NOTIFICATION_SENT = "notification_sent", _("Notification sent")
        NOTE = "note", _("Note")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events",
                              verbose_name=_("order"))
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    date = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("by"))
    message = models.CharField(_("reason"), max_length=255, blank=True)
    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["date", "pk"]


class Fulfillment(models.Model):
    """A package a seller sent: its lines, carrier and tracking number."""

    class Status(models.TextChoices):
        FULFILLED = "fulfilled", _("Shipped")
        DELIVERED = "delivered", _("Delivered")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments",
                              verbose_name=_("order"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="fulfillments", verbose_name=_("seller"))
    fulfillment_order = models.PositiveIntegerField(default=1, verbose_name=_("shipment number"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FULFILLED,
                              verbose_name=_("status"))
    carrier = models.CharField(_("carrier"), max_length=64)
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["pk"]


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE,
                                   related_name="fulfillment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]


class Payment(models.Model):
    """One payment attempt through a gateway (Saleor's TransactionItem). For Alipay,
    ``out_trade_no`` is ours and ``psp_reference`` is Alipay's ``trade_no``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        CHARGED = "charged", _("Paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments",
                              verbose_name=_("order"))
    gateway = models.CharField(max_length=32, default="alipay", verbose_name=_("payment gateway"))
    out_trade_no = models.CharField(max_length=64, unique=True, verbose_name=_("our trade number"))
    psp_reference = models.CharField(max_length=64, blank=True,
                                     verbose_name=_("Alipay trade number"))
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.PENDING,
                              verbose_name=_("status"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    amount = models.DecimalField(**MONEY, verbose_name=_("amount"))
    charged_amount = models.DecimalField(**MONEY, default=0, verbose_name=_("charged amount"))
    refunded_amount = models.DecimalField(**MONEY, default=0, verbose_name=_("refunded amount"))
    # What of this charge the shop owes back and has not refunded yet: a charge beyond the
    # order's balance, or a part paid of an order cancelled or expired unpaid
    # (``shop.services.payments.refund_due_payments`` sends it back).
    refund_due_amount = models.DecimalField(**MONEY, default=0,
                                            verbose_name=_("refund due"))
    buyer_logon_id = models.CharField(max_length=100, blank=True,
                                      verbose_name=_("buyer's Alipay account"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    charged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("charged at"))
    last_queried_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last queried at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["pk"]


class PaymentNotice(models.Model):
    """Every asynchronous notice received from the gateway and what was done with it
    (accepted, duplicate, rejected and why), for audits and disputes."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DUPLICATE = "duplicate", _("Already processed")
        IGNORED = "ignored", _("Ignored")
        REJECTED = "rejected", _("Rejected")

    received_at = models.DateTimeField(default=timezone.now, verbose_name=_("notice received at"))
    gateway = models.CharField(max_length=32, default="alipay", verbose_name=_("payment gateway"))
    notify_id = models.CharField(max_length=128, blank=True, db_index=True,
                                 verbose_name=_("notice ID"))
    out_trade_no = models.CharField(max_length=64, blank=True, db_index=True,
                                    verbose_name=_("our trade number"))
    outcome = models.CharField(max_length=16, choices=Outcome.choices, verbose_name=_("outcome"))
    reason = models.CharField(max_length=64, blank=True, verbose_name=_("reason"))
    payload = models.JSONField(default=dict, verbose_name=_("notice content"))

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")
        ordering = ["pk"]


class Refund(models.Model):
    """A refund sent to the gateway by staff, with its outcome."""

    class Status(models.TextChoices):
        SUCCESS = "success", _("Refunded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds",
                                verbose_name=_("payment"))
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds",
                              verbose_name=_("order"))
    out_request_no = models.CharField(max_length=64, unique=True,
                                      verbose_name=_("refund request number"))
    amount = models.DecimalField(**MONEY, verbose_name=_("amount"))
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(max_length=16, choices=Status.choices, verbose_name=_("status"))
    gateway_message = models.CharField(max_length=255, blank=True,
                                       verbose_name=_("gateway's answer"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["pk"]


class Notification(models.Model):
    """A message to a person or to an organisation (its members read it), recorded by the
    default notification backend (``shop.notifications.DatabaseBackend``)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name=_("user"))
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="notifications",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=32)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, organization__isnull=True)
                | models.Q(user__isnull=True, organization__isnull=False),
                name="notification_has_one_recipient"),
        ]
        indexes = [models.Index(fields=["user", "created_at"]),
                   models.Index(fields=["organization", "created_at"])]

    def __str__(self):
        return self.subject
