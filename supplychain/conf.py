"""The supply chain's own settings; installed by SupplychainConfig.ready."""

from shop.conf import env_int, env_str


def defaults() -> dict:
    return {
        # A code scanned more often than this is flagged (a package is scanned a handful
        # of times).
        "TRACE_SCAN_ALERT_THRESHOLD": env_int("TRACE_SCAN_ALERT_THRESHOLD", 20),
        # Largest packing run: one run issues this many codes at most in one transaction.
        "TRACE_MAX_CODES_PER_RUN": env_int("TRACE_MAX_CODES_PER_RUN", 200_000),
        # A client's repeated look-ups of one code inside this window are shown but counted
        # once (0: count every look-up).
        "TRACE_SCAN_REPEAT_SECONDS": env_int("TRACE_SCAN_REPEAT_SECONDS", 60),
        # Look-ups of codes never issued allowed per client and window; beyond: HTTP 429.
        "TRACE_UNKNOWN_BUDGET": env_int("TRACE_UNKNOWN_BUDGET", 30),
        "TRACE_UNKNOWN_WINDOW_SECONDS": env_int("TRACE_UNKNOWN_WINDOW_SECONDS", 600),
        # How long a code's page data stays cached at most (changes invalidate it at once).
        "TRACE_CACHE_SECONDS": env_int("TRACE_CACHE_SECONDS", 300),
        # Scans written per batch by flush_scans, and how long Redis is left alone after
        # it failed (scans are written directly meanwhile).
        "TRACE_SCAN_BATCH_SIZE": env_int("TRACE_SCAN_BATCH_SIZE", 500),
        "TRACE_REDIS_RETRY_SECONDS": env_int("TRACE_REDIS_RETRY_SECONDS", 5),
        # A label sheet pending longer than this lost its task and is queued again (a big
        # sheet takes a few minutes); one pending this many hours is marked failed.
        "LABEL_SHEET_STALE_MINUTES": env_int("LABEL_SHEET_STALE_MINUTES", 20),
        "LABEL_SHEET_GIVE_UP_HOURS": env_int("LABEL_SHEET_GIVE_UP_HOURS", 24),
        # Tracing by text (supplychain.sms_trace): the secret in the address the SMS
        # provider pushes received texts to (/sms/inbound/<token>/; none: no endpoint),
        # the extension of the pavilion's trace number (none: every pushed text), texts
        # answered per sender and window, and how old a pushed text may be to be answered.
        "SMS_INBOUND_TOKEN": env_str("SMS_INBOUND_TOKEN"),
        "SMS_INBOUND_DEST_CODE": env_str("SMS_INBOUND_DEST_CODE"),
        "TRACE_SMS_PER_NUMBER": env_int("TRACE_SMS_PER_NUMBER", 10),
        "TRACE_SMS_WINDOW_SECONDS": env_int("TRACE_SMS_WINDOW_SECONDS", 3600),
        "SMS_INBOUND_MAX_AGE_MINUTES": env_int("SMS_INBOUND_MAX_AGE_MINUTES", 24 * 60),
    }


BEAT_SCHEDULE = {
    # Buffered trace-page scans reach the database within a few seconds.
    "supplychain-flush-scans": {"task": "supplychain.tasks.flush_scans", "schedule": 5.0},
    "supplychain-recover-label-sheets": {
        "task": "supplychain.tasks.recover_stale_label_sheets", "schedule": 300.0},
    # Texted codes whose answer was never queued (the broker down at the commit).
    "supplychain-answer-waiting-texts": {
        "task": "supplychain.tasks.answer_waiting_texts", "schedule": 120.0},
}
