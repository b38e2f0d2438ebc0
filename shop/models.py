"""Commerce core: accounts, organisations, channels, warehouses and stock.

Every other app builds on these: a product belongs to an organisation, a price belongs to a
channel, stock lives in a warehouse. Stock quantities change only through
``shop.services`` (conditional updates inside a transaction).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    """A person. Signs in with an e-mail address, as in Saleor."""

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("given name"), max_length=64, blank=True)
    last_name = models.CharField(_("family name"), max_length=64, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    language_code = models.CharField(_("language"), max_length=16, default="zh-hans")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.last_name}{self.first_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.email

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
