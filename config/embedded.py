"""Embedded services for a machine with nothing installed: PostgreSQL through ``pgserver``
(only when ``DATABASE_URL`` is not set; ``pgserver`` is a development dependency), and the
development secret key.

The PostgreSQL data directory lives under ``var/`` so that one command on a fresh machine
gives a real PostgreSQL, the same server kind as production.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_servers: dict[str, object] = {}


def embedded_postgres(data_dir: Path, database: str) -> dict:
    """Start (or attach to) the embedded PostgreSQL in ``data_dir``; return Django settings."""
    import warnings

    # pgserver asks platformdirs for a runtime folder that servers and CI machines lack.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    try:
        import pgserver
    except ImportError:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL (pgserver, installed with "
            "pip install '.[dev]') is not available") from None

    key = str(data_dir)
    server = _servers.get(key)
    if server is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(
            data_dir, cleanup_mode=os.environ.get("PGSERVER_CLEANUP", "stop"))
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
        if "1 row" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        _servers[key] = server
        _exit_cleanly_on_sigterm()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir),
        "PORT": "",
        "CONN_MAX_AGE": 0,
        # One test database per test process, so that several test runs (developers'
        # helpers, a dev server) can share the embedded server without clashing.
        "TEST": {"NAME": f"test_{database}_{os.getpid()}"},
    }


def development_secret_key(var_dir: Path) -> str:
    """A random key made once and kept in ``var/secret_key`` (readable by its owner only),
    so that development sessions survive restarts. Never used without ``DEBUG``."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _exit_cleanly_on_sigterm() -> None:
    """pgserver stops the server when its last user exits normally; a process killed by
    SIGTERM (a stopped runserver or gunicorn) would skip that, so turn SIGTERM into a
    normal exit where no one else handles it."""
    import signal
    import sys
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
