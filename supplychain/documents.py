"""Inspection reports as downloads. The report is stored in the private area under a random
name; the trace page publishes it to anyone who scans the code, so anyone may read it, but
only through this view: with its recognised type, ``nosniff`` and as an attachment, so an
uploaded file can never act as a page of the site."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from shop import private_files

from .models import Inspection


@require_GET
def inspection_report(request, pk: int):
    inspection = Inspection.objects.filter(pk=pk).exclude(report="").first()
    if inspection is None:
        raise Http404
    return private_files.redirect(inspection.report, f"inspection-{inspection.pk}")
