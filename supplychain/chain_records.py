"""The records of the whole chain for livestock and food (泽库's yaks and sheep, 宁陕's
honey and mushrooms), beside the sourcing lots they explain: farm inputs (feed,
fertiliser, veterinary drugs with their withdrawal periods), slaughter and processing
steps, and cold-chain temperature logs uploaded from a data logger, with the spans out of
the allowed range flagged. ``supplychain.services.chain`` records them; the trace page
shows them as a timeline and the EPCIS export carries them.

A record is never deleted or edited: a wrong one is *voided* with a reason (and, when it
was typed wrong rather than never happened, the record entered in its place), so the
member's history keeps it, the trace page leaves it out and the EPCIS export declares it
an error (``errorDeclaration``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainRecord(models.Model):
    """What every chain record keeps besides its facts: who recorded it and when, and its
    void when the cooperative found it wrong."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("voided by"))
    void_reason = models.CharField(_("why voided"), max_length=255, blank=True)
    # The record entered in its place (same kind, same lot), when this one had wrong data.
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("replaced by"))

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(
            condition=models.Q(voided_at__isnull=True, void_reason="", replaced_by__isnull=True)
            | (models.Q(voided_at__isnull=False) & ~models.Q(void_reason="")),
            name="%(class)s_void_has_reason")]

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


def _lot(related_name: str, **options):
    return models.ForeignKey("supplychain.SourcingLot", on_delete=models.CASCADE,
                             related_name=related_name, verbose_name=_("sourcing lot"),
                             **options)


class FarmInput(ChainRecord):
    """投入品: something given to the animals or the crop of a sourcing lot."""

    class Kind(models.TextChoices):
        FEED = "feed", _("Feed")
        FERTILISER = "fertiliser", _("Fertiliser")
        VETERINARY_DRUG = "veterinary_drug", _("Veterinary drug")
        PESTICIDE = "pesticide", _("Pesticide")

    sourcing_lot = _lot("farm_inputs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=128)
    batch_number = models.CharField(_("batch number"), max_length=64, blank=True)
    quantity = models.CharField(_("quantity"), max_length=64, blank=True)
    applied_on = models.DateField(_("applied on"))
    # 休药期 / 安全间隔期: days after use before the animals or the crop may be sold.
    withdrawal_days = models.PositiveSmallIntegerField(_("withdrawal period (days)"), default=0)

    class Meta(ChainRecord.Meta):
        verbose_name = _("farm input")
        verbose_name_plural = _("farm inputs")
        ordering = ["applied_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def withdrawal_ends_on(self):
        """The first day the lot may be packed for sale again."""
        return self.applied_on + timedelta(days=self.withdrawal_days)


class ProcessingStep(ChainRecord):
    """屠宰与加工: one step from the animal or the harvest to the product."""

    class Kind(models.TextChoices):
        SLAUGHTER = "slaughter", _("Slaughter")
        CUTTING = "cutting", _("Cutting")
        CHILLING = "chilling", _("Chilling and ageing")
        FREEZING = "freezing", _("Freezing")
        DRYING = "drying", _("Drying")
        EXTRACTING = "extracting", _("Extracting")
        OTHER = "other", _("Other processing")

    sourcing_lot = _lot("processing_steps")
    kind = models.CharField(_("step"), max_length=16, choices=Kind.choices)
    performed_at = models.DateTimeField(_("performed at"))
    location = models.CharField(_("where"), max_length=255, blank=True)
    # 动物检疫合格证明 (slaughter) or the plant's licence number.
    certificate = models.CharField(_("certificate number"), max_length=64, blank=True)
    notes = models.CharField(_("notes"), max_length=255, blank=True)

    class Meta(ChainRecord.Meta):
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["performed_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.performed_at:%Y-%m-%d}"


class ColdChainLog(ChainRecord):
    """冷链温度记录: one logger's readings for a lot in store or a packing run on its way,
    against the allowed range; ``excursions`` are the spans outside it."""

    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE,
                                     related_name="cold_chain_logs",
                                     verbose_name=_("organisation"))
    sourcing_lot = _lot("cold_chain_logs", null=True, blank=True)
    packing_run = models.ForeignKey("supplychain.PackingRun", null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="cold_chain_logs",
                                    verbose_name=_("packing run"))
    device = models.CharField(_("logger"), max_length=64, blank=True)
    min_celsius = models.DecimalField(_("lowest allowed (°C)"), max_digits=5, decimal_places=1)
    max_celsius = models.DecimalField(_("highest allowed (°C)"), max_digits=5, decimal_places=1)
    started_at = models.DateTimeField(_("first reading"))
    ended_at = models.DateTimeField(_("last reading"))
    reading_count = models.PositiveIntegerField(_("readings"))
    lowest = models.DecimalField(_("lowest reading (°C)"), max_digits=5, decimal_places=2)
    highest = models.DecimalField(_("highest reading (°C)"), max_digits=5, decimal_places=2)
    # [{"start": iso, "end": iso, "readings": n, "lowest": "x", "highest": "y"}]
    excursions = models.JSONField(_("out-of-range spans"), default=list, blank=True)

    class Meta(ChainRecord.Meta):
        verbose_name = _("cold-chain log")
        verbose_name_plural = _("cold-chain logs")
        ordering = ["started_at", "pk"]
        constraints = [*ChainRecord.Meta.constraints, models.CheckConstraint(
            condition=models.Q(sourcing_lot__isnull=False) | models.Q(packing_run__isnull=False),
            name="cold_chain_log_has_subject")]

    def __str__(self):
        return f"{self.device or '—'} {self.started_at:%Y-%m-%d}"


class TemperatureReading(models.Model):
    log = models.ForeignKey(ColdChainLog, on_delete=models.CASCADE, related_name="readings")
    recorded_at = models.DateTimeField()
    celsius = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["log", "recorded_at"])]

    def __str__(self):
        return f"{self.celsius} °C"
