"""The compose file's one-shot ``migrate`` service runs without the pages' statement time
limit (a migration may rewrite a large table), and keeps every other setting of the app."""

from __future__ import annotations

from pathlib import Path

import yaml

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def test_migrations_run_without_a_statement_timeout():
    services = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))["services"]
    migrate, web = services["migrate"]["environment"], services["web"]["environment"]
    assert migrate["DB_STATEMENT_TIMEOUT_MS"] == "0"
    assert "DB_STATEMENT_TIMEOUT_MS" not in web
    assert {k: v for k, v in migrate.items() if k != "DB_STATEMENT_TIMEOUT_MS"} == web
