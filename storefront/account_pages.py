"""Getting back into an account from the shop's pages (忘记密码): the sign-in page links to
a form that mails a reset link, and the link opens a page that sets the new password. The
rules are ``shop.services.recovery``: the same answer whether or not the address has an
account, one mail per address per interval, a link that works once and stops working
when the password changes.

Changing the e-mail address (更改邮箱): the account page's form (the new address and the
current password) mails a link to the new address, and the link, opened while signed in,
changes it (a page saying 邮箱已更改)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from shop.services import recovery

from .forms import apply_service_errors


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"), widget=forms.EmailInput(
        attrs={"autocomplete": "email"}))


class NewPasswordForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("New password (at least 8 characters)"),
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "new-password"}))


class EmailChangeForm(forms.Form):
    """The new address and the current password (not asked of an account registered by
    mobile number, which has none)."""

    new_email = forms.EmailField(label=gettext_lazy("New e-mail address"),
                                 widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=gettext_lazy("Current password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_usable_password():
            del self.fields["password"]


def _sign_in_first(request):
    return redirect(f"{reverse('storefront:sign-in')}?"
                    f"{urlencode({'next': request.get_full_path()}, safe='/')}")


@require_http_methods(["GET", "POST"])
def change_email(request):
    """The account page's e-mail form posts here; shown on its own with its errors."""
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"].strip().lower()
        try:
            recovery.request_email_change(
                request.user, new_email, form.cleaned_data.get("password", ""),
                settings.PUBLIC_URL + reverse("storefront:confirm-email"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # The same words whether or not another account has the address.
            messages.info(request, _("If %(email)s can be your e-mail address, a link is on "
                                     "its way there. Open it within %(hours)s hours while "
                                     "signed in here.") % {
                "email": new_email, "hours": recovery.EMAIL_CHANGE_MAX_AGE // 3600})
            return redirect("storefront:account")
    return render(request, "storefront/change_email.html", {"email_form": form},
                  status=400 if form.errors else 200)


@require_GET
def confirm_email(request):
    """The page the e-mail change link opens (``?token=…``), for the account that asked."""
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    try:
        user = recovery.confirm_email_change(request.user, request.GET.get("token", ""))
    except ValidationError as error:
        return render(request, "storefront/email_changed.html",
                      {"errors": error.messages}, status=400)
    return render(request, "storefront/email_changed.html", {"email": user.email})


@require_http_methods(["GET", "POST"])
def forgot_password(request):
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        recovery.request_password_reset(
            email, settings.PUBLIC_URL + reverse("storefront:reset-password"))
        messages.info(request, _("If %(email)s has an account, a link to choose a new "
                                 "password is on its way there. It works for %(hours)s "
                                 "hours, once.") % {
            "email": email, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600})
        return redirect("storefront:sign-in")
    return render(request, "storefront/forgot_password.html", {"form": form},
                  status=400 if form.errors else 200)


def _dead_link(request):
    messages.error(request, _("This link is invalid, used or expired. Ask for a new one."))
    return redirect("storefront:forgot-password")


@require_http_methods(["GET", "POST"])
def reset_password(request):
    """The page the reset mail links to (``?email=…&token=…``)."""
    email, token = request.GET.get("email", ""), request.GET.get("token", "")
    if not recovery.reset_link_works(email, token):
        return _dead_link(request)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.set_password(email, token, form.cleaned_data["password"])
        except ValidationError as error:
            if "token" in getattr(error, "error_dict", {}):
                return _dead_link(request)
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your new password is set. Sign in with it."))
            return redirect("storefront:sign-in")
    return render(request, "storefront/reset_password.html", {"form": form, "email": email},
                  status=400 if form.errors else 200)
