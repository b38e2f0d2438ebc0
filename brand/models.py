"""Regional public brands (区域公用品牌 / collective trademarks) and their licensing: the
brand and the categories it covers with their standards, applications and their review,
public notices with objections, licences with label quotas, usage reports and violations
(the notifications sent about them are ``shop.models.Notification`` rows).

Every state change that matters to a person is an event row (``ApplicationEvent``,
``LicenceEvent``) saying who, when and why; services in ``brand.services`` write them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.uploads import RandomName

MONEY = {"max_digits": 14, "decimal_places": 2}
KG = {"max_digits": 14, "decimal_places": 3}


class RegionalBrand(models.Model):
    """A county's regional public brand, registered as a collective trademark and owned by
    the brand authority (an ``Organization`` of kind ``brand_authority``)."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    code = models.CharField(
        _("licence number prefix"), max_length=8, unique=True,
        help_text=_("Upper-case letters, e.g. MC: licence numbers read MC-2026-0001."),
    )
    county = models.CharField(_("county"), max_length=64)
    authority = models.ForeignKey(
        "shop.Organization", on_delete=models.PROTECT, related_name="regional_brands",
        verbose_name=_("brand authority"),
    )
    pavilion = models.ForeignKey(
        "catalog.Pavilion", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="regional_brands", verbose_name=_("pavilion"),
    )
    trademark_number = models.CharField(_("collective trademark registration number"),
                                        max_length=32, blank=True)
    logo = models.ImageField(_("logo"), upload_to="brand-logos", blank=True)
    slogan = models.CharField(_("slogan"), max_length=255, blank=True)
    story = models.TextField(_("story"), blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("public notice period (days)"), default=5, validators=[MinValueValidator(5)])
    validity_years = models.PositiveSmallIntegerField(
        _("licence validity (years)"), default=3, validators=[MinValueValidator(1)])
    default_label_quota = models.PositiveIntegerField(_("default annual label quota"),
                                                      default=10000)
    categories = models.ManyToManyField(
        "catalog.Category", through="BrandCategory", related_name="regional_brands",
        verbose_name=_("categories covered"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("regional brand")
        verbose_name_plural = _("regional brands")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class BrandCategory(models.Model):
    """A category the brand covers (its sub-categories included) and the standard a
    product of it must meet to carry the brand."""

    brand = models.ForeignKey(RegionalBrand, on_delete=models.CASCADE,
                              related_name="category_standards", verbose_name=_("brand"))
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("category"))
    max_inspection_age_days = models.PositiveIntegerField(
        _("inspection passed within (days)"), null=True, blank=True)
    min_grade = models.CharField(_("minimum grade"), max_length=32, blank=True)
    requires_sc_certificate = models.BooleanField(_("SC food production licence required"),
                                                  default=False)
    standard = models.TextField(_("standard"), blank=True)

    class Meta:
        verbose_name = _("category standard")
        verbose_name_plural = _("category standards")
        ordering = ["brand_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "category"], name="unique_brand_category")
        ]

    def __str__(self):
        return f"{self.brand} · {self.category}"


class LicenceApplication(models.Model):
    """品牌使用申请表: an organisation asks to put the brand on some products or categories."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ONSITE_CHECK = "onsite_check", _("On-site check")
        PUBLIC_NOTICE = "public_notice", _("Public notice")
        GRANTED = "granted", _("Granted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    CLOSED = (Status.GRANTED, Status.REJECTED, Status.WITHDRAWN)

    brand = models.ForeignKey(RegionalBrand, on_delete=models.PROTECT,
                              related_name="applications", verbose_name=_("brand"))
    applicant = models.ForeignKey("shop.Organization", on_delete=models.PROTECT,
                                  related_name="brand_applications", verbose_name=_("applicant"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+",
                                        verbose_name=_("categories"))
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+",
                                      verbose_name=_("products"))
    grades = models.CharField(_("grades"), max_length=128, blank=True,
                              help_text=_("Grades to be labelled, e.g. 特级, 一级."))
    bases = models.TextField(_("production bases"), blank=True)
    estimated_annual_volume_kg = models.DecimalField(
        _("estimated annual volume (kg)"), **KG, default=0, validators=[MinValueValidator(0)])
    requested_label_quota = models.PositiveIntegerField(_("requested annual labels"), default=0)
    note = models.TextField(_("note"), blank=True)
    # Set by the authority's approval; the licence is granted with these.
    approved_label_quota = models.PositiveIntegerField(_("approved annual labels"), null=True,
                                                       blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reasons for rejection"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.applicant} → {self.brand}"

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class ApplicationDocument(models.Model):
    """A document uploaded with an application: business licence, SC certificate, inspection
    report, ... Documents with an expiry date must be valid when the application is sent."""

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        SC_CERTIFICATE = "sc_certificate", _("SC food production licence")
        INSPECTION_REPORT = "inspection_report", _("Inspection report")
        CERTIFICATION = "certification", _("Green, organic or origin certification")
        OTHER = "other", _("Other")

    application = models.ForeignKey(LicenceApplication, on_delete=models.CASCADE,
                                    related_name="documents", verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=128, blank=True)
    number = models.CharField(_("certificate number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Private: stored under a random name outside the public media, read through a view
    # that lets only the applicant, the authority and operators download it.
    file = models.FileField(_("file"), upload_to=RandomName("private/brand-documents"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["pk"]

    def download_path(self) -> str:
        """Where the document is downloaded by those who may read it."""
        return reverse("brand:document", args=[self.pk])


class ApplicationEvent(models.Model):
    """The application's history: what happened, who did it, when and why."""

    class Type(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        DOCUMENT_ADDED = "document_added", _("Document added")
        SUBMITTED = "submitted", _("Submitted")
        REVIEW_STARTED = "review_started", _("Review started")
        ONSITE_CHECK = "onsite_check", _("On-site check scheduled")
        APPROVED = "approved", _("Approved; public notice opened")
        OBJECTION_LODGED = "objection_lodged", _("Objection lodged")
        OBJECTION_RESOLVED = "objection_resolved", _("Objection resolved")
        NOTICE_CLOSED = "notice_closed", _("Public notice closed")
        GRANTED = "granted", _("Licence granted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        INFORMATION_PROVIDED = "information_provided", _("Information provided")
        INFORMATION_WITHDRAWN = "information_withdrawn", _("Question withdrawn")

    application = models.ForeignKey(LicenceApplication, on_delete=models.CASCADE,
                                    related_name="events", verbose_name=_("application"))
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    date = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    message = models.TextField(_("reason"), blank=True)
    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["date", "pk"]


class ApplicationQuestion(models.Model):
    """补充材料: during the review the authority asks the applicant for information; the
    applicant answers in text, with a document when one is asked for. The application
    keeps its status meanwhile: an unanswered question is what shows it waits on the
    applicant. ``asked_notice_at``/``answer_notice_at`` record that the other side was told
    (once each, by ``brand.tasks.notify_question``). A question asked by mistake is
    withdrawn by the authority before it is answered, with the reason kept
    (``withdrawn_notice_at``: the applicant was told)."""

    application = models.ForeignKey(LicenceApplication, on_delete=models.CASCADE,
                                    related_name="questions", verbose_name=_("application"))
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("asked by"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    document = models.ForeignKey(ApplicationDocument, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("document sent with the answer"))
    asked_notice_at = models.DateTimeField(_("applicant told at"), null=True, blank=True)
    answer_notice_at = models.DateTimeField(_("authority told at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("withdrawn by"))
    withdrawal_reason = models.TextField(_("why withdrawn"), blank=True)
    withdrawn_notice_at = models.DateTimeField(_("applicant told of the withdrawal at"),
                                               null=True, blank=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["asked_at", "pk"]
        constraints = [
            # An answer has its text and its time, or neither.
            models.CheckConstraint(
                condition=(models.Q(answered_at__isnull=True, answer="")
                           | (models.Q(answered_at__isnull=False) & ~models.Q(answer=""))),
                name="question_answer_complete"),
            # A withdrawal has its reason and its time, or neither; an answered question
            # is not withdrawn.
            models.CheckConstraint(
                condition=(models.Q(withdrawn_at__isnull=True, withdrawal_reason="")
                           | (models.Q(withdrawn_at__isnull=False, answered_at__isnull=True)
                              & ~models.Q(withdrawal_reason=""))),
                name="question_withdrawal_complete"),
        ]

    def __str__(self):
        return self.question[:60]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None


class Licence(models.Model):
    """授权: the right to put the brand on the scoped products, for a period, within an
    annual label quota. Its number is readable and URL-safe (``MC-2026-0001``)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    number = models.CharField(_("licence number"), max_length=32, unique=True)
    brand = models.ForeignKey(RegionalBrand, on_delete=models.PROTECT, related_name="licences",
                              verbose_name=_("brand"))
    licensee = models.ForeignKey("shop.Organization", on_delete=models.PROTECT,
                                 related_name="brand_licences", verbose_name=_("licensee"))
    application = models.OneToOneField(LicenceApplication, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="licence",
                                       verbose_name=_("application"))
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+",
                                        verbose_name=_("categories"))
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+",
                                      verbose_name=_("products"))
    grades = models.CharField(_("grades"), max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    annual_label_quota = models.PositiveIntegerField(_("annual label quota"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["licensee", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="licence_valid_period"),
        ]

    def __str__(self):
        return self.number

    def is_in_force(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.status == self.Status.ACTIVE
                and self.valid_from <= today <= self.valid_until)


class LicenceEvent(models.Model):
    """The licence's history: granted, renewed, suspended, reinstated, revoked, expired,
    reminded, warned, reported ... with who, when and why."""

    class Type(models.TextChoices):
        GRANTED = "granted", _("Granted")
        RENEWED = "renewed", _("Renewed")
        SUSPENDED = "suspended", _("Suspended")
        REINSTATED = "reinstated", _("Reinstated")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        EXPIRY_REMINDER = "expiry_reminder", _("Expiry reminder sent")
        WARNED = "warned", _("Warned")
        VIOLATION_RECORDED = "violation_recorded", _("Violation recorded")
        USAGE_REPORTED = "usage_reported", _("Annual usage reported")
        LABELS_ISSUED = "labels_issued", _("Brand labels issued")
        RENEWAL_REQUESTED = "renewal_requested", _("Renewal requested")

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("licence"))
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    date = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", verbose_name=_("by"))
    message = models.TextField(_("reason"), blank=True)
    parameters = models.JSONField(default=dict, blank=True, verbose_name=_("details"))

    class Meta:
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")
        ordering = ["date", "pk"]


class PublicNotice(models.Model):
    """公示: a grant proposal (before the licence) or a revocation (after it), on the public
    notice page for at least the brand's notice period; anyone may object while it is open."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Proposed licence")
        REVOCATION = "revocation", _("Revocation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open for objections")
        CLOSED = "closed", _("Closed")

    brand = models.ForeignKey(RegionalBrand, on_delete=models.CASCADE, related_name="notices",
                              verbose_name=_("brand"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    application = models.ForeignKey(LicenceApplication, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="notices",
                                    verbose_name=_("application"))
    licence = models.ForeignKey(Licence, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notices", verbose_name=_("licence"))
    organization = models.ForeignKey("shop.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="notice_period_positive"),
        ]

    def __str__(self):
        return self.title

    def is_open_for_objections(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.starts_at <= now < self.ends_at


class Objection(models.Model):
    """异议: lodged by anyone during a notice; the authority upholds or dismisses it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE,
                               related_name="objections", verbose_name=_("notice"))
    name = models.CharField(_("name"), max_length=64)
    contact = models.CharField(_("contact"), max_length=128)
    reason = models.TextField(_("reason"))
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at", "pk"]


class LabelUse(models.Model):
    """Brand-labelled codes issued under a licence (e.g. by one packing run). ``reference``
    makes issuing idempotent: the same reference never counts twice."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="label_uses",
                                verbose_name=_("licence"))
    product = models.ForeignKey("catalog.Product", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("product"))
    year = models.PositiveSmallIntegerField(_("year"))
    count = models.PositiveIntegerField(_("labels"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("booked by"))

    class Meta:
        verbose_name = _("brand label use")
        verbose_name_plural = _("brand label uses")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["licence", "year"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gt=0), name="label_use_positive"),
        ]


class UsageReport(models.Model):
    """品牌应用销售记录: the licensee's annual report of what it sold under the brand."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="usage_reports",
                                verbose_name=_("licence"))
    year = models.PositiveSmallIntegerField(_("year"))
    volume_sold_kg = models.DecimalField(_("volume sold (kg)"), **KG,
                                         validators=[MinValueValidator(0)])
    sales_amount = models.DecimalField(_("sales (CNY)"), **MONEY,
                                       validators=[MinValueValidator(0)])
    codes_used = models.PositiveIntegerField(_("brand labels used"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("usage report")
        verbose_name_plural = _("usage reports")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "year"], name="unique_usage_report_year")
        ]


class Violation(models.Model):
    """A breach of the brand's rules found by the authority, and what it did about it."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        SCAN_FLAG = "scan_flag", _("Flagged scans")
        COMPLAINT = "complaint", _("Complaint")
        PATROL = "patrol", _("Market check")

    class Action(models.TextChoices):
        NONE = "none", _("Recorded only")
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        REVOCATION = "revocation", _("Revocation")

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="violations",
                                verbose_name=_("licence"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    description = models.TextField(_("description"))
    action = models.CharField(_("measure taken"), max_length=16, choices=Action.choices,
                              default=Action.NONE)
    reason = models.TextField(_("reason"), blank=True)
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-recorded_at", "-pk"]


class UsageReportReminder(models.Model):
    """One reminder that a year's usage report is due (by 31 March of the next year); unique
    so each is sent once per licence, year and reminder, however often the task runs."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE,
                                related_name="report_reminders", verbose_name=_("licence"))
    year = models.PositiveSmallIntegerField(_("year reported"))
    days_before = models.PositiveSmallIntegerField(_("days before the due date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("usage report reminder")
        verbose_name_plural = _("usage report reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "year", "days_before"],
                                    name="unique_usage_report_reminder")
        ]

    def __str__(self):
        return f"{self.licence_id} {self.year} -{self.days_before}"


class ExpiryReminder(models.Model):
    """One reminder sent before a licence expires; unique so each is sent once per expiry
    date (a renewal moves the date and the reminders start again)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="reminders",
                                verbose_name=_("licence"))
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    valid_until = models.DateField(_("valid until"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "days_before", "valid_until"],
                                    name="unique_expiry_reminder")
        ]
