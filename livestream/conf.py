"""The livestream app's own settings and periodic tasks; installed by LivestreamConfig.ready."""

from shop.conf import env_int


def defaults() -> dict:
    return {
        # Reminders go through the notification backends; each is also a Reminder row.
        "LIVESTREAM_REMINDER_LEAD_MINUTES": env_int("LIVESTREAM_REMINDER_LEAD_MINUTES", 30),
        # Orders this many days after a broadcast count as its post-live sales.
        "LIVESTREAM_POST_LIVE_DAYS": 7,
        # Weekly schedules generate broadcasts this far ahead.
        "LIVESTREAM_SCHEDULE_WEEKS_AHEAD": 4,
        "LIVESTREAM_TIME_ZONE": "Asia/Shanghai",
        # Each county keeps at least this many active, real-name verified hosts.
        "LIVESTREAM_HOSTS_PER_COUNTY": env_int("LIVESTREAM_HOSTS_PER_COUNTY", 5),
    }


BEAT_SCHEDULE = {
    "livestream-send-reminders": {"task": "livestream.tasks.send_broadcast_reminders",
                                  "schedule": 60.0},
    "livestream-extend-schedules": {"task": "livestream.tasks.extend_weekly_schedules",
                                    "schedule": 6 * 3600.0},
    "livestream-check-weekly-coverage": {"task": "livestream.tasks.check_weekly_coverage",
                                         "schedule": 6 * 3600.0},
    "livestream-end-overdue-broadcasts": {"task": "livestream.tasks.end_overdue_broadcasts",
                                          "schedule": 300.0},
}
