#!/usr/bin/env bash
# Run the test suite, installing what it needs first. Arguments go to pytest.
#
#   ./scripts/test.sh                 # everything
#   ./scripts/test.sh -k graphql -x   # a selection
#
# Creates .venv if missing, installs the project with its test extras, installs Debian's
# Chromium and the fonts its screenshots need (Noto CJK for Chinese, Tibetan Machine for
# Tibetan names) when missing and we are root (SKIP_APT=1 skips that), checks that no migration is missing, then runs pytest and exits with its code.
# "No tests collected" (pytest's exit 5) counts as a failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"
CHROMIUM="/usr/bin/chromium"

# say, die, find_python, ensure_venv
source scripts/common.sh

# System packages the browser tests need: Debian's Chromium, driven through the Python
# playwright package (never `playwright install`, which downloads its own browser), and
# fonts so that screenshots show Chinese and Tibetan text rather than empty boxes.
SYSTEM_PACKAGES=(chromium fonts-noto-cjk fonts-tibetan-machine)

install_system_packages() {
    if [ "${SKIP_APT:-0}" = "1" ]; then
        say "SKIP_APT=1: not installing system packages"
        return 0
    fi
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        say "warning: ${missing[*]} missing and apt-get cannot install them here (needs root on Debian); browser tests may not run or may draw boxes for Chinese"
        return 0
    fi
    say "Installing Debian's ${missing[*]} for the browser tests"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -x "$CHROMIUM" ] || die "apt-get installed chromium but $CHROMIUM is not there"
}

ensure_venv
PY="$VENV/bin/python"

say "Installing county-pavilion with its test extras into $VENV"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check -e '.[test]'

install_system_packages

say "Checking that no migration is missing"
"$PY" manage.py makemigrations --check --dry-run

say "Running pytest $*"
status=0
# Two processes (one per core of the CI machine; PYTEST_WORKERS to change), a test file
# staying in one process so its module fixtures (the demo data, a worker) are made once.
"$PY" -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@" || status=$?
if [ "$status" -eq 5 ]; then
    printf 'error: pytest collected no tests\n' >&2
    exit 1
fi
exit "$status"
