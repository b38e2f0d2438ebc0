"""County statistics: who may watch a county's figures, the daily rollups the screen,
reports and API read, and the reports prepared for filing.

Rollups are derived data: each row is recomputed whole from the raw records (orders, scans,
lots, licences, broadcasts) for its day by ``statistics.services.rollups``, never
incremented, so a retried task or a late refund leaves the same figures a fresh
computation would. Their dimension columns reference the raw tables without database
constraints (``db_constraint=False``): a rollup never blocks deleting a product, and the
benchmark loads them with COPY.

A ``pavilion`` of ``NULL`` in a rollup means: in the order-level tables (whose counts of
orders are not additive across counties, as one order may buy from two), the whole
platform; in the additive line-level tables, records outside any pavilion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2, "default": 0}
KG = {"max_digits": 14, "decimal_places": 3, "default": 0}


def ref(model: str, **extra):
    """A reference to a raw record that a rollup only names (no database constraint)."""
    return models.ForeignKey(model, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", **extra)


class CountyOfficial(models.Model):
    """县级管理员: a person who watches one county's (pavilion's) figures, read-only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="county_official", verbose_name=_("user"))
    pavilion = models.ForeignKey("catalog.Pavilion", on_delete=models.CASCADE,
                                 related_name="officials", verbose_name=_("county pavilion"))
    title = models.CharField(_("position"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("county official")
        verbose_name_plural = _("county officials")
        ordering = ["pavilion_id", "user_id"]

    def __str__(self):
        return f"{self.user} @ {self.pavilion}"


class SalesDaily(models.Model):
    """Goods sold on one day (the day the order was paid, Asia/Shanghai), per pavilion,
    channel, sales source, broadcast, category, seller and product. Orders cancelled or
    refunded after payment are left out of the day they were paid; partial refunds are in
    ``OrderDaily``."""

    class Source(models.TextChoices):
        SHOP = "shop", _("Pavilion shop")
        BROADCAST = "broadcast", _("Live broadcast")

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion", verbose_name=_("pavilion"))
    channel = ref("shop.Channel", verbose_name=_("channel"))
    source = models.CharField(_("sales source"), max_length=16, choices=Source.choices)
    broadcast = ref("livestream.Broadcast", verbose_name=_("broadcast"))
    category = ref("catalog.Category", verbose_name=_("category"))
    organization = ref("shop.Organization", verbose_name=_("organisation"))
    product = ref("catalog.Product", verbose_name=_("product"))
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    amount = models.DecimalField(_("sales (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("daily sales")
        verbose_name_plural = _("daily sales")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"]),
                   models.Index(fields=["organization", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class OrderDaily(models.Model):
    """Orders paid on one day per pavilion (``NULL``: the whole platform), channel and the
    buyer's province; with what happened to them since: refunds, cancellations, shipping
    (within the promised hours) and delivery."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion", verbose_name=_("pavilion"))
    channel = ref("shop.Channel", verbose_name=_("channel"))
    province = models.CharField(_("buyer's province"), max_length=32, blank=True)
    orders = models.PositiveIntegerField(_("paid orders"), default=0)
    amount = models.DecimalField(_("sales (CNY)"), **MONEY)
    refunded_orders = models.PositiveIntegerField(_("refunded orders"), default=0)
    refunded_amount = models.DecimalField(_("refunded (CNY)"), **MONEY)
    cancelled_orders = models.PositiveIntegerField(_("cancelled after payment"), default=0)

    class Meta:
        verbose_name = _("daily orders")
        verbose_name_plural = _("daily orders")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class LogisticsDaily(models.Model):
    """The shipping of the orders paid on one day, per pavilion (``NULL``: whole platform)
    and carrier (of the first package)."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion")
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    shipped_orders = models.PositiveIntegerField(_("shipped"), default=0)
    shipped_in_time = models.PositiveIntegerField(_("shipped within the promise"), default=0)
    delivered_orders = models.PositiveIntegerField(_("delivered"), default=0)
    delivery_hours = models.DecimalField(_("hours from payment to delivery (sum)"),
                                         max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("daily logistics")
        verbose_name_plural = _("daily logistics")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class BroadcastDaily(models.Model):
    """Sales of one live broadcast on one day (paid orders of its line-up at live prices)."""

    day = models.DateField(_("day"), db_index=True)
    broadcast = ref("livestream.Broadcast")
    pavilion = ref("catalog.Pavilion")
    orders = models.PositiveIntegerField(_("orders"), default=0)
    units = models.PositiveIntegerField(_("units"), default=0)
    amount = models.DecimalField(_("sales (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("daily broadcast sales")
        verbose_name_plural = _("daily broadcast sales")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["broadcast", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class TraceDaily(models.Model):
    """Trace codes on one day per pavilion, seller, product and grade: issued (packed),
    shipped on orders (grades sold), scanned, scanned for the first time, flagged."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion", verbose_name=_("pavilion"))
    organization = ref("shop.Organization", verbose_name=_("organisation"))
    product = ref("catalog.Product", verbose_name=_("product"))
    grade = models.CharField(_("grade"), max_length=32, blank=True)
    codes_issued = models.PositiveIntegerField(_("codes issued"), default=0)
    codes_shipped = models.PositiveIntegerField(_("codes shipped"), default=0)
    scans = models.PositiveIntegerField(_("scans"), default=0)
    first_scans = models.PositiveIntegerField(_("first scans"), default=0)
    flagged_scans = models.PositiveIntegerField(_("suspicious scans"), default=0)

    class Meta:
        verbose_name = _("daily trace codes")
        verbose_name_plural = _("daily trace codes")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class ScanProvinceDaily(models.Model):
    """Scans on one day per pavilion and the scanner's province. A scan keeps only a coarse
    network, so the province is the one the scanned package was delivered to; scans of
    codes never shipped on an order count under an empty province."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion")
    province = models.CharField(_("province"), max_length=32, blank=True)
    scans = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        verbose_name = _("daily scans by province")
        verbose_name_plural = _("daily scans by province")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class HouseholdDaily(models.Model):
    """What cooperatives bought from one household on one day (sourcing lots received),
    with the household's registration as poor (建档立卡/脱贫户) as it is now."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion", verbose_name=_("pavilion"))
    organization = ref("shop.Organization", verbose_name=_("organisation"))
    household = ref("supplychain.Household", verbose_name=_("household"))
    is_poverty_registered = models.BooleanField(_("registered poor household"), default=False)
    lots = models.PositiveIntegerField(_("sourcing lots"), default=0)
    quantity_kg = models.DecimalField(_("quantity (kg)"), **KG)
    amount = models.DecimalField(_("paid (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("daily household purchases")
        verbose_name_plural = _("daily household purchases")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"]),
                   models.Index(fields=["household", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class BrandDaily(models.Model):
    """Licence events, brand labels booked and violations found on one day per pavilion
    (the regional brand's)."""

    day = models.DateField(_("day"), db_index=True)
    pavilion = ref("catalog.Pavilion")
    granted = models.PositiveIntegerField(_("granted"), default=0)
    renewed = models.PositiveIntegerField(_("renewed"), default=0)
    suspended = models.PositiveIntegerField(_("suspended"), default=0)
    revoked = models.PositiveIntegerField(_("revoked"), default=0)
    expired = models.PositiveIntegerField(_("expired"), default=0)
    labels_used = models.PositiveIntegerField(_("brand labels used"), default=0)
    violations = models.PositiveIntegerField(_("violations"), default=0)

    class Meta:
        verbose_name = _("daily brand figures")
        verbose_name_plural = _("daily brand figures")
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["pavilion", "day"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.day}"


class RollupState(models.Model):
    """One row: a counter raised by every recomputation of rollups, so that cached figures
    are keyed by it and never outlive the rows they were read from."""

    generation = models.PositiveBigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")

    def __str__(self):
        return f"{self.generation} @ {self.refreshed_at}"


class Report(models.Model):
    """A monthly or yearly report of one county (or of the whole platform), prepared as an
    XLSX file for filing upward."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    pavilion = models.ForeignKey("catalog.Pavilion", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("county pavilion"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    start = models.DateField(_("first day"))
    file = models.FileField(_("file"), upload_to="private/statistics-reports")
    prepared_at = models.DateTimeField(_("prepared at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-start", "pavilion_id"]
        constraints = [
            models.UniqueConstraint(fields=["pavilion", "kind", "start"],
                                    name="unique_statistics_report",
                                    nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.pavilion or ''} {self.get_kind_display()} {self.start:%Y-%m}"
