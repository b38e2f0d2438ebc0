"""Verification codes (验证码): six digits sent to a mobile number (by text message) or
to an e-mail address; typing them back proves that the person at the keyboard receives
messages there. An invitation to join an organisation is accepted only with one sent to
the invited address, so a forwarded or overheard link is of no use to anyone else.

A code is made when its message leaves (``shop.tasks.send_verification_code``) and kept
only as a keyed hash; it works once, for ``CODE_MINUTES``, and dies after
``CODE_ATTEMPTS`` wrong tries. The rules, and the limits on how often codes are sent, are
``shop.services.verification``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerificationCode(models.Model):
    # An 11-digit mainland mobile number, or an e-mail address in lower case.
    address = models.CharField(_("sent to"), max_length=254)
    code_hash = models.CharField(_("code (hashed)"), max_length=64, blank=True,
                                 editable=False)
    # A digest of the client's address, for the per-client sending limit.
    client = models.CharField(_("asked from"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # SIGN_IN: asked on a sign-in page, texted only if an account signs in with the number
    # (the asker is answered alike either way); "" for any other proof of an address.
    purpose = models.CharField(_("purpose"), max_length=16, blank=True)

    SIGN_IN = "sign_in"

    class Meta:
        app_label = "shop"
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["address", "created_at"]),
                   models.Index(fields=["client", "created_at"]),
                   models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.address} ({self.created_at:%Y-%m-%d %H:%M})"
