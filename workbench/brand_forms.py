"""Forms of the brand pages. They collect input (types, required fields, choices limited to
the organisation's own products and the brand's categories); the licensing rules are
``brand.services``', whose errors go back next to their field (``apply_service_errors``)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brand.models import ApplicationDocument, RegionalBrand, Violation
from catalog.models import Category, Product

from .forms import date_input, number

# Names the brand services give their fields, mapped onto the forms' fields.
BRAND_ALIASES = {"organization": None, "documents": None, "notice_days": "notice_days",
                 "label_quota": "label_quota", "brand_labelled": None, "kind": "document_kind",
                 "message": "reason"}


def reason_field(label=None, required=True, help_text=""):
    return forms.CharField(label=label or _("Reason"), required=required, max_length=2000,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationForm(forms.Form):
    """An application's scope: the brand, the organisation's products and/or the brand's
    categories, grades, bases, volume and the labels asked for."""

    brand = forms.ModelChoiceField(label=_("Regional brand"),
                                   queryset=RegionalBrand.objects.filter(is_active=True))
    products = forms.ModelMultipleChoiceField(
        label=_("Products to carry the brand"), required=False,
        queryset=Product.objects.none(), widget=forms.CheckboxSelectMultiple)
    categories = forms.ModelMultipleChoiceField(
        label=_("Or whole categories"), required=False, queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    grades = forms.CharField(label=_("Grades"), required=False, max_length=128,
                             help_text=_("Grades to be labelled, e.g. 特级, 一级."))
    bases = forms.CharField(label=_("Production bases"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    estimated_annual_volume_kg = forms.DecimalField(
        label=_("Estimated annual volume (kg)"), min_value=0, decimal_places=3, initial=0,
        widget=number())
    requested_label_quota = forms.IntegerField(label=_("Brand labels asked for a year"),
                                               min_value=0, initial=0,
                                               widget=number(inputmode="numeric", step="1"))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        brands = RegionalBrand.objects.filter(is_active=True).order_by("name")
        self.fields["brand"].queryset = brands
        self.fields["products"].queryset = Product.objects.filter(
            organization=organization).order_by("name", "pk")
        self.fields["brand"].empty_label = None
        # Choosing another brand swaps in that brand's categories only (htmx asks this
        # page for them), so what is already typed or ticked stays as it is.
        self.fields["brand"].widget.attrs.update({
            "hx-get": reverse("workbench:brand-apply"), "hx-trigger": "change",
            "hx-select": "#brand-categories", "hx-target": "#brand-categories",
            "hx-swap": "outerHTML", "hx-push-url": "true",
            "aria-controls": "brand-categories"})
        if not self.initial.get("brand") and organization.county:
            # A cooperative applies for its own county's brand; another county's is a
            # deliberate choice, not the first one in the list.
            own = brands.filter(county=organization.county).first()
            if own is not None:
                self.initial["brand"] = own.pk
        self.brand = self.chosen_brand(brands)
        # The page offers the chosen brand's categories only. A form sent back may name
        # another brand's (the brand changed without the page reloading): those are read,
        # then refused by name in ``clean``.
        offered = brands if self.is_bound else brands.filter(pk=getattr(self.brand, "pk", None))
        self.fields["categories"].queryset = Category.objects.filter(
            pk__in=offered.values("category_standards__category")).order_by("name")

    def chosen_brand(self, brands):
        """The brand the form is for: the one sent, else the one it starts on, else the
        first listed (what the select shows)."""
        value = (self.data.get(self.add_prefix("brand")) if self.is_bound
                 else self.initial.get("brand"))
        value = getattr(value, "pk", value)
        if value and str(value).isdigit():
            return brands.filter(pk=value).first()
        return None if self.is_bound else brands.first()

    def clean(self):
        data = super().clean()
        brand = data.get("brand", self.brand)
        own = Category.objects.filter(pk__in=RegionalBrand.objects.filter(
            pk=getattr(brand, "pk", None)).values("category_standards__category"))
        if brand is not None:
            for category in data.get("categories") or ():
                if category not in own:
                    self.add_error("categories", _(
                        "%(category)s is not one of the categories of %(brand)s: choose "
                        "among the categories listed.") % {"category": category.name,
                                                            "brand": brand.name})
        # Shown again, the form offers the chosen brand's categories only.
        self.fields["categories"].queryset = own.order_by("name")
        return data


class ApplicationScopeForm(ApplicationForm):
    """A draft's scope changed before it is sent: the application form without the brand
    (an application is for one brand; another brand is another application)."""

    def __init__(self, *args, application, **kwargs):
        self.application = application
        kwargs.setdefault("initial", {
            "products": list(application.products.all()),
            "categories": list(application.categories.all()),
            "grades": application.grades, "bases": application.bases,
            "estimated_annual_volume_kg": application.estimated_annual_volume_kg,
            "requested_label_quota": application.requested_label_quota,
            "note": application.note})
        super().__init__(*args, organization=application.applicant, **kwargs)
        del self.fields["brand"]

    def chosen_brand(self, brands):
        return self.application.brand


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ApplicationDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=128)
    number = forms.CharField(label=_("Certificate number"), required=False, max_length=64)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=date_input())
    file = forms.FileField(label=_("File"), help_text=_("PDF or picture, at most 10 MB."))


class AnswerForm(forms.Form):
    """The applicant's answer to one of the authority's questions, with an optional
    document (the upload rules are ``add_application_document``'s)."""

    answer = forms.CharField(label=_("Your answer"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Document (optional)"), required=False,
                           help_text=_("PDF or picture, at most 10 MB."))
    document_kind = forms.ChoiceField(label=_("Kind of document"), required=False,
                                      choices=ApplicationDocument.Kind.choices,
                                      initial=ApplicationDocument.Kind.OTHER)

    def clean_document_kind(self):
        return self.cleaned_data["document_kind"] or ApplicationDocument.Kind.OTHER


class WithdrawForm(forms.Form):
    reason = reason_field(required=False)


class UsageReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), widget=number(inputmode="numeric", step="1"))
    volume_sold_kg = forms.DecimalField(label=_("Volume sold under the brand (kg)"), min_value=0,
                                        decimal_places=3, widget=number())
    sales_amount = forms.DecimalField(label=_("Sales (yuan)"), min_value=0, decimal_places=2,
                                      widget=number())
    codes_used = forms.IntegerField(label=_("Brand labels used"), min_value=0,
                                    widget=number(inputmode="numeric", step="1"))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial or {"year": timezone.localdate().year},
                         **kwargs)


