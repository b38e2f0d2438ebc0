"""Codes texted to the pavilion's SMS number (上行短信, 短信追溯): each message the SMS
provider pushes is kept once, by its sender and the provider's sequence id, with what
became of it and the reply it got (``supplychain.sms_trace``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundSms(models.Model):
    """One text a consumer sent; a push repeated by the provider (or replayed by anyone)
    names the same sender and sequence id, so it is never kept, counted or answered twice."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting for a reply")
        # Over the sender's allowance (TRACE_SMS_PER_NUMBER): kept, neither looked up nor
        # answered.
        LIMITED = "limited", _("Over the sender's limit")
        # An opt-out (TD, 退订) or an empty text: no reply is due.
        IGNORED = "ignored", _("Needs no reply")
        REPLYING = "replying", _("Replying")
        REPLIED = "replied", _("Replied")
        FAILED = "failed", _("Reply not sent")

    phone = models.CharField(_("mobile number"), max_length=16)
    sequence_id = models.CharField(_("sequence id"), max_length=64)
    dest_code = models.CharField(_("extension"), max_length=32, blank=True)
    content = models.CharField(_("text"), max_length=255)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.RECEIVED)
    trace_code = models.ForeignKey("supplychain.TraceCode", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("trace code"))
    reply = models.CharField(_("reply"), max_length=500, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message received")
        verbose_name_plural = _("text messages received")
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["phone", "sequence_id"],
                                               name="unique_inbound_sms")]
        indexes = [models.Index(fields=["phone", "received_at"])]

    def __str__(self):
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.content[:20]}"
