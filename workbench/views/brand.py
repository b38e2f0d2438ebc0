"""The brand licensee's pages (被授权企业): apply for a regional brand with the scope and
documents, follow the application through review and public notice, answer the
authority's questions (with a document when asked for), download the certificate, watch
the label quota, submit the annual usage report and ask for a renewal. Writes through
``brand.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from brand import services as brand_services
from brand.models import LicenceApplication

from .. import brand_selectors as selectors
from ..access import member_required
from ..brand_forms import (
    BRAND_ALIASES,
    AnswerForm,
    ApplicationForm,
    ApplicationScopeForm,
    DocumentForm,
    RenewalRequestForm,
    UsageReportForm,
    WithdrawForm,
)
from ..forms import apply_service_errors
from ..nav import crumbs
from ..roles import LICENSEE, PRODUCER
from . import page

Status = LicenceApplication.Status


def _brand_crumb():
    return (_("Brand licence"), reverse("workbench:brand"))


def run_service(form, call):
    """Call a service; its refusal goes onto ``form`` with the service's own message.
    Returns ``(result, ok)``."""
    try:
        return call(), True
    except ValidationError as error:
        apply_service_errors(form, error, BRAND_ALIASES)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You cannot do this."))
    return None, False


@require_GET
@member_required(LICENSEE)
def brand_home(request):
    organization = request.organization
    return page(request, "workbench/brand/home.html", {
        "applications": selectors.applications_of(organization),
        "licences": selectors.licences_of(organization),
        "brands": selectors.brands_open_for_applications(),
    }, crumbs=crumbs((_("Brand licence"), None)))


@require_http_methods(["GET", "POST"])
@member_required(LICENSEE)
def application_create(request):
    form = ApplicationForm(request.POST or None, organization=request.organization,
                           initial={"brand": request.GET.get("brand")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        brand = data.pop("brand")
        application, ok = run_service(form, lambda: brand_services.create_application(
            brand, request.organization, request.user, **data))
        if ok:
            messages.success(request, _("Draft saved. Upload the business licence and the "
                                        "other documents, then send it to the authority."))
            return redirect("workbench:brand-application", pk=application.pk)
    return page(request, "workbench/brand/apply.html", {"form": form},
                crumbs=crumbs(_brand_crumb(), (_("Apply for the brand"), None)),
                status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@member_required(LICENSEE)
def application_detail(request, pk):
    application = selectors.application_of(request.organization, pk)
    if application is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    document_form = DocumentForm(request.POST if action == "document" else None,
                                 request.FILES if action == "document" else None)
    withdraw_form = WithdrawForm(request.POST if action == "withdraw" else None)
    submit_form = WithdrawForm(request.POST if action == "submit" else None)
    # A draft's scope stays editable until it is sent (the service refuses afterwards).
    scope_form = (ApplicationScopeForm(request.POST if action == "scope" else None,
                                       application=application)
                  if application.status == Status.DRAFT else None)
    answering = request.POST.get("question") if action == "answer" else None
    # One answer form per open question, each with its own field ids.
    for question in application.open_questions:
        bound = str(question.pk) == answering
        question.form = AnswerForm(request.POST if bound else None,
                                   request.FILES if bound else None,
                                   prefix=f"answer-{question.pk}")
    question = next((q for q in application.open_questions if str(q.pk) == answering), None)
    if action == "answer" and question is None:
        raise Http404
    done = None
    if action == "document" and document_form.is_valid():
        _doc, ok = run_service(document_form, lambda: brand_services.add_application_document(
            application, request.user, **document_form.cleaned_data))
        done = ok and _("Document uploaded.")
    elif action == "answer" and question.form.is_valid():
        data = question.form.cleaned_data
        _q, ok = run_service(question.form, lambda: brand_services.answer_question(
            question, request.user, answer=data["answer"], file=data["file"],
            document_kind=data["document_kind"]))
        done = ok and _("Answer sent to the brand authority.")
    elif action == "scope" and scope_form is not None and scope_form.is_valid():
        _app, ok = run_service(scope_form, lambda: brand_services.update_application(
            application, request.user, **scope_form.cleaned_data))
        done = ok and _("Application changed.")
    elif action == "submit" and submit_form.is_valid():
        _app, ok = run_service(submit_form, lambda: brand_services.submit_application(
            application, request.user))
        done = ok and _("Sent to the brand authority. You will be told of each step here.")
    elif action == "withdraw" and withdraw_form.is_valid():
        _app, ok = run_service(withdraw_form, lambda: brand_services.withdraw_application(
            application, request.user, reason=withdraw_form.cleaned_data["reason"]))
        done = ok and _("Application withdrawn.")
    if done:
        messages.success(request, done)
        return redirect("workbench:brand-application", pk=application.pk)
    forms = (document_form, withdraw_form, submit_form, scope_form)
    failed = any(f.errors for f in forms if f is not None) or bool(
        question is not None and question.form.errors)
    return page(request, "workbench/brand/application.html", {
        "application": application, "document_form": document_form,
        "withdraw_form": withdraw_form, "submit_form": submit_form, "scope_form": scope_form,
        # Open the draft's form when it failed, or when sending refused a missing scope.
        "scope_open": bool(scope_form is not None and (scope_form.errors or submit_form.errors)),
        "can_add_documents": application.status in (Status.DRAFT, Status.SUBMITTED,
                                                    Status.UNDER_REVIEW, Status.ONSITE_CHECK),
        "can_answer": application.status in brand_services.QUESTION_STATUSES,
        "steps": _steps(application),
    }, crumbs=crumbs(_brand_crumb(), (application.brand.name, None)),
        status=400 if failed else 200)


def _steps(application):
    """The application's road as the applicant sees it: done, current or to come."""
    order = [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.PUBLIC_NOTICE,
             Status.GRANTED]
    labels = {Status.DRAFT: _("Draft"), Status.SUBMITTED: _("Sent"),
              Status.UNDER_REVIEW: _("Authority review"), Status.PUBLIC_NOTICE: _("Public notice"),
              Status.GRANTED: _("Licence")}
    status = Status.UNDER_REVIEW if application.status == Status.ONSITE_CHECK \
        else application.status
    current = order.index(status) if status in order else -1
    return [{"label": labels[s], "state": "done" if i < current or status == Status.GRANTED
             else "current" if i == current else "todo"} for i, s in enumerate(order)]


