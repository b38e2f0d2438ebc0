"""Forms of the storefront. They collect input and show errors next to each field; the
rules themselves (address and phone, stock, passwords, credentials) are checked by
``shop.services`` and ``shop.addresses``, whose errors are put back on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from shop.addresses import division_tree


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: per field where the form has that
    field, else as a form-wide error."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages[0] if hasattr(item, "messages") else item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(label=_("Grade / size"), widget=forms.RadioSelect)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=50, initial=1,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, variants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variant"].widget.choices = [(v["pk"], v["label"]) for v in variants]


class AddressForm(forms.Form):
    """A mainland address; fields named as ``shop.addresses.clean_address`` expects.
    Fields are optional here so that the service's own messages (in Chinese) are shown."""

    email = forms.CharField(label=_("Email (for the order confirmation)"), required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(label=_("Recipient name"), required=False, max_length=64,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    country_area = forms.CharField(label=_("Province"), required=False,
                                   widget=forms.Select(attrs={"data-level": "province"}))
    city = forms.CharField(label=_("City"), required=False,
                           widget=forms.Select(attrs={"data-level": "city"}))
    city_area = forms.CharField(label=_("District or county"), required=False,
                                widget=forms.Select(attrs={"data-level": "district"}))
    street_address_1 = forms.CharField(label=_("Street address"), required=False,
                                       max_length=255,
                                       widget=forms.TextInput(attrs={
                                           "autocomplete": "street-address"}))
    postal_code = forms.CharField(label=_("Postal code (optional)"), required=False,
                                  max_length=6,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                "autocomplete": "postal-code"}))

    def __init__(self, *args, need_email=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not need_email:
            del self.fields["email"]
        tree = division_tree()
        source = self.data if self.is_bound else self.initial

        def value(name):
            return source.get(name) or ""
        province, city = value("country_area"), value("city")
        choose = [("", _("Please choose"))]
        self.fields["country_area"].widget.choices = choose + [(p, p) for p in tree]
        cities = tree.get(province, {})
        self.fields["city"].widget.choices = choose + [(c, c) for c in cities]
        self.fields["city_area"].widget.choices = choose + [(d, d) for d in cities.get(city, [])]

    def address(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "email"}
        data["country"] = "CN"
        return data


class DeliveryForm(forms.Form):
    method = forms.IntegerField(label=_("Carrier"), widget=forms.RadioSelect)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].widget.choices = [(m.pk, label) for m, label in methods]
        if len(methods) == 1 and not self.is_bound:
            self.initial["method"] = methods[0][0].pk


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(
        attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))


# Django 5.2's message for a short password (MinimumLengthValidator), which Django's own
# zh_Hans catalogue does not translate yet: named here so that it is in ours, and a new
# shopper who types a short password reads Chinese.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.", "min_length")


class RegisterForm(forms.Form):
    email = forms.CharField(label=_("Email"), widget=forms.EmailInput(
        attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password (at least 8 characters)"),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    first_name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=64)
