"""Forms of the pavilion operator's pages: filters of the order and product lists, and the
input of the operator's actions (types and required fields only; the rules are the
services', see ``workbench.forms.apply_service_errors``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Category
from shop.models import Order

from . import operator_selectors as selectors
from .forms import date_input, number


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Order number, mobile number or buyer"), required=False,
                        max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Order.Status.choices])
    seller = forms.ModelChoiceField(label=_("Seller"), required=False,
                                    empty_label=_("All sellers"), queryset=selectors.sellers())
    county = forms.ChoiceField(label=_("County"), required=False)
    date_from = forms.DateField(label=_("Placed from"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("Placed until"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties")),
                                         *((c, c) for c in selectors.counties())]

    def filters(self) -> dict:
        """The valid filters (an invalid one is left out, and shown with its error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {key: data.get(key) or None for key in
                ("q", "status", "seller", "county", "date_from", "date_to")
                if data.get(key)}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2,
                                max_digits=12, widget=number())
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class NoteForm(forms.Form):
    message = forms.CharField(label=_("Note"), max_length=255,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ProductFilterForm(forms.Form):
    STATUSES = [("", _("All")), ("on_sale", _("On sale")),
                ("not_published", _("Not published")),
                ("taken_down", _("Taken off sale by the operators"))]

    q = forms.CharField(label=_("Product or seller"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES)
    seller = forms.ModelChoiceField(label=_("Seller"), required=False,
                                    empty_label=_("All sellers"), queryset=selectors.sellers())
    category = forms.ModelChoiceField(label=_("Category"), required=False,
                                      empty_label=_("All categories"),
                                      queryset=Category.objects.order_by("level", "sort_order",
                                                                         "slug"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {key: data[key] for key in ("q", "status", "seller", "category")
                if data.get(key)}


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    parent = forms.ModelChoiceField(label=_("Parent category"), required=False,
                                    empty_label=_("(top level)"),
                                    queryset=Category.objects.order_by("level", "sort_order",
                                                                       "slug"))


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)


class CollectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250)
    description = forms.CharField(label=_("Introduction"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class StoryPageForm(forms.Form):
    """A story page (品牌故事, 产地故事): its Chinese text and whether shoppers see it."""

    title = forms.CharField(label=_("Title"), max_length=250)
    slug = forms.CharField(label=_("Address"), required=False, max_length=255,
                           help_text=_("The end of the page's web address. Left empty, it is "
                                       "made from the title."))
    content = forms.CharField(label=_("Text"), required=False,
                              widget=forms.Textarea(attrs={"rows": 10}),
                              help_text=_("Plain text; blank lines separate paragraphs."))
    seo_title = forms.CharField(label=_("Title in search engines"), required=False,
                                max_length=70)
    seo_description = forms.CharField(label=_("Summary in search engines"), required=False,
                                      max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    is_published = forms.BooleanField(label=_("Shoppers can read it"), required=False,
                                      initial=True)


class PageTranslationForm(forms.Form):
    """A story page's title and text in one other language; both empty removes them."""

    title = forms.CharField(label=_("Title"), required=False, max_length=255)
    content = forms.CharField(label=_("Text"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8}))
