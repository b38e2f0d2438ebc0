"""The form of a product's English or Tibetan name and description, and its variants'
names. Input only; the rules (languages, lengths, whose product) are
``content.services.translate_product``'s."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The languages a producer writes, each named in its own script for its tab.
LANGUAGE_TABS = [("en", "English"), ("bo", "བོད་ཡིག")]


class TranslationForm(forms.Form):
    name = forms.CharField(label=_("Product name"), required=False, max_length=250)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, language: str, variants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.variants = list(variants)
        for variant in self.variants:
            self.fields[f"variant_{variant.pk}"] = forms.CharField(
                label=_("Variant %(name)s") % {"name": variant.name or variant.sku},
                required=False, max_length=255)
        # The browser picks the script's font and keyboard from ``lang``.
        for field in self.fields.values():
            field.widget.attrs["lang"] = language

    def variant_fields(self):
        return [(v, self[f"variant_{v.pk}"]) for v in self.variants]

    def variant_names(self) -> dict:
        return {v.pk: self.cleaned_data[f"variant_{v.pk}"] for v in self.variants}
