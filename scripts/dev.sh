#!/usr/bin/env bash
# Run county-pavilion on this machine with one command.
#
# Needs only Python >= 3.11. Creates .venv, installs the project, migrates the database,
# loads the demo data (it prints the demo login) and starts the development server on
# 0.0.0.0:${PORT:-8000}. Without DATABASE_URL the settings start an embedded PostgreSQL
# (pgserver) under var/; without REDIS_URL Celery tasks run inline; without
# ELASTICSEARCH_URL search uses the database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The first of $PYTHON, python3.11, python3, python that is Python >= 3.11.
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        return 0
    fi
    local python
    python="$(find_python)" || die "Python 3.11 or newer is needed (looked for python3.11, python3, python)"
    say "Creating $VENV with $("$python" --version 2>&1)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV" || die "could not create $VENV (on Debian/Ubuntu: apt-get install python3-venv)"
}

ensure_venv
PY="$VENV/bin/python"

say "Installing county-pavilion and its dependencies into $VENV"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check -e .

if [ -z "${DATABASE_URL:-}" ]; then
    say "No DATABASE_URL: using the embedded PostgreSQL under var/"
fi

say "Migrating the database"
"$PY" manage.py migrate --noinput

say "Loading the demo data"
"$PY" manage.py load_demo_data

say "Collecting static files"
"$PY" manage.py collectstatic --noinput --verbosity 0

say "Starting the development server on http://localhost:${PORT:-8000}/ (Ctrl-C stops it)"
exec "$PY" manage.py runserver "0.0.0.0:${PORT:-8000}"
