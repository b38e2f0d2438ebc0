"""Celery tasks of the brand app; each calls a service, is idempotent and safe to retry
(the services lock rows and record what they did, so a second run does nothing new)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def close_notice_periods() -> dict:
    """Close public notices whose period ended; grant licences that met no objection."""
    return services.close_due_notices()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_expiry_reminders() -> int:
    """Remind licensees 60, 30 and 7 days before their licence expires (each once)."""
    return services.send_expiry_reminders()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_usage_report_reminders(day: str | None = None) -> int:
    """Remind holders on 1 and 20 March that last year's usage report is due by 31 March
    (each once per licence and year). ``day`` (ISO) re-runs a day the beat missed."""
    return services.send_usage_report_reminders(date.fromisoformat(day) if day else None)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def expire_licences() -> int:
    """Licences past their end date become expired (badge and brand labels stop)."""
    return services.expire_licences()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def notify_question(question_id: int, step: str) -> bool:
    """Tell the applicant of the authority's question, or the authority of the answer
    (each once: the question row records it)."""
    return services.notify_question(question_id, step)
