"""The statistics app's settings and periodic tasks; installed by StatisticsConfig.ready."""

from celery.schedules import crontab

from shop.conf import env_int


def defaults() -> dict:
    return {
        # How often the screen reloads its figures (seconds).
        "STATISTICS_SCREEN_REFRESH_SECONDS": env_int("STATISTICS_SCREEN_REFRESH_SECONDS", 60),
        # Figures are cached per rollup generation; what the rollups do not hold (licences,
        # organisations, broadcasts) is read again after this many seconds.
        "STATISTICS_CACHE_SECONDS": env_int("STATISTICS_CACHE_SECONDS", 60),
        # Recomputing rollups reads many raw rows: a statement may take this long (ms).
        "STATISTICS_STATEMENT_TIMEOUT_MS": env_int("STATISTICS_STATEMENT_TIMEOUT_MS", 600_000),
        # Rules the counties report against: one broadcast a week, five active hosts, goods
        # shipped within 48 hours of payment, licences expiring within 60 days.
        "STATISTICS_BROADCASTS_PER_WEEK": 1,
        "STATISTICS_ACTIVE_HOSTS": 5,
        "STATISTICS_SHIP_WITHIN_HOURS": 48,
        "STATISTICS_EXPIRY_WARNING_DAYS": 60,
    }


BEAT_SCHEDULE = {
    # Scans are counted by one SQL statement without model signals, and bulk updates send
    # none either: today's and yesterday's rollups are recomputed every few minutes.
    "statistics-refresh-recent-days": {"task": "county_statistics.tasks.refresh_recent_days",
                                       "schedule": 300.0},
    # Last month's reports for every county, ready on the 1st.
    "statistics-prepare-monthly-reports": {
        "task": "county_statistics.tasks.prepare_monthly_reports",
        "schedule": crontab(minute=30, hour=1, day_of_month=1)},
}
