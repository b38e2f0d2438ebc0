"""``move_private_files``: files stored at public paths before their field moved under
``private/`` are moved there, the rows follow, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import translation

from shop.management.commands.move_private_files import private_file_fields
from supplychain.models import Inspection, PackingRun

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    """The command's report as an operator reads it: in the shop's language, Chinese
    (whatever language an earlier test in this process left active)."""
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("move_private_files", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_document_field_is_private():
    fields = {f"{model._meta.label}.{field.name}" for model, field in private_file_fields()}
    assert {"supplychain.Inspection.report", "supplychain.PackingRun.label_sheet",
            "brand.ApplicationDocument.file", "statistics.Report.file"} <= fields


def test_old_public_files_move_under_private_once(settings, tmp_path, passed_lot, packing_run):
    settings.MEDIA_ROOT = str(tmp_path)
    inspection = passed_lot.inspections.get()
    old_report = default_storage.save("inspection-reports/old.pdf", ContentFile(b"%PDF report"))
    old_sheet = default_storage.save("label-sheets/labels-1.pdf", ContentFile(b"%PDF sheet"))
    Inspection.objects.filter(pk=inspection.pk).update(report=old_report)
    PackingRun.objects.filter(pk=packing_run.pk).update(label_sheet=old_sheet)

    assert "待移动：2，缺失：0" in run("--dry-run")
    assert default_storage.exists(old_report)

    assert "已移动：2，缺失：0" in run()
    inspection.refresh_from_db()
    packing_run.refresh_from_db()
    assert inspection.report.name.startswith("private/inspection-reports/")
    assert inspection.report.name.endswith(".pdf")
    assert packing_run.label_sheet.name.startswith("private/label-sheets/")
    assert inspection.report.read() == b"%PDF report"
    assert packing_run.label_sheet.read() == b"%PDF sheet"
    assert not default_storage.exists(old_report) and not default_storage.exists(old_sheet)

    assert "已移动：0，缺失：0" in run()


def test_a_missing_file_is_reported_and_its_row_kept(settings, tmp_path, passed_lot):
    settings.MEDIA_ROOT = str(tmp_path)
    inspection = passed_lot.inspections.get()
    Inspection.objects.filter(pk=inspection.pk).update(report="inspection-reports/gone.pdf")
    assert "已移动：0，缺失：1" in run()
    inspection.refresh_from_db()
    assert inspection.report.name == "inspection-reports/gone.pdf"
