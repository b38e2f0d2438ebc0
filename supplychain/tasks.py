"""Celery tasks of the supplychain app; each calls a service and may be retried safely."""

from __future__ import annotations

from celery import shared_task

from . import labels, services, sms_trace
from .models import PackingRun
from .services import scan_buffer


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def make_label_sheet(self, run_id: int) -> dict:
    """Render the PDF label sheet of a packing run, reporting progress as
    ``PROGRESS {"done": n, "total": N}``. The codes were issued by the packing-run service
    before this task was queued; the task only reads them, so running it twice (a retry, a
    second request) makes the same sheet again and never issues a code."""
    run = PackingRun.objects.filter(pk=run_id).first()
    if run is None:
        return {"done": 0, "total": 0, "url": None}

    def progress(done: int, total: int) -> None:
        if self.request.id and not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    # Any error, in rendering or in storing, leaves the run failed rather than pending (a
    # retry that succeeds marks it ready); the sheet made before stays until a new one is
    # stored.
    try:
        pdf = labels.render_label_sheet(run, progress=progress)
        run = services.save_label_sheet(run_id, pdf)
    except Exception:
        services.mark_label_sheet_failed(run_id)
        raise
    return {"done": run.quantity, "total": run.quantity, "url": run.label_sheet.url}


@shared_task
def recover_stale_label_sheets() -> int:
    """Queue again the label sheets whose task was lost (beat); returns how many."""
    return services.recover_stale_label_sheets()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_recall(recall_id: int) -> int:
    """Tell the buyers and the producer about a recall; each person is told once."""
    return services.notify_recall(recall_id)


@shared_task(ignore_result=True)
def flush_scans() -> int:
    """Write the trace-page scans buffered in Redis, in batches, each scan exactly once
    (see ``services.scan_buffer``); returns the scans written."""
    return scan_buffer.flush()


@shared_task(ignore_result=True)
def reply_to_text(inbound_id: int) -> str | None:
    """Answer a trace code texted to the pavilion (``sms_trace.reply_to``): once per text,
    however often this runs."""
    return sms_trace.reply_to(inbound_id)


@shared_task(ignore_result=True)
def answer_waiting_texts() -> int:
    """Queue again the answers of texted codes whose task was lost (beat)."""
    return sms_trace.answer_waiting_texts()
