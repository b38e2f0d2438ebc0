"""Server-rendered public pages of the brand app, Simplified Chinese first and light enough
for a phone: the register of licensees, the public notices with their objection form, and
the verification page of a licence (live status)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from shop import private_files
from shop.validators import has_nul

from . import services
from .agreements import agreement_pdf
from .certificates import certificate_pdf
from .models import ApplicationDocument, Licence, PublicNotice, RegionalBrand


def register(request):
    brands = list(RegionalBrand.objects.filter(is_active=True).order_by("name"))
    licences = (Licence.objects.filter(brand__in=brands).select_related("brand", "licensee")
                .prefetch_related("categories", "products").order_by("brand_id", "number"))
    status = request.GET.get("status") or ""
    if status in Licence.Status.values:
        licences = licences.filter(status=status)
    today = timezone.localdate()
    rows = [{"licence": lic, "in_force": lic.is_in_force(today),
             "scope": "、".join([c.name for c in lic.categories.all()]
                               + [p.name for p in lic.products.all()])} for lic in licences]
    return render(request, "brand/register.html", {
        "brands": brands, "rows": rows, "status": status,
        "statuses": Licence.Status.choices})


def notices(request):
    items = PublicNotice.objects.select_related("brand", "organization").order_by(
        "-starts_at", "-pk")[:200]
    now = timezone.now()
    return render(request, "brand/notices.html", {
        "items": [{"notice": n, "open": n.is_open_for_objections(now)} for n in items]})


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=64)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=128)
    reason = forms.CharField(label=_("Objection and facts"), widget=forms.Textarea(
        attrs={"rows": 5}), max_length=5000)


@require_http_methods(["GET", "POST"])
def notice_detail(request, pk):
    notice = get_object_or_404(PublicNotice.objects.select_related("brand", "organization",
                                                                  "licence"), pk=pk)
    form = ObjectionForm(request.POST or None)
    lodged = request.GET.get("lodged") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            services.lodge_objection(notice, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect(f"{request.path}?lodged=1")
    return render(request, "brand/notice.html", {
        "notice": notice, "open": notice.is_open_for_objections(), "form": form,
        "lodged": lodged, "objection_count": notice.objections.count()},
        status=400 if request.method == "POST" else 200)


def licence_page(request, number):
    if has_nul(number):
        raise Http404
    licence = (Licence.objects.select_related("brand", "licensee")
               .prefetch_related("categories", "products").filter(number=number).first())
    if licence is None:
        return render(request, "brand/licence_not_found.html", {"number": number}, status=404)
    today = timezone.localdate()
    notice = licence.notices.filter(kind=PublicNotice.Kind.REVOCATION).first()
    return render(request, "brand/licence.html", {
        "licence": licence, "in_force": licence.is_in_force(today),
        "lapsed": licence.status == Licence.Status.ACTIVE and licence.valid_until < today,
        "scope": "、".join([c.name for c in licence.categories.all()]
                          + [p.name for p in licence.products.all()]),
        "revocation_notice": notice})


def certificate(request, number):
    """The certificate, for anyone while the licence is in force (the register is public);
    suspended, revoked or lapsed, only the authority's members and operators read it, so
    that a former licensee cannot print a fresh one to show (404 to anyone else)."""
    if has_nul(number):
        raise Http404
    licence = Licence.objects.select_related("brand").filter(number=number).first()
    user = request.user
    if licence is None or not (
            licence.is_in_force() or getattr(user, "is_operator", False)
            or services.is_authority_member(user, licence.brand)):
        raise Http404
    response = HttpResponse(certificate_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{licence.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def agreement(request, number):
    """The licence agreement, for the licensee's members, the brand authority's members and
    operators only; anyone else gets 404 (not even whether it exists)."""
    licence = None if has_nul(number) else (
        Licence.objects.select_related("brand").filter(number=number).first())
    user = request.user
    if licence is None or not (
            getattr(user, "is_operator", False)
            or services.is_member(user, licence.licensee_id)
            or services.is_authority_member(user, licence.brand)):
        raise Http404
    response = HttpResponse(agreement_pdf(licence), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{licence.number}-agreement.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def document(request, pk):
    """An application document, for the applicant's members, the brand authority's members
    and operators only; anyone else gets 404 (not even whether it exists)."""
    doc = (ApplicationDocument.objects.select_related("application__brand")
           .filter(pk=pk).first())
    user = request.user
    if doc is None or not (
            getattr(user, "is_operator", False)
            or services.is_member(user, doc.application.applicant_id)
            or services.is_authority_member(user, doc.application.brand)):
        raise Http404
    return private_files.redirect(doc.file, f"document-{doc.pk}")
