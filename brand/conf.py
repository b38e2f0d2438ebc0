"""The brand app's periodic tasks; installed by BrandConfig.ready."""

BEAT_SCHEDULE = {
    "brand-close-notice-periods": {"task": "brand.tasks.close_notice_periods",
                                   "schedule": 300.0},
    "brand-send-expiry-reminders": {"task": "brand.tasks.send_expiry_reminders",
                                    "schedule": 6 * 3600.0},
    "brand-send-usage-report-reminders": {"task": "brand.tasks.send_usage_report_reminders",
                                          "schedule": 6 * 3600.0},
    "brand-expire-licences": {"task": "brand.tasks.expire_licences", "schedule": 3600.0},
}