@require_http_methods(["GET", "POST"])
@member_required(LICENSEE)
def licence_detail(request, pk):
    licence = selectors.licence_of(request.organization, pk)
    if licence is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    # The to-do "submit last year's report" opens the form on that year.
    year = request.GET.get("year", "")
    report_form = UsageReportForm(request.POST if action == "report" else None,
                                  initial={"year": int(year)} if year.isdigit() else None)
    renewal_form = RenewalRequestForm(request.POST if action == "renewal" else None)
    if action == "report" and report_form.is_valid():
        _r, ok = run_service(report_form, lambda: brand_services.submit_usage_report(
            licence, request.user, **report_form.cleaned_data))
        if ok:
            messages.success(request, _("Usage report for %(year)s submitted.")
                             % {"year": report_form.cleaned_data["year"]})
            return redirect("workbench:brand-licence", pk=licence.pk)
    elif action == "renewal" and renewal_form.is_valid():
        _r, ok = run_service(renewal_form, lambda: brand_services.request_renewal(
            licence, request.user, message=renewal_form.cleaned_data["reason"]))
        if ok:
            messages.success(request,
                             _("The brand authority has been asked to renew the licence."))
            return redirect("workbench:brand-licence", pk=licence.pk)
    return page(request, "workbench/brand/licence.html", {
        "licence": licence, "report_form": report_form, "renewal_form": renewal_form,
        "renewable": (licence.status != licence.Status.REVOKED
                      and licence.days_left <= brand_services.RENEWAL_WINDOW_DAYS),
        "today": timezone.localdate(),
        # A producer books brand labels by packing: the quota card leads there.
        "packing_link": PRODUCER in request.workspace.roles,
    }, crumbs=crumbs(_brand_crumb(), (licence.number, None)),
        status=400 if report_form.errors or renewal_form.errors else 200)
