"""A user's address book (Saleor's ``User.addresses`` with the default shipping and
billing address): each entry owns its Address row; at most one entry per user is the
default of each kind. The rules are in ``shop.services.addresses``."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserAddress(models.Model):
    user = models.ForeignKey("shop.User", on_delete=models.CASCADE, related_name="address_book",
                             verbose_name=_("user"))
    address = models.OneToOneField("shop.Address", on_delete=models.CASCADE,
                                   related_name="book_entry", verbose_name=_("address"))
    is_default_shipping = models.BooleanField(_("default shipping address"), default=False)
    is_default_billing = models.BooleanField(_("default billing address"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("address book entry")
        verbose_name_plural = _("address book entries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(is_default_shipping=True),
                                    name="one_default_shipping_address"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(is_default_billing=True),
                                    name="one_default_billing_address"),
        ]

    def __str__(self):
        return f"{self.user} · {self.address}"
