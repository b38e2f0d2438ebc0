"""Forms of the host's and the operator's pages. They collect input in local time (the
county's zone) and hand instants to ``livestream.services``, whose errors go back next
to their field (``apply_service_errors``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductVariant
from livestream import services as live_services
from livestream.models import Broadcast, Host, Platform, Venue

from .forms import date_input, number
from .live_selectors import WEEKDAYS

LIVE_ALIASES = {"starts_at": "day", "ends_at": "duration_minutes", "variant_id": None,
                "offer": None,
                "channel": None, "time_zone": None, "flash_sale_starts_at": "flash_seconds",
                "flash_sale_seconds": "flash_seconds", "id": None}



def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class _Booking(forms.Form):
    """Who, where, how: shared by a broadcast and a weekly schedule. ``host`` is offered to
    operators only; a host books themselves."""

    title = forms.CharField(label=_("Title"), max_length=128)
    host = forms.ModelChoiceField(label=_("Host"), queryset=Host.objects.none(),
                                  empty_label=_("Choose…"))
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(),
                                   empty_label=_("Choose…"))
    start_time = forms.TimeField(label=_("Start (local time)"), widget=time_input())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1,
                                          initial=90,
                                          widget=number(inputmode="numeric", step="1"))
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    stream_url = forms.URLField(label=_("Stream link"), required=False, assume_scheme="https")

    def __init__(self, *args, host=None, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.filter(is_active=True)
        if host is not None and host.organization_id:
            # A host books their own organisation's rooms most: those first, the first
            # of them chosen; the other counties' venues follow.
            venues = venues.annotate(other=Case(
                When(organization_id=host.organization_id, then=Value(0)), default=Value(1)))
            own = venues.filter(other=0).order_by("name").first()
            if own is not None and not self.initial.get("venue"):
                self.initial["venue"] = own.pk
            venues = venues.order_by("other", "name")
        else:
            venues = venues.order_by("name")
        self.fields["venue"].queryset = venues
        if host is None:
            self.fields["host"].queryset = Host.objects.filter(is_active=True).order_by(
                "display_name")
        else:
            del self.fields["host"]
        self.own_host = host

    def booking_host(self):
        return self.own_host or self.cleaned_data["host"]


class BroadcastForm(_Booking):
    day = forms.DateField(label=_("Day"), widget=date_input(), initial=timezone.localdate)
    plan_notes = forms.CharField(label=_("Plan"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["title", "host", "venue", "day", "start_time", "duration_minutes",
                   "platform", "stream_url", "plan_notes"]

    def instants(self):
        data = self.cleaned_data
        starts_at = datetime.combine(data["day"], data["start_time"]).replace(
            tzinfo=live_services.local_zone())
        return starts_at, starts_at + timedelta(minutes=data["duration_minutes"])


class ScheduleForm(_Booking):
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts_on = forms.DateField(label=_("First day"), widget=date_input(),
                                initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Last day"), required=False, widget=date_input())

    field_order = ["title", "host", "venue", "weekday", "start_time", "duration_minutes",
                   "platform", "stream_url", "starts_on", "ends_on"]


class LineupAddForm(forms.Form):
    """One offer (or one of the host's own goods) put in the line-up: live price, units held
    for the broadcast, limit per buyer."""

    offer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    variant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    live_price = forms.DecimalField(label=_("Live price"), min_value=0, decimal_places=2,
                                    widget=number())
    quantity = forms.IntegerField(label=_("Live allocation"), min_value=1,
                                  widget=number(inputmode="numeric", step="1"))
    per_buyer_limit = forms.IntegerField(label=_("Limit per buyer"), required=False,
                                         min_value=1,
                                         widget=number(inputmode="numeric", step="1"))


class OfferForm(forms.Form):
    """A cooperative's consent to have one of its goods sold live."""

    variant = forms.ModelChoiceField(label=_("Product"),
                                     queryset=ProductVariant.objects.none(),
                                     empty_label=_("Choose…"))
    min_live_price = forms.DecimalField(label=_("Lowest live price"), min_value=0,
                                        decimal_places=2, widget=number())
    max_quantity = forms.IntegerField(label=_("At most (units)"), min_value=1,
                                      widget=number(inputmode="numeric", step="1"))
    broadcast = forms.ModelChoiceField(label=_("Broadcast"), required=False,
                                       queryset=Broadcast.objects.none(),
                                       empty_label=_("Any broadcast"))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=date_input(),
                                  help_text=_("Empty: until you withdraw it."))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].queryset = (ProductVariant.objects
                                           .filter(product__organization=organization)
                                           .select_related("product")
                                           .order_by("product__name", "sku"))
        self.fields["variant"].label_from_instance = lambda v: f"{v.product.name} · {v.name}"
        self.fields["broadcast"].queryset = (Broadcast.objects.filter(
            status__in=[Broadcast.Status.SCHEDULED, Broadcast.Status.LIVE],
            ends_at__gt=timezone.now()).order_by("starts_at"))
        self.fields["broadcast"].label_from_instance = lambda b: "{} {}".format(
            timezone.localtime(b.starts_at).strftime("%m-%d %H:%M"), b.title)

    def valid_until_instant(self):
        """The end of the chosen day, local time."""
        day = self.cleaned_data["valid_until"]
        if day is None:
            return None
        return datetime.combine(day + timedelta(days=1), datetime.min.time()).replace(
            tzinfo=live_services.local_zone())


class LineupChangeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    live_price = forms.DecimalField(label=_("Live price"), min_value=0, decimal_places=2,
                                    widget=number())
    quantity = forms.IntegerField(label=_("Live allocation"), min_value=1,
                                  widget=number(inputmode="numeric", step="1"))
    per_buyer_limit = forms.IntegerField(label=_("Limit per buyer"), required=False,
                                         min_value=1,
                                         widget=number(inputmode="numeric", step="1"))


class LineupRemoveForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)


class FlashSaleForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    flash_seconds = forms.IntegerField(label=_("Seconds"), min_value=10, max_value=3600,
                                       initial=60, widget=number(inputmode="numeric", step="1"))


class ConsoleActionForm(forms.Form):
    """Going live or pinning: nothing to type; the service's refusal is shown on it."""


class EndForm(forms.Form):
    viewer_count = forms.IntegerField(label=_("Viewers"), required=False, min_value=0,
                                      widget=number(inputmode="numeric", step="1"))


class ReviewNotesForm(forms.Form):
    review_notes = forms.CharField(label=_("Review notes"), max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 5}))
