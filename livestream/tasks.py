"""Celery tasks of the livestream app; each calls a service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def send_broadcast_reminders() -> int:
    """Beat, every minute: one reminder per subscriber before a broadcast starts."""
    return services.send_due_reminders()


@shared_task
def extend_weekly_schedules() -> int:
    """Beat: keep weekly schedules generated the configured number of weeks ahead."""
    return services.extend_weekly_schedules()


@shared_task
def check_weekly_coverage() -> list[str]:
    """Beat: alert the operators about a coming week without a broadcast."""
    return [day.isoformat() for day in services.check_weekly_coverage()]


@shared_task
def end_overdue_broadcasts() -> int:
    """Beat: end forgotten live broadcasts and return their unsold live stock."""
    return services.end_overdue_broadcasts()
