"""Forms of the members page and of joining the pavilion (入驻申请). They collect input;
the rules are ``shop.services.memberships`` and ``shop.services.organizations``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.models import Membership, Organization
from shop.services.organizations import COUNTIES

ROLE_CHOICES = [(Membership.Role.MEMBER, _("Member")),
                (Membership.Role.ADMIN, _("Administrator"))]


class InviteForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "off"}),
                            help_text=_("The link is texted to this number."))
    email = forms.CharField(label=_("or e-mail address"), required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES,
                             initial=Membership.Role.MEMBER)

    def __init__(self, *args, texting: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not texting:
            # The colleague could not prove a number without a texted code: e-mail only.
            del self.fields["phone"]
            self.fields["email"].label = _("E-mail address")
            self.fields["email"].help_text = _("Text messages are not set up on this "
                                               "pavilion, so colleagues are invited by "
                                               "e-mail.")


class AcceptForm(forms.Form):
    """Accepting an invitation when signed in: the code sent to the invited address."""

    code = forms.CharField(
        label=_("Verification code"), max_length=8,
        help_text=_("The 6 digits we sent to the invited number or address."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "pattern": "[0-9]*", "size": 8}))


class JoinRegisterForm(AcceptForm):
    """Registering from an invitation's link, then joining: the code, and the account.
    For an e-mail invitation the address is the invited one, shown and not editable."""

    first_name = forms.CharField(label=_("Your name"), max_length=64,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(label=_("E-mail address"), max_length=254,
                            help_text=_("You sign in with it."),
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password (at least 8 characters)"),
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, invited_email: str = "", invited_phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if invited_email:
            email = self.fields["email"]
            email.initial, email.disabled = invited_email, True
            email.help_text = _("The invited address; you sign in with it.")
        elif invited_phone:
            # Invited by number: the number proved by the code is enough to sign in with.
            self.fields["email"].required = self.fields["password"].required = False
            self.fields["email"].help_text = _("Optional: without one, you sign in with the "
                                               "invited mobile number and a texted code.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and not cleaned.get("password"):
            self.add_error("password", _("Choose a password to sign in with the e-mail "
                                         "address."))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Name of the cooperative or enterprise"), max_length=128,
                           help_text=_("As on the business licence."))
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        (Organization.Kind.COOPERATIVE, _("Cooperative")),
        (Organization.Kind.ENTERPRISE, _("Enterprise"))])
    county = forms.ChoiceField(label=_("County"), choices=[("", _("Choose…"))]
                               + [(c, c) for c in COUNTIES])
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=24,
                                  help_text=_("18 characters, on the business licence."),
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                                "autocomplete": "off"}))
    contact_name = forms.CharField(label=_("Contact person"), max_length=64)
    contact_phone = forms.CharField(label=_("Contact mobile number"), max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("Address"), max_length=255)
    licence_photo = forms.FileField(
        label=_("Photo of the business licence"),
        help_text=_("A JPEG, PNG or WEBP photo, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The applicant reads it."))
