#!/usr/bin/env bash
# Run county-pavilion on this machine with one command.
#
# Needs only Python >= 3.11. Creates .venv, installs the project with its development
# extras, migrates the database, loads the demo data (it prints the demo login) and starts
# the development server on 0.0.0.0:${PORT:-8000}. Without DATABASE_URL the settings start
# an embedded PostgreSQL (pgserver) under var/; without REDIS_URL Celery tasks run inline;
# without ELASTICSEARCH_URL search uses the database.
#
# The settings are production-safe by default; this script turns DEBUG on for itself, and
# with DEBUG on (and no SECRET_KEY) the settings make a development key in var/secret_key.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"
export DEBUG="${DEBUG:-1}"

# say, die, find_python, ensure_venv
source scripts/common.sh

ensure_venv
PY="$VENV/bin/python"

say "Installing county-pavilion and its dependencies into $VENV"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check -e '.[dev]'

if [ -z "${DATABASE_URL:-}" ]; then
    say "No DATABASE_URL: using the embedded PostgreSQL under var/"
fi

say "Migrating the database"
"$PY" manage.py migrate --noinput

say "Loading the demo data"
"$PY" manage.py load_demo_data
# Months of orders, scans and broadcasts behind the county screen's charts (idempotent).
"$PY" manage.py load_demo_statistics

say "Collecting static files"
"$PY" manage.py collectstatic --noinput --verbosity 0

say "Starting the development server on http://localhost:${PORT:-8000}/ (Ctrl-C stops it)"
exec "$PY" manage.py runserver "0.0.0.0:${PORT:-8000}"
