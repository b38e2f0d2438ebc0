"""Forms of a sourcing lot's chain records: a farm input (with its withdrawal period), a
slaughter or processing step, a cold-chain logger's CSV. Input only; the rules (future
dates, withdrawal periods, the CSV's readings, the allowed range) are
``supplychain.services.chain``'s."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supplychain.models import FarmInput, ProcessingStep

from .forms import date_input, number


class FarmInputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FarmInput.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=128,
                           help_text=_("e.g. 青贮饲料, 伊维菌素注射液"))
    applied_on = forms.DateField(label=_("Used on"), widget=date_input())
    withdrawal_days = forms.IntegerField(
        label=_("Withdrawal period (days)"), min_value=0, initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("休药期 of a veterinary drug, 安全间隔期 of a pesticide: the lot is not "
                    "slaughtered or packed for sale before it ends."))
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=64,
                               help_text=_("e.g. 2 吨, 每头 5 ml"))
    batch_number = forms.CharField(label=_("Batch number"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("applied_on", timezone.localdate())


class ProcessingStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=ProcessingStep.Kind.choices)
    performed_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M"))
    location = forms.CharField(label=_("Where"), required=False, max_length=255)
    certificate = forms.CharField(label=_("Certificate number"), required=False, max_length=64,
                                  help_text=_("动物检疫合格证明 for a slaughter, or the plant's "
                                              "licence number."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("performed_at",
                                timezone.localtime().replace(second=0, microsecond=0))


class ColdChainLogForm(forms.Form):
    file = forms.FileField(label=_("Logger file (CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
                           help_text=_("A header line, then the time and the temperature in "
                                       "°C on each line, as the logger exports them."))
    min_celsius = forms.DecimalField(label=_("Lowest allowed (°C)"), decimal_places=1,
                                     initial=0, widget=number())
    max_celsius = forms.DecimalField(label=_("Highest allowed (°C)"), decimal_places=1,
                                     initial=4, widget=number())
    device = forms.CharField(label=_("Logger"), required=False, max_length=64,
                             help_text=_("Its serial number or the truck it rode in."))



class VoidRecordForm(forms.Form):
    """Voiding a wrong record: why, and the record entered in its place, if it was."""

    reason = forms.CharField(label=_("Why it is wrong"), max_length=255)
    replaced_by = forms.TypedChoiceField(label=_("Recorded again as"), required=False,
                                         coerce=int, empty_value=None)

    def __init__(self, *args, replacements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.replacements = {r.pk: r for r in replacements}
        self.fields["replaced_by"].choices = [("", _("Not recorded again"))] + [
            (r.pk, str(r)) for r in replacements]
