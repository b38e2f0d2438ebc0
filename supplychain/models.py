"""The supply chain: who produces (producer profiles, households, bases and their
certifications), what was bought (sourcing lots) and tested (inspections), how it was graded
(grade standards, grading records with mass balance, graded lots), packed (packing runs) and
coded (one trace code per package), what happened to it (an event log modelled on GS1 EPCIS
2.0), who scanned it (scans with anomaly flags) and how it was recalled.

Rules that span rows (mass balance, inspection before packing, recall) live in
``supplychain.services``; the constraints here are the ones the database can hold alone."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shop.uploads import RandomName

# The farm-to-package records (farm inputs, processing steps, cold-chain logs) live in
# their own module; importing them here registers them with the app.
from .chain_records import (  # noqa: F401
    ColdChainLog,
    FarmInput,
    ProcessingStep,
    TemperatureReading,
)
from .sms_records import InboundSms  # noqa: F401 - codes texted to the pavilion

KG = {"max_digits": 12, "decimal_places": 3}
MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE_KG = [MinValueValidator(Decimal("0.001"))]


class ProducerProfile(models.Model):
    """The supply-chain facts of a cooperative or enterprise (one per organisation)."""

    organization = models.OneToOneField(
        "shop.Organization", on_delete=models.CASCADE, related_name="producer_profile",
        verbose_name=_("organisation"),
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64,
                                            blank=True)
    production_licence = models.CharField(_("production licence (SC) number"), max_length=32,
                                          blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("producer profile")
        verbose_name_plural = _("producer profiles")
        ordering = ["organization_id"]

    def __str__(self):
        return f"{self.organization} ({self.credit_code})"


class Household(models.Model):
    """A farmer household that sells to a cooperative. Only a masked ID number and its
    last four characters are kept (see ``services.mask_id_number``)."""

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="households",
        verbose_name=_("cooperative"),
    )
    head_name = models.CharField(_("head of household"), max_length=64)
    township = models.CharField(_("township"), max_length=64, blank=True)
    village = models.CharField(_("village"), max_length=64)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=18, blank=True)
    id_number_last4 = models.CharField(_("ID number (last 4)"), max_length=4, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    is_poverty_registered = models.BooleanField(_("registered poor household (建档立卡)"),
                                                default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["pk"]
        indexes = [models.Index(fields=["organization", "village"])]

    def __str__(self):
        return f"{self.head_name} ({self.village})"

    @property
    def public_name(self) -> str:
        """The name as the public trace page shows it: family name plus asterisks."""
        name = self.head_name or ""
        return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


class Base(models.Model):
    """A production base (基地): a field, orchard, pasture or workshop."""

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="bases",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=128)
    location = models.CharField(_("location"), max_length=255)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=10, decimal_places=2,
                                  validators=[MinValueValidator(Decimal("0"))])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("base")
        verbose_name_plural = _("bases")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Certification(models.Model):
    class Kind(models.TextChoices):
        GREEN = "green", _("Green food")
        ORGANIC = "organic", _("Organic")
        GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")
        SC = "sc", _("Food production licence (SC)")

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="certifications",
                             verbose_name=_("base"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=64)
    issuer = models.CharField(_("issued by"), max_length=128, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["base_id", "kind", "valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["base", "kind", "number"],
                                    name="unique_base_certification"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class SourcingLot(models.Model):
    """收购批次: what was bought from one household or base, when harvested, how much."""

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="sourcing_lots",
        verbose_name=_("organisation"),
    )
    lot_number = models.CharField(_("lot number"), max_length=32)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT,
                                related_name="sourcing_lots", verbose_name=_("product"))
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="sourcing_lots", verbose_name=_("household"))
    base = models.ForeignKey(Base, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="sourcing_lots", verbose_name=_("base"))
    harvested_on = models.DateField(_("harvest date"))
    received_at = models.DateTimeField(_("received at"))
    quantity_kg = models.DecimalField(_("quantity (kg)"), **KG, validators=POSITIVE_KG)
    unit_price = models.DecimalField(_("price per kg (CNY)"), **MONEY,
                                     validators=[MinValueValidator(Decimal("0"))])
    amount = models.DecimalField(_("amount paid (CNY)"), **MONEY)
    currency = models.CharField(max_length=3, default="CNY", verbose_name=_("currency"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sourcing lot")
        verbose_name_plural = _("sourcing lots")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "lot_number"],
                                    name="unique_sourcing_lot_number"),
            models.CheckConstraint(
                condition=models.Q(household__isnull=False) | models.Q(base__isnull=False),
                name="sourcing_lot_has_origin",
            ),
            models.CheckConstraint(condition=models.Q(quantity_kg__gt=0),
                                   name="sourcing_lot_quantity_positive"),
        ]

    def __str__(self):
        return self.lot_number


class Inspection(models.Model):
    """检测: a lab's result for one sourcing lot. The latest inspection decides."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    sourcing_lot = models.ForeignKey(SourcingLot, on_delete=models.CASCADE,
                                     related_name="inspections", verbose_name=_("sourcing lot"))
    lab = models.CharField(_("laboratory"), max_length=128)
    items = models.JSONField(_("items tested"), default=list, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    inspected_on = models.DateField(_("inspection date"))
    # Stored under a random name in the private area; read through the report view.
    report = models.FileField(_("report"), upload_to=RandomName("private/inspection-reports"),
                              blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["sourcing_lot_id", "inspected_on", "pk"]

    def __str__(self):
        return f"{self.sourcing_lot} {self.get_result_display()}"

    def report_path(self) -> str | None:
        """Where the report is downloaded (never its storage URL)."""
        return reverse("supplychain:inspection-report", args=[self.pk]) if self.report else None


class GradeStandard(models.Model):
    """分等分级标准: one grade of one product (特级/一级/二级) with its criteria."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE,
                                related_name="grade_standards", verbose_name=_("product"))
    name = models.CharField(_("grade"), max_length=32)
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    criteria = models.TextField(_("criteria"))

    class Meta:
        verbose_name = _("grade standard")
        verbose_name_plural = _("grade standards")
        ordering = ["product_id", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="unique_product_grade"),
        ]

    def __str__(self):
        return f"{self.product} {self.name}"


class GradingRecord(models.Model):
    """分等分级记录: input lots become graded lots plus loss; outputs + loss never exceed
    inputs (``services.record_grading`` enforces it under row locks)."""

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="grading_records",
        verbose_name=_("organisation"),
    )
    graded_at = models.DateTimeField(_("graded at"))
    loss_kg = models.DecimalField(_("loss (kg)"), **KG,
                                  validators=[MinValueValidator(Decimal("0"))])
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grading record")
        verbose_name_plural = _("grading records")
        ordering = ["-graded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(loss_kg__gte=0),
                                   name="grading_loss_not_negative"),
        ]


class GradingInput(models.Model):
    record = models.ForeignKey(GradingRecord, on_delete=models.CASCADE, related_name="inputs")
    sourcing_lot = models.ForeignKey(SourcingLot, on_delete=models.PROTECT,
                                     related_name="grading_inputs",
                                     verbose_name=_("sourcing lot"))
    quantity_kg = models.DecimalField(_("quantity (kg)"), **KG, validators=POSITIVE_KG)

    class Meta:
        verbose_name = _("grading input")
        verbose_name_plural = _("grading inputs")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["record", "sourcing_lot"],
                                    name="unique_grading_input"),
            models.CheckConstraint(condition=models.Q(quantity_kg__gt=0),
                                   name="grading_input_positive"),
        ]


class GradedLot(models.Model):
    """An output of a grading record: kilograms of one grade, ready to pack."""

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="graded_lots",
        verbose_name=_("organisation"),
    )
    record = models.ForeignKey(GradingRecord, on_delete=models.CASCADE, related_name="outputs",
                               verbose_name=_("grading record"))
    grade = models.ForeignKey(GradeStandard, on_delete=models.PROTECT,
                              related_name="graded_lots", verbose_name=_("grade"))
    lot_number = models.CharField(_("lot number"), max_length=20)
    quantity_kg = models.DecimalField(_("quantity (kg)"), **KG, validators=POSITIVE_KG)
    is_recalled = models.BooleanField(_("recalled"), default=False)

    class Meta:
        verbose_name = _("graded lot")
        verbose_name_plural = _("graded lots")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "lot_number"],
                                    name="unique_graded_lot_number"),
            models.CheckConstraint(condition=models.Q(quantity_kg__gt=0),
                                   name="graded_lot_positive"),
        ]

    def __str__(self):
        return f"{self.lot_number} {self.grade.name}"


class PackingRun(models.Model):
    """包装: N packages of one catalogue variant packed from one graded lot; adds N units to
    the variant's stock and issues N trace codes."""

    class LabelStatus(models.TextChoices):
        NONE = "none", _("Not requested")
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        "shop.Organization", on_delete=models.CASCADE, related_name="packing_runs",
        verbose_name=_("organisation"),
    )
    graded_lot = models.ForeignKey(GradedLot, on_delete=models.PROTECT,
                                   related_name="packing_runs", verbose_name=_("graded lot"))
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.PROTECT,
                                related_name="packing_runs", verbose_name=_("variant"))
    warehouse = models.ForeignKey("shop.Warehouse", on_delete=models.PROTECT,
                                  related_name="packing_runs", verbose_name=_("warehouse"))
    quantity = models.PositiveIntegerField(_("packages"))
    net_weight_kg = models.DecimalField(_("net weight per package (kg)"), **KG,
                                        validators=POSITIVE_KG)
    packed_at = models.DateTimeField(_("packed at"))
    packed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("packed by"))
    label_status = models.CharField(_("label sheet"), max_length=16,
                                    choices=LabelStatus.choices, default=LabelStatus.NONE)
    label_task_id = models.CharField(max_length=64, blank=True, verbose_name=_("label task ID"))
    # When the sheet being made was last queued: a run pending much longer lost its task
    # (a worker killed, the broker down) and is queued again by beat.
    label_requested_at = models.DateTimeField(null=True, blank=True, editable=False,
                                              verbose_name=_("label sheet requested at"))
    label_sheet = models.FileField(_("label sheet PDF"), upload_to="private/label-sheets",
                                   blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("packing run")
        verbose_name_plural = _("packing runs")
        ordering = ["-packed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0),
                                   name="packing_run_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.graded_lot.lot_number} × {self.quantity}"


class Disposition(models.TextChoices):
    """EPCIS 2.0 dispositions a code can be in (CBV names)."""

    ACTIVE = "active", _("In stock")
    IN_TRANSIT = "in_transit", _("In transit")
    RETAIL_SOLD = "retail_sold", _("Sold")
    RECALLED = "recalled", _("Recalled")
    # Sent back by its buyer and not sellable again (a package back on sale is active).
    RETURNED = "returned", _("Returned, not for sale")


class TraceCode(models.Model):
    """追溯码: one per package. ``code`` is random (80 bits, base32), never sequential;
    ``serial`` (1..N within the run) is the GS1 serial number (AI 21)."""

    code = models.CharField(_("trace code"), max_length=32, unique=True)
    packing_run = models.ForeignKey(PackingRun, on_delete=models.PROTECT,
                                    related_name="trace_codes", verbose_name=_("packing run"))
    serial = models.PositiveIntegerField(_("serial"))
    disposition = models.CharField(_("disposition"), max_length=16,
                                   choices=Disposition.choices, default=Disposition.ACTIVE)
    issued_at = models.DateTimeField(_("issued at"))
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    scan_count = models.PositiveIntegerField(_("scans"), default=0)
    first_scanned_at = models.DateTimeField(_("first scanned at"), null=True, blank=True)
    last_scanned_at = models.DateTimeField(_("last scanned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("trace code")
        verbose_name_plural = _("trace codes")
        ordering = ["packing_run_id", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["packing_run", "serial"], name="unique_run_serial"),
        ]

    def __str__(self):
        return self.code


class TraceEvent(models.Model):
    """One event of the journey, modelled on a GS1 EPCIS 2.0 ObjectEvent: what (a code, a
    packing run, a graded or sourcing lot), when, where (read point / business location),
    why (business step, disposition, reason) and who."""

    class BizStep(models.TextChoices):
        COMMISSIONING = "commissioning", _("Harvested and received")
        INSPECTING = "inspecting", _("Inspected")
        GRADING = "grading", _("Graded")
        PACKING = "packing", _("Packed")
        SHIPPING = "shipping", _("Shipped")
        RECEIVING = "receiving", _("Received")
        RETAIL_SELLING = "retail_selling", _("Sold")
        RECALLING = "recalling", _("Recalled")

    class Action(models.TextChoices):
        ADD = "ADD", "ADD"
        OBSERVE = "OBSERVE", "OBSERVE"
        DELETE = "DELETE", "DELETE"

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                                verbose_name=_("EPCIS event ID"))
    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE,
                                     related_name="trace_events",
                                     verbose_name=_("organisation"))
    biz_step = models.CharField(_("business step"), max_length=32, choices=BizStep.choices)
    disposition = models.CharField(_("disposition"), max_length=16, blank=True,
                                   choices=Disposition.choices)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices,
                              default=Action.OBSERVE)
    event_time = models.DateTimeField(_("time"), db_index=True)
    location = models.CharField(_("where"), max_length=255, blank=True)
    reason = models.CharField(_("why"), max_length=255, blank=True)
    # A reason the pavilion writes itself (not typed by a person): its key in
    # ``trace_texts.REASONS`` and its values, so each page shows it in its own language;
    # ``reason`` keeps it in Chinese for the export and the member's pages.
    reason_key = models.CharField(_("reason key"), max_length=32, blank=True)
    reason_params = models.JSONField(_("reason values"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("who"))
    sourcing_lot = models.ForeignKey(SourcingLot, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="events",
                                     verbose_name=_("sourcing lot"))
    graded_lot = models.ForeignKey(GradedLot, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events", verbose_name=_("graded lot"))
    packing_run = models.ForeignKey(PackingRun, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="events",
                                    verbose_name=_("packing run"))
    trace_code = models.ForeignKey(TraceCode, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="events", verbose_name=_("trace code"))
    quantity_kg = models.DecimalField(**KG, null=True, blank=True, verbose_name=_("quantity (kg)"))
    package_count = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("packages"))

    class Meta:
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        ordering = ["event_time", "pk"]

    def __str__(self):
        return f"{self.get_biz_step_display()} {self.event_time:%Y-%m-%d}"


class Scan(models.Model):
    """A look-up of a trace code by someone (QR scan, typed code, JSON or GraphQL)."""

    class Source(models.TextChoices):
        PAGE = "page", _("Trace page")
        DIGITAL_LINK = "digital_link", _("GS1 Digital Link")
        JSON = "json", _("JSON")
        GRAPHQL = "graphql", _("GraphQL")
        # A code texted to the pavilion's number (the reply says what the page would).
        SMS = "sms", _("Text message")
        # A touch screen in a showroom or shop: recorded, but neither counted in the
        # code's look-ups nor spending its first-scan notice (supplychain.kiosk).
        KIOSK = "kiosk", _("Touch screen")

    trace_code = models.ForeignKey(TraceCode, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="scans", verbose_name=_("trace code"))
    code_text = models.CharField(_("code as scanned"), max_length=64)
    scanned_at = models.DateTimeField(_("scanned at"), db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    network = models.CharField(_("network (coarse)"), max_length=48, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    never_issued = models.BooleanField(_("never issued"), default=False)
    before_shipping = models.BooleanField(_("before shipping"), default=False)
    too_many = models.BooleanField(_("scanned too often"), default=False)
    is_flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    # Set on scans that went through the Redis buffer: the batch writer inserts each once
    # (``ON CONFLICT DO NOTHING``), however often a batch is retried.
    idempotency_key = models.UUIDField(_("idempotency key"), null=True, blank=True,
                                       unique=True, editable=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-pk"]


class Recall(models.Model):
    """召回: a lot withdrawn with a reason and level; every code from it turns recalled."""

    class Level(models.TextChoices):
        # 食品召回管理办法: level 1 the most serious.
        LEVEL_1 = "level_1", _("Level 1 (serious health risk)")
        LEVEL_2 = "level_2", _("Level 2 (possible health risk)")
        LEVEL_3 = "level_3", _("Level 3 (labelling or quality)")

    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE,
                                     related_name="recalls", verbose_name=_("organisation"))
    sourcing_lot = models.ForeignKey(SourcingLot, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="recalls",
                                     verbose_name=_("sourcing lot"))
    graded_lot = models.ForeignKey(GradedLot, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="recalls", verbose_name=_("graded lot"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    reason = models.TextField(_("reason"))
    initiated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("initiated by"))
    created_at = models.DateTimeField(_("recalled at"))
    packing_runs = models.ManyToManyField(PackingRun, related_name="recalls", blank=True,
                                          verbose_name=_("affected packing runs"))
    affected_codes = models.PositiveIntegerField(_("affected codes"), default=0)
    withdrawn_units = models.PositiveIntegerField(_("unsold units withdrawn"), default=0)
    notified_at = models.DateTimeField(_("notifications sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sourcing_lot__isnull=False) | models.Q(graded_lot__isnull=False),
                name="recall_names_a_lot",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.reason[:40]}"


class RecallNotice(models.Model):
    """One person told about a recall (buyer or producer member); unique so a retried task
    never sends twice."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="notices")
    email = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "email"], name="unique_recall_notice"),
        ]


class ShippedCode(models.Model):
    """Which package (code) went out on which order line: a code knows its order and an
    order its codes. Recorded by ``services.ship_codes`` when a line is fulfilled."""

    trace_code = models.OneToOneField(TraceCode, on_delete=models.PROTECT,
                                      related_name="shipment", verbose_name=_("trace code"))
    order_line = models.ForeignKey("shop.OrderLine", on_delete=models.PROTECT,
                                   related_name="shipped_codes", verbose_name=_("order line"))
    shipped_at = models.DateTimeField(_("shipped at"))
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("shipped by"))

    class Meta:
        verbose_name = _("shipped code")
        verbose_name_plural = _("shipped codes")
        ordering = ["order_line_id", "pk"]
