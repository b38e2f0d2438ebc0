"""Who joins an organisation, and which organisations join the pavilion.

``Invitation``: an organisation's administrator asks a colleague, by mobile number or
e-mail address, to join with a role; the link carries ``token`` (texted as the SMS
template's ``number``, so at most 35 characters) and works once, until ``expires_at``
(``MEMBER_INVITATION_DAYS`` after it was sent).

``OrganizationApplication`` (入驻申请): a signed-in person applies for a new cooperative or
enterprise; the organisation exists from then on, inactive, with the applicant as its
administrator, and the operator's decision activates it or refuses it with a reason. The
business licence photo lives under ``private/`` (read through a checked view).

The rules are in ``shop.services.memberships`` and ``shop.services.organizations``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .uploads import RandomName

# A role of a membership (``Membership.Role``'s values, named here to avoid importing it).
ROLE_CHOICES = (("admin", _("Administrator")), ("member", _("Member")))


class Invitation(models.Model):
    organization = models.ForeignKey("shop.Organization", on_delete=models.CASCADE,
                                     related_name="invitations",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=16, choices=ROLE_CHOICES, default="member")
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    token = models.CharField(_("token"), max_length=32, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("accepted by"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(phone="", email=""),
                                   name="invitation_has_an_address"),
        ]

    def __str__(self):
        return f"{self.phone or self.email} → {self.organization_id}"

    @property
    def address(self) -> str:
        return self.phone or self.email

    @property
    def is_open(self) -> bool:
        return (self.accepted_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())


class OrganizationApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Under review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    organization = models.OneToOneField("shop.Organization", on_delete=models.CASCADE,
                                        related_name="application",
                                        verbose_name=_("organisation"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="organization_applications",
                                  verbose_name=_("applicant"))
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    licence_photo = models.FileField(_("business licence photo"),
                                     upload_to=RandomName("private/join-licences"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live application (or organisation) per credit code; a refused one may
            # be sent again.
            models.UniqueConstraint(fields=["credit_code"],
                                    condition=~models.Q(status="refused"),
                                    name="one_live_application_per_credit_code"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.organization} ({self.get_status_display()})"
