"""Joining the pavilion (入驻申请): a signed-in person applies for a new cooperative or
enterprise and follows the review; the operating team reviews the applications (approve,
or refuse with a reason) and reads the business licence photo. Writes through
``shop.services.organizations``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from shop import private_files
from shop.models import OrganizationApplication
from shop.services import organizations
from supplychain import services as chain

from ..access import member_required
from ..forms import apply_service_errors
from ..member_forms import RefuseForm, SignupForm
from ..nav import crumbs
from ..roles import OPERATOR, workspace_for
from . import page

Status = OrganizationApplication.Status


def _signed_in(view):
    """Any signed-in person (an applicant is no member of an active organisation yet)."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()}, safe="/")
            return redirect(f"{reverse('storefront:sign-in')}?{query}")
        request.workspace = workspace_for(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_http_methods(["GET", "POST"])
@_signed_in
def apply(request):
    """The application form, and the person's applications with their status."""
    form = SignupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organizations.apply_to_join(request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Application sent. The pavilion's operating team "
                                        "reviews it; you are told of the decision."))
            return redirect("workbench:signup")
    return page(request, "workbench/signup/apply.html", {
        "form": form, "applications": list(organizations.applications_of(request.user)),
    }, crumbs=crumbs((_("Join the pavilion"), None)), status=400 if form.errors else 200)


def review_todo() -> list[dict]:
    """The operators' to-do item on the workbench home: applications waiting for them."""
    waiting = OrganizationApplication.objects.filter(status=Status.PENDING).count()
    if not waiting:
        return []
    return [{"level": "warn", "url": reverse("workbench:signup-queue"),
             "text": ngettext("%(n)s application to join the pavilion waits for review.",
                              "%(n)s applications to join the pavilion wait for review.",
                              waiting) % {"n": waiting}}]


@require_GET
@member_required(OPERATOR)
def review_queue(request):
    status = request.GET.get("status") or Status.PENDING
    if status not in Status.values:
        status = Status.PENDING
    applications = (OrganizationApplication.objects.filter(status=status)
                    .select_related("organization", "applicant")
                    .order_by("created_at" if status == Status.PENDING else "-reviewed_at",
                              "pk"))
    return page(request, "workbench/signup/queue.html", {
        "applications": applications, "status": status, "tabs": Status.choices,
    }, crumbs=crumbs((_("Applications to join"), None)))


def _application(pk) -> OrganizationApplication:
    application = (OrganizationApplication.objects.select_related("organization", "applicant",
                                                                  "reviewed_by")
                   .filter(pk=pk).first())
    if application is None:
        raise Http404
    return application


@require_http_methods(["GET", "POST"])
@member_required(OPERATOR)
def review(request, pk):
    application = _application(pk)
    action = request.POST.get("action") if request.method == "POST" else None
    refuse_form = RefuseForm(request.POST if action == "refuse" else None)
    failed = False
    try:
        if action == "approve":
            with transaction.atomic():
                organizations.approve_application(application, request.user)
                # The code the organisation was admitted with is its producer profile's.
                chain.update_producer_profile(application.organization,
                                              credit_code=application.credit_code)
            messages.success(request, _("%(organization)s has joined the pavilion.")
                             % {"organization": application.organization.name})
            return redirect("workbench:signup-review", pk=application.pk)
        if action == "refuse" and refuse_form.is_valid():
            organizations.refuse_application(application, request.user,
                                             refuse_form.cleaned_data["reason"])
            messages.success(request, _("Application refused; the applicant is told why."))
            return redirect("workbench:signup-review", pk=application.pk)
    except ValidationError as error:
        failed = True
        application = _application(pk)
        if action == "refuse" and application.status == Status.PENDING:
            apply_service_errors(refuse_form, error)
        else:  # decided meanwhile, or the code clashes with a registered producer's
            messages.error(request, " ".join(error.messages))
    return page(request, "workbench/signup/review.html", {
        "application": application, "refuse_form": refuse_form,
        "pending": application.status == Status.PENDING,
    }, crumbs=crumbs((_("Applications to join"), reverse("workbench:signup-queue")),
                     (application.organization.name, None)),
        status=400 if failed or refuse_form.errors else 200)


@require_GET
@member_required(OPERATOR)
def licence_photo(request, pk):
    application = _application(pk)
    return private_files.redirect(application.licence_photo,
                                  f"licence-{application.credit_code}")
