"""The supply chain's own settings; installed by SupplychainConfig.ready."""

from shop.conf import env_int


def defaults() -> dict:
    return {
        # A code scanned more often than this is flagged (a package is scanned a handful
        # of times).
        "TRACE_SCAN_ALERT_THRESHOLD": env_int("TRACE_SCAN_ALERT_THRESHOLD", 20),
        # Largest packing run: one run issues this many codes at most in one transaction.
        "TRACE_MAX_CODES_PER_RUN": env_int("TRACE_MAX_CODES_PER_RUN", 200_000),
    }
