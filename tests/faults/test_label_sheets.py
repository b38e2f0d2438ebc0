"""A label sheet whose task fails or is lost: never pending for good, the old PDF kept until
a new one is stored, and beat queues a lost one again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supplychain import labels, services
from supplychain.models import PackingRun

pytestmark = pytest.mark.django_db


def request(run, capture):
    """Ask for the sheet as the API does; the task runs inline once the request commits."""
    with capture(execute=True):
        services.request_label_sheet(run)
    return PackingRun.objects.get(pk=run.pk)


def test_a_failed_sheet_is_failed_and_keeps_the_old_pdf(
        packing_run, monkeypatch, django_capture_on_commit_callbacks):
    run = request(packing_run, django_capture_on_commit_callbacks)
    assert run.label_status == PackingRun.LabelStatus.READY
    old_name, old_pdf = run.label_sheet.name, run.label_sheet.read()
    assert old_pdf.startswith(b"%PDF")

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")
    monkeypatch.setattr(labels, "render_label_sheet", broken)
    run = request(run, django_capture_on_commit_callbacks)
    # Failed (not pending for ever), and the previous sheet is still there to download.
    assert run.label_status == PackingRun.LabelStatus.FAILED
    assert run.label_sheet.name == old_name
    assert run.label_sheet.storage.exists(old_name)
    assert run.label_sheet.open("rb").read() == old_pdf


def test_beat_queues_a_lost_sheet_again_and_the_new_pdf_replaces_the_old(
        packing_run, settings, django_capture_on_commit_callbacks):
    run = request(packing_run, django_capture_on_commit_callbacks)
    old_name = run.label_sheet.name
    # The next request's task was lost (its worker killed): the run stays pending.
    PackingRun.objects.filter(pk=run.pk).update(label_status=PackingRun.LabelStatus.PENDING,
                                                label_task_id="lost")
    assert services.recover_stale_label_sheets() == 0  # not stale yet
    PackingRun.objects.filter(pk=run.pk).update(
        label_requested_at=timezone.now()
        - timedelta(minutes=settings.LABEL_SHEET_STALE_MINUTES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stale_label_sheets() == 1
    run.refresh_from_db()
    assert run.label_status == PackingRun.LabelStatus.READY and run.label_task_id != "lost"
    assert run.label_sheet.name != old_name
    assert run.label_sheet.storage.exists(run.label_sheet.name)
    assert not run.label_sheet.storage.exists(old_name)  # deleted once the new one committed


def test_a_sheet_pending_for_a_day_is_marked_failed(packing_run, settings):
    PackingRun.objects.filter(pk=packing_run.pk).update(
        label_status=PackingRun.LabelStatus.PENDING,
        label_requested_at=timezone.now()
        - timedelta(hours=settings.LABEL_SHEET_GIVE_UP_HOURS + 1))
    assert services.recover_stale_label_sheets() == 0
    packing_run.refresh_from_db()
    assert packing_run.label_status == PackingRun.LabelStatus.FAILED
