"""Accounts by mobile number on the shop's pages (手机号 + 短信验证码): signing in with a
texted code (the workbench's members sign in here too, sent back to ``next``),
registering with a number alone, and the account page where a signed-in shopper verifies
a number to sign in with it. Each page is one form with two buttons: 获取验证码 (``send``)
and the step itself; no script needed. The rules are ``shop.services.phone_accounts``."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shop import throttles
from shop.services import phone_accounts, verification

from .account_pages import EmailChangeForm
from .forms import apply_service_errors
from .views import _landing, _next_url, _sign_in


class PhoneCodeForm(forms.Form):
    """A mobile number and, once texted, its code (required for the step, not to send)."""

    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "tel"}))
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=8,
                           required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]*", "size": 8}))

    def need_code(self) -> bool:
        if not self.cleaned_data.get("code"):
            self.add_error("code", _("Enter the 6-digit code we texted to you."))
            return False
        return True


class PhoneRegisterForm(PhoneCodeForm):
    first_name = forms.CharField(label=gettext_lazy("Your name (optional)"), required=False,
                                 max_length=64)


def _focus_code(form):
    form.fields["code"].widget.attrs["autofocus"] = True


def _send(request, form, ask, said: str) -> bool:
    """Ask for a code with ``ask(phone, client)`` and tell the visitor ``said`` (naming the
    number, masked, and the minutes the code works); the form carries any refusal."""
    try:
        ask(form.cleaned_data["phone"], throttles.client_address(request))
    except ValidationError as error:
        apply_service_errors(form, error)
        return False
    _focus_code(form)
    messages.info(request, said % {
        "phone": verification.masked(phone_accounts.clean_number(form.cleaned_data["phone"])),
        "minutes": verification.CODE_MINUTES})
    return True


def _answer(request, template, context, form, retry_after=0):
    response = render(request, template, context,
                      status=429 if retry_after else 400 if form.errors else 200)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "POST"])
def phone_sign_in(request):
    action = request.POST.get("action")
    form = PhoneCodeForm(request.POST or None)
    retry_after, sent = 0, False
    if action == "send" and form.is_valid():
        # The same words for every number: nobody learns here who has an account.
        sent = _send(request, form, phone_accounts.request_sign_in_code, _(
            "If an account signs in with %(phone)s, a code is on its way by text message. "
            "It works for %(minutes)s minutes."))
    elif action == "sign-in" and form.is_valid() and form.need_code():
        try:
            user = phone_accounts.sign_in(form.cleaned_data["phone"], form.cleaned_data["code"],
                                          throttles.client_address(request))
        except ValidationError as error:
            apply_service_errors(form, error)
            retry_after = getattr(error, "retry_after", 0)
        else:
            _sign_in(request, user)
            return redirect(_next_url(request, default=_landing(user)))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return _answer(request, "storefront/phone_sign_in.html", {
        "form": form, "next": next_url, "sent": sent,
        "texting": verification.can_text()}, form, retry_after)


@require_http_methods(["GET", "POST"])
def phone_register(request):
    action = request.POST.get("action")
    form = PhoneRegisterForm(request.POST or None)
    sent = False
    if action == "send" and form.is_valid():
        sent = _send(request, form, phone_accounts.request_code, _(
            "We texted a verification code to %(phone)s. It works for %(minutes)s minutes."))
    elif action == "register" and form.is_valid() and form.need_code():
        try:
            user = phone_accounts.register_by_phone(
                form.cleaned_data["phone"], form.cleaned_data["code"],
                first_name=form.cleaned_data["first_name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            _sign_in(request, user)
            messages.success(request, _("Welcome! Your account has been created. Sign in "
                                        "next time with your mobile number and a texted "
                                        "code."))
            return redirect(_next_url(request))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return _answer(request, "storefront/phone_register.html", {
        "form": form, "next": next_url, "sent": sent,
        "texting": verification.can_text()}, form)


@require_http_methods(["GET", "POST"])
def account(request):
    """The signed-in person's account: how they sign in, and verifying a mobile number
    (a code texted to it), which lets them sign in with it."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('storefront:sign-in')}?"
                        f"{urlencode({'next': request.path}, safe='/')}")
    action = request.POST.get("action")
    form = PhoneCodeForm(request.POST or None)
    sent = False
    if action == "send" and form.is_valid():
        sent = _send(request, form, phone_accounts.request_code, _(
            "We texted a verification code to %(phone)s. It works for %(minutes)s minutes."))
    elif action == "verify" and form.is_valid() and form.need_code():
        try:
            phone_accounts.verify_phone(request.user, form.cleaned_data["phone"],
                                        form.cleaned_data["code"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your mobile number %(phone)s is verified: you can "
                                        "sign in with it and a texted code.") % {
                "phone": request.user.verified_phone})
            return redirect("storefront:account")
    return _answer(request, "storefront/account.html", {
        "form": form, "sent": sent, "texting": verification.can_text(),
        "email_form": EmailChangeForm(user=request.user)}, form)
