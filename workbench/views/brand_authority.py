"""The brand authority's pages (品牌主管单位): the review queue with each application's
documents and the applicant's inspection history; starting the review, an on-site check,
approval (which opens the public notice, at least the brand's notice period) or rejection
with reasons; questions to the applicant (补充材料), their answers or their withdrawal; the
objections and their answers; granting when the notice has ended; the register of
licensees with expiry dates, where licences are suspended, reinstated, revoked or renewed
and violations recorded. Writes through ``brand.services``, which check again that only
the brand's authority decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from brand import services as brand_services
from brand.models import Licence, LicenceApplication

from .. import brand_selectors as selectors
from ..access import member_required
from ..brand_forms import (
    ApproveForm,
    GrantForm,
    LicenceActionForm,
    ObjectionAnswerForm,
    QuestionForm,
    ReviewForm,
    ViolationForm,
)
from ..nav import crumbs
from ..roles import AUTHORITY
from . import page
from .brand import run_service

Status = LicenceApplication.Status


def _queue_crumb():
    return (_("Review queue"), reverse("workbench:brand-review"))


def _register_crumb():
    return (_("Register of licensees"), reverse("workbench:brand-register"))


@require_GET
@member_required(AUTHORITY)
def review_queue(request):
    status = request.GET.get("status") or ""
    counts = selectors.queue_counts(request.organization)
    tabs = [("", _("To act on"), sum(counts.values()))] + [
        (s, Status(s).label, counts.get(s, 0)) for s in selectors.OPEN_STATUSES] + [
        (Status.GRANTED, Status.GRANTED.label, None), (Status.REJECTED, Status.REJECTED.label,
                                                       None)]
    return page(request, "workbench/brand/queue.html", {
        "applications": selectors.review_queue(request.organization, status),
        "status": status, "tabs": tabs,
    }, crumbs=crumbs((_("Review queue"), None)))


# What each decision of the review page calls, the form carrying its input, and what the
# page says once it is done.
def _start(application, user, data):
    return brand_services.start_review(application, user, reason=data["reason"])


def _onsite(application, user, data):
    return brand_services.schedule_onsite_check(application, user, reason=data["reason"])


def _approve(application, user, data):
    return brand_services.approve_application(
        application, user, reason=data["reason"], label_quota=data["label_quota"],
        notice_days=data["notice_days"])


def _ask(application, user, data):
    return brand_services.ask_question(application, user, question=data["question"])


def _reject(application, user, data):
    return brand_services.reject_application(application, user, reason=data["reason"])


def _grant(application, user, data):
    return brand_services.grant_licence(application, user, reason=data["reason"])


DECISIONS = {
    "start": (ReviewForm, _start, gettext_lazy("Review started.")),
    "onsite": (ReviewForm, _onsite,
               gettext_lazy("On-site check planned; the applicant was told.")),
    "approve": (ApproveForm, _approve, gettext_lazy("Approved: the public notice is open.")),
    "ask": (QuestionForm, _ask,
            gettext_lazy("Question sent; the applicant is told and answers on its page.")),
    "reject": (ReviewForm, _reject,
               gettext_lazy("Application rejected; the applicant was told why.")),
    "grant": (GrantForm, _grant, gettext_lazy("Licence granted; it is on the public register.")),
}


@require_http_methods(["GET", "POST"])
@member_required(AUTHORITY)
def review_detail(request, pk):
    application = selectors.application_for_review(request.organization, pk)
    if application is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    brand = application.brand
    forms = {
        "start": ReviewForm(prefix="start"), "onsite": ReviewForm(prefix="onsite"),
        "ask": QuestionForm(prefix="ask"),
        "reject": ReviewForm(prefix="reject"), "grant": GrantForm(prefix="grant"),
        "approve": ApproveForm(prefix="approve", initial={
            "label_quota": application.requested_label_quota or brand.default_label_quota,
            "notice_days": brand.notice_days}),
    }
    objections = selectors.objections_of(application)
    answering = request.POST.get("objection") if action == "objection" else None
    # One answer form per open objection, each with its own field ids.
    for item in objections:
        item.form = ObjectionAnswerForm(request.POST if str(item.pk) == answering else None,
                                        prefix=f"objection-{item.pk}")
    objection = next((o for o in objections if str(o.pk) == answering), None)
    if action == "objection" and objection is None:
        raise Http404
    objection_form = objection.form if objection is not None else ObjectionAnswerForm()
    withdrawing = request.POST.get("question") if action == "withdraw" else None
    # A question asked by mistake is withdrawn, with a reason, while it waits for its answer.
    for item in application.open_questions:
        item.withdraw_form = ReviewForm(request.POST if str(item.pk) == withdrawing else None,
                                        prefix=f"withdraw-{item.pk}")
    question = next((q for q in application.open_questions if str(q.pk) == withdrawing), None)
    if action == "withdraw" and question is None:
        raise Http404
    if action in DECISIONS:
        form_class, call, done = DECISIONS[action]
        form = forms[action] = form_class(request.POST, prefix=action)
        if form.is_valid():
            _r, ok = run_service(form, lambda: call(application, request.user, form.cleaned_data))
            if ok:
                messages.success(request, str(done))
                return redirect("workbench:brand-review-detail", pk=application.pk)
    elif action == "objection" and objection_form.is_valid():
        _r, ok = run_service(objection_form, lambda: brand_services.resolve_objection(
            objection, request.user, uphold=objection_form.cleaned_data["uphold"],
            resolution=objection_form.cleaned_data["resolution"]))
        if ok:
            messages.success(request, _("Objection answered."))
            return redirect("workbench:brand-review-detail", pk=application.pk)
    elif question is not None and question.withdraw_form.is_valid():
        _r, ok = run_service(question.withdraw_form, lambda: brand_services.withdraw_question(
            question, request.user, reason=question.withdraw_form.cleaned_data["reason"]))
        if ok:
            messages.success(request, _("Question withdrawn; the applicant is told."))
            return redirect("workbench:brand-review-detail", pk=application.pk)
    failed = (objection_form.errors or any(f.is_bound and f.errors for f in forms.values())
              or (question is not None and question.withdraw_form.errors))
    notice = application.notice
    return page(request, "workbench/brand/review.html", {
        "application": application, "forms": forms, "objections": objections,
        "inspections": selectors.inspection_history(application),
        "notice": notice, "failed_action": action if failed else "",
        "can_start": application.status == Status.SUBMITTED,
        "can_decide": application.status in (Status.UNDER_REVIEW, Status.ONSITE_CHECK),
        # An unanswered question holds the approval (the service refuses it too).
        "open_question": brand_services.open_question(application),
        "can_reject": application.status in selectors.OPEN_STATUSES,
        "can_ask": application.status in brand_services.QUESTION_STATUSES,
        "can_grant": application.status == Status.PUBLIC_NOTICE,
    }, crumbs=crumbs(_queue_crumb(), (application.applicant.name, None)),
        status=400 if failed else 200)


@require_GET
@member_required(AUTHORITY)
def register(request):
    status = request.GET.get("status") or ""
    return page(request, "workbench/brand/register.html", {
        "licences": selectors.register_of(request.organization, status), "status": status,
        "statuses": Licence.Status.choices,
    }, crumbs=crumbs((_("Register of licensees"), None)))


LICENCE_ACTIONS = {
    "suspend": lambda lic, u, d: brand_services.suspend_licence(lic, u, reason=d["reason"]),
    "reinstate": lambda lic, u, d: brand_services.reinstate_licence(lic, u, reason=d["reason"]),
    "revoke": lambda lic, u, d: brand_services.revoke_licence(lic, u, reason=d["reason"]),
    "renew": lambda lic, u, d: brand_services.renew_licence(lic, u, reason=d["reason"],
                                                             years=d["years"]),
}
LICENCE_DONE = {
    "suspend": gettext_lazy("Licence suspended: the badge and brand labels stop at once."),
    "reinstate": gettext_lazy("Licence in force again."),
    "revoke": gettext_lazy("Licence revoked; the revocation is publicly noticed."),
    "renew": gettext_lazy("Licence renewed."),
}


@require_http_methods(["GET", "POST"])
@member_required(AUTHORITY)
def licence_manage(request, pk):
    licence = selectors.licence_for_authority(request.organization, pk)
    if licence is None:
        raise Http404
    action = request.POST.get("form") if request.method == "POST" else None
    action_form = LicenceActionForm(request.POST if action == "status" else None,
                                    prefix="status")
    violation_form = ViolationForm(request.POST if action == "violation" else None,
                                   prefix="violation")
    if action == "status" and action_form.is_valid():
        data = action_form.cleaned_data
        _r, ok = run_service(action_form, lambda: LICENCE_ACTIONS[data["action"]](
            licence, request.user, data))
        if ok:
            messages.success(request, str(LICENCE_DONE[data["action"]]))
            return redirect("workbench:brand-licence-manage", pk=licence.pk)
    elif action == "violation" and violation_form.is_valid():
        _r, ok = run_service(violation_form, lambda: brand_services.record_violation(
            licence, request.user, **violation_form.cleaned_data))
        if ok:
            messages.success(request, _("Violation recorded."))
            return redirect("workbench:brand-licence-manage", pk=licence.pk)
    return page(request, "workbench/brand/licence_manage.html", {
        "licence": licence, "action_form": action_form, "violation_form": violation_form,
        "renewal_requested": licence.number in selectors.renewal_requests(request.organization),
    }, crumbs=crumbs(_register_crumb(), (licence.number, None)),
        status=400 if action_form.errors or violation_form.errors else 200)