class RenewalRequestForm(forms.Form):
    reason = reason_field(label=_("Message to the authority"), required=False)


# The authority's decisions --------------------------------------------------------------

class ReviewForm(forms.Form):
    """Starting the review, planning an on-site check or rejecting: a reason."""

    reason = reason_field()


class QuestionForm(forms.Form):
    """The authority asks the applicant for information or a document."""

    question = forms.CharField(label=_("Question to the applicant"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Say what to explain or which document to send."))


class ApproveForm(forms.Form):
    reason = reason_field(required=False)
    label_quota = forms.IntegerField(label=_("Approved brand labels a year"), min_value=0,
                                     widget=number(inputmode="numeric", step="1"))
    notice_days = forms.IntegerField(label=_("Public notice (days)"),
                                     widget=number(inputmode="numeric", step="1"),
                                     help_text=_("At least the brand's notice period."))


class GrantForm(forms.Form):
    reason = reason_field(required=False)


class ObjectionAnswerForm(forms.Form):
    uphold = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                    choices=[("0", _("Dismiss the objection")),
                                             ("1", _("Uphold it (rejects the application)"))])
    resolution = reason_field(label=_("Answer"))


class LicenceActionForm(forms.Form):
    """Suspend, reinstate, revoke or renew: what to do and why."""

    ACTIONS = [("suspend", _("Suspend")), ("reinstate", _("Reinstate")),
               ("revoke", _("Revoke")), ("renew", _("Renew"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = reason_field(required=False,
                          help_text=_("Required to suspend, reinstate or revoke."))
    years = forms.IntegerField(label=_("Renew for (years)"), required=False, min_value=1,
                               max_value=10, widget=number(inputmode="numeric", step="1"))


class ViolationForm(forms.Form):
    source = forms.ChoiceField(label=_("Found through"), choices=Violation.Source.choices)
    description = reason_field(label=_("What was found"))
    found_on = forms.DateField(label=_("Found on"), widget=date_input(),
                               initial=timezone.localdate)
    action = forms.ChoiceField(label=_("Measure"), choices=Violation.Action.choices)
    reason = reason_field(required=False, help_text=_("Required for a warning, suspension or "
                                                      "revocation."))
