"""Forms of the producer's workbench. They collect input (types, required fields, choices
limited to the organisation's own records); the rules are the services', whose
``ValidationError`` is put back next to the field it names (``apply_service_errors``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Pavilion, ProductType
from supplychain.models import Certification, Inspection, Recall

# Services name some fields as the API does (camelCase) or more generally than a form.
FIELD_ALIASES = {
    "costPrice": "cost_price", "channelId": "price", "quantityLimitPerCustomer": "sku",
    "updateChannels": None, "attributes": "grade", "inputs": None, "outputs": None,
    "lot": None, "order": None, "lines": None, "order_line_id": None,
}


def apply_service_errors(form: forms.Form, error: ValidationError, aliases=None) -> None:
    """Put a service's ``ValidationError`` on ``form``: on the field it names (or its
    alias), else as a form-wide error. The message is the service's own."""
    aliases = {**FIELD_ALIASES, **(aliases or {})}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = aliases.get(field, field) if field not in form.fields else field
            if target not in form.fields:
                target = None
            for item in errors:
                for message in item.messages:
                    form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def number(**attrs):
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", **attrs})


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Products -------------------------------------------------------------------------------------

class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product name"), max_length=250)
    product_type = forms.ModelChoiceField(label=_("Product type"), empty_label=_("Choose…"),
                                          queryset=ProductType.objects.order_by("name"))
    category = forms.ModelChoiceField(label=_("Category"), required=False, empty_label=_("(none)"),
                                      queryset=Category.objects.order_by("name"))
    pavilion = forms.ModelChoiceField(label=_("Pavilion"), required=False, empty_label=_("(none)"),
                                      queryset=Pavilion.objects.order_by("sort_order", "slug"))
    weight = forms.DecimalField(label=_("Weight (kg)"), required=False, min_value=0,
                                decimal_places=3, widget=number())
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "category": data["category"],
                "pavilion": data["pavilion"], "weight": data["weight"],
                "description": data["description"]}


class VariantForm(forms.Form):
    """A variant with its price (and cost price) in each channel."""

    sku = forms.CharField(label=_("Item number (SKU)"), max_length=64,
                          help_text=_("Your own code for it, unique in your shop, e.g. hetao-1kg"))
    name = forms.CharField(label=_("Variant name"), required=False, max_length=255,
                           help_text=_("As shoppers see it, e.g. 特级 500g"))
    grade = forms.CharField(label=_("Grade"), required=False, max_length=64)
    weight = forms.DecimalField(label=_("Net weight (kg)"), required=False, min_value=0,
                                decimal_places=3, widget=number())

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = list(channels)
        for channel in self.channels:
            self.fields[f"price_{channel.pk}"] = forms.DecimalField(
                label=_("Price in %(channel)s (CNY)") % {"channel": channel.name},
                decimal_places=2, min_value=0, widget=number())
            self.fields[f"cost_{channel.pk}"] = forms.DecimalField(
                label=_("Cost price in %(channel)s (CNY)") % {"channel": channel.name},
                decimal_places=2, min_value=0, required=False, widget=number())

    def variant_changes(self) -> dict:
        data = self.cleaned_data
        changes = {"sku": data["sku"], "name": data["name"], "weight": data["weight"]}
        if data["grade"]:
            changes["attributes"] = [{"slug": "grade", "values": [data["grade"]]}]
        return changes

    def prices(self) -> list[dict]:
        return [{"channel": c, "price": self.cleaned_data[f"price_{c.pk}"],
                 "cost_price": self.cleaned_data[f"cost_{c.pk}"]} for c in self.channels]


class StockForm(forms.Form):
    """Units on hand of one variant in each of the organisation's warehouses."""

    def __init__(self, *args, warehouses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.warehouses = list(warehouses)
        for warehouse in self.warehouses:
            self.fields[f"wh_{warehouse.pk}"] = forms.IntegerField(
                label=warehouse.name, min_value=0, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def quantities(self):
        return [(w, self.cleaned_data[f"wh_{w.pk}"]) for w in self.warehouses
                if self.cleaned_data.get(f"wh_{w.pk}") is not None]


class MediaForm(forms.Form):
    image = forms.ImageField(label=_("Picture"))
    alt = forms.CharField(label=_("What the picture shows"), required=False, max_length=250)


# Producers ------------------------------------------------------------------------------------

class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Head of household"), max_length=64)
    village = forms.CharField(label=_("Village"), max_length=64)
    township = forms.CharField(label=_("Township"), required=False, max_length=64)
    id_number = forms.CharField(
        label=_("Resident ID number"), required=False, max_length=18,
        help_text=_("Only the first six and last four characters are kept."))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    is_poverty_registered = forms.BooleanField(
        label=_("Registered poor household (建档立卡)"), required=False)


class BaseForm(forms.Form):
    name = forms.CharField(label=_("Base name"), max_length=128)
    location = forms.CharField(label=_("Location"), max_length=255)
    area_mu = forms.DecimalField(label=_("Area (mu)"), min_value=0, decimal_places=2,
                                 widget=number())
    latitude = forms.DecimalField(label=_("Latitude"), required=False, decimal_places=6,
                                  widget=number())
    longitude = forms.DecimalField(label=_("Longitude"), required=False, decimal_places=6,
                                   widget=number())


class CertificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Certificate"), choices=Certification.Kind.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=64)
    issuer = forms.CharField(label=_("Issued by"), required=False, max_length=128)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), widget=date_input())


# Sourcing -------------------------------------------------------------------------------------

class SourcingLotForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None,
                                     empty_label=_("Choose…"))
    household = forms.ModelChoiceField(label=_("Household"), queryset=None, required=False,
                                       empty_label=_("(none)"))
    base = forms.ModelChoiceField(label=_("Base"), queryset=None, required=False,
                                  empty_label=_("(none)"))
    harvested_on = forms.DateField(label=_("Harvest date"), widget=date_input())
    quantity_kg = forms.DecimalField(label=_("Quantity (kg)"), decimal_places=3,
                                     widget=number())
    unit_price = forms.DecimalField(label=_("Price per kg (CNY)"), decimal_places=2,
                                    widget=number())
    lot_number = forms.CharField(label=_("Lot number"), required=False, max_length=32,
                                 help_text=_("Leave empty to number it automatically."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = organization.products.order_by("name")
        self.fields["household"].queryset = organization.households.order_by("village",
                                                                             "head_name")
        self.fields["base"].queryset = organization.bases.order_by("name")
        self.fields["household"].label_from_instance = lambda h: f"{h.head_name}（{h.village}）"
        if not self.is_bound:
            self.initial.setdefault("harvested_on", timezone.localdate())


class InspectionForm(forms.Form):
    lab = forms.CharField(label=_("Laboratory"), max_length=128)
    result = forms.ChoiceField(label=_("Result"), choices=Inspection.Result.choices,
                               widget=forms.RadioSelect)
    inspected_on = forms.DateField(label=_("Inspection date"), widget=date_input())
    item = forms.CharField(label=_("Item tested"), required=False, max_length=64,
                           help_text=_("e.g. 农药残留"))
    value = forms.CharField(label=_("Value found"), required=False, max_length=64)
    report = forms.FileField(label=_("Report (PDF or picture)"), required=False)

    def items(self) -> list[dict]:
        item = self.cleaned_data.get("item")
        if not item:
            return []
        return [{"name": item, "value": self.cleaned_data.get("value") or "",
                 "passed": self.cleaned_data["result"] == Inspection.Result.PASSED}]


class GradeStandardForm(forms.Form):
    name = forms.CharField(label=_("Grade"), max_length=32, help_text=_("e.g. 特级, 一级"))
    rank = forms.IntegerField(label=_("Rank (1 is the best)"), min_value=0, required=False)
    criteria = forms.CharField(label=_("Criteria"), widget=forms.Textarea(attrs={"rows": 2}))


class GradingForm(forms.Form):
    """Kilograms taken from each input lot and given to each grade, and the loss."""

    loss_kg = forms.DecimalField(label=_("Loss (kg)"), decimal_places=3, min_value=0,
                                 initial=0, widget=number(**{"data-balance": "loss"}))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lots=(), grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots, self.grades = list(lots), list(grades)
        for lot in self.lots:
            self.fields[f"in_{lot.pk}"] = forms.DecimalField(
                label=_("%(lot)s (%(left)s kg left)") % {"lot": lot.lot_number,
                                                         "left": lot.remaining_kg},
                required=False, decimal_places=3, min_value=0,
                widget=number(**{"data-balance": "in"}))
        for grade in self.grades:
            self.fields[f"out_{grade.pk}"] = forms.DecimalField(
                label=grade.name, required=False, decimal_places=3, min_value=0,
                widget=number(**{"data-balance": "out"}))

    def in_fields(self):
        return [self[f"in_{lot.pk}"] for lot in self.lots]

    def out_fields(self):
        return [self[f"out_{grade.pk}"] for grade in self.grades]

    def inputs(self):
        return [(lot, self.cleaned_data[f"in_{lot.pk}"]) for lot in self.lots
                if self.cleaned_data.get(f"in_{lot.pk}")]

    def outputs(self):
        return [(grade, self.cleaned_data[f"out_{grade.pk}"]) for grade in self.grades
                if self.cleaned_data.get(f"out_{grade.pk}")]


class PackingForm(forms.Form):
    variant = forms.ModelChoiceField(label=_("Variant packed"), queryset=None,
                                     empty_label=_("Choose…"))
    warehouse = forms.ModelChoiceField(label=_("Into warehouse"), queryset=None)
    quantity = forms.IntegerField(label=_("Packages (one trace code each)"), min_value=1,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    net_weight_kg = forms.DecimalField(label=_("Net weight per package (kg)"),
                                       decimal_places=3, widget=number())
    brand_labelled = forms.BooleanField(
        label=_("Codes carry the regional brand (counts against the licence quota)"),
        required=False)

    def __init__(self, *args, graded_lot, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].queryset = graded_lot.grade.product.variants.order_by(
            "sort_order", "sku")
        self.fields["variant"].label_from_instance = lambda v: f"{v.name or v.sku}（{v.sku}）"
        self.fields["warehouse"].queryset = warehouses
        self.fields["warehouse"].empty_label = None
        # The variant of the lot's grade is the likely one (特级 lot, 特级 variant).
        self.initial.setdefault("variant", self.fields["variant"].queryset.filter(
            attribute_values__value__name=graded_lot.grade.name).values_list(
            "pk", flat=True).first())


class RecallForm(forms.Form):
    level = forms.ChoiceField(label=_("Recall level"), choices=Recall.Level.choices,
                              widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("I understand what this recall touches"))


# Orders ---------------------------------------------------------------------------------------

class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=64,
                              widget=forms.TextInput(attrs={"list": "carriers"}))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64,
                                      widget=forms.TextInput(attrs={"inputmode": "text",
                                                                    "autocomplete": "off"}))
