"""Celery tasks of the statistics app. Each recomputes whole days from the raw records, so
running one twice, or after a retry, leaves the same figures."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refresh_days(family: str, days: list[str]) -> int:
    """Recompute ``family``'s rollups for the given ISO days."""
    return services.refresh_days(family, [date.fromisoformat(day) for day in days])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def refresh_recent_days() -> int:
    """Today and yesterday, every family: catches changes that send no model signal
    (scans, bulk updates)."""
    today = timezone.localdate()
    count = 0
    for family in services.FAMILIES:
        count += services.refresh_days(family, [today - timedelta(days=1), today])
    return count


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def prepare_monthly_reports() -> int:
    """Last month's report of every county and of the whole platform (and last year's on
    the first of January), stored for download."""
    return len(services.prepare_reports(timezone.localdate()))
