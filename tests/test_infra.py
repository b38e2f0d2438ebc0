"""The files that run the project, checked by what they do: the WSGI application and Celery
app that the Dockerfile and docker-compose.yml start, the settings the compose environment
gives, the beat schedule, ``manage.py check`` and ``collectstatic``, and scripts/dev.sh,
scripts/test.sh and .ci/run.

The shell scripts are run for real against a stand-in ``python`` that records how it was
called, so their logic (order of steps, pytest's exit codes) is checked without installing
anything. ``docker compose config`` validates the compose file where a compose client is
installed.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
import yaml
from celery import current_app
from celery.app.utils import find_app
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCRIPTS = ["scripts/dev.sh", "scripts/test.sh", "scripts/prod-check.sh", ".ci/run"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    assert command, service
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` as compose would expand it with NAME unset, and
    ``${NAME:?message}`` (a required variable) as a test value."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
    return re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "test-only", value)


def wsgi_targets(compose) -> set[str]:
    """The ``module:attribute`` that gunicorn serves, in the Dockerfile and in compose."""
    dockerfile_cmd = [line for line in (ROOT / "Dockerfile").read_text().splitlines()
                      if line.startswith("CMD ")][-1]
    commands = [json.loads(dockerfile_cmd[4:]), command_of(compose["services"]["web"])]
    return {command[1] for command in commands if command[0] == "gunicorn"}


# --- what the image and compose start ----------------------------------------------------


@pytest.mark.django_db
def test_the_served_wsgi_application_answers_a_request(compose):
    """gunicorn's target (Dockerfile and compose) imports and serves the page that the
    compose health check asks for."""
    targets = wsgi_targets(compose)
    assert len(targets) == 1, targets
    module, attribute = targets.pop().split(":")
    application = getattr(importlib.import_module(module), attribute)
    environ = {"PATH_INFO": "/admin/login/", "REQUEST_METHOD": "GET", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    statuses = []
    body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"], body[:500]
    assert b"csrfmiddlewaretoken" in body


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_start_the_project_app_with_every_beat_entry(compose, service):
    """``celery -A <target>`` of the worker and beat finds the project's Celery app, whose
    schedule holds each installed app's beat entries (installed by its AppConfig.ready)."""
    command = command_of(compose["services"][service])
    assert command[:2] == ["celery", "-A"]
    app = find_app(command[2])
    assert app is current_app._get_current_object()
    # What a worker does when it starts: import every installed app's tasks module.
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    declared = 0
    for config in apps.get_app_configs():
        try:
            conf = importlib.import_module(f"{config.name}.conf")
        except ModuleNotFoundError:
            continue
        for name, entry in getattr(conf, "BEAT_SCHEDULE", {}).items():
            declared += 1
            assert schedule.get(name, {}).get("task") == entry["task"], (config.name, name)
            assert entry["task"] in app.tasks, entry["task"]
    assert declared, "no app declares beat entries"


def test_compose_environment_configures_the_settings(compose, tmp_path):
    """The environment compose gives web, worker and beat is read by the settings: the
    PostgreSQL, Redis and Elasticsearch services, production mode, Alipay's key files."""
    shared = {key: interpolate(value) for key, value in compose["x-environment"].items()}
    for name in ["web", "worker", "beat", "migrate"]:
        environment = dict(compose["services"][name]["environment"])
        if name == "migrate":  # migrations alone run without a statement time limit
            assert environment.pop("DB_STATEMENT_TIMEOUT_MS") == "0"
        assert {k: interpolate(v) for k, v in environment.items()} == shared, name
    probe = textwrap.dedent("""\
        import json, django
        from django.conf import settings
        django.setup()
        db = settings.DATABASES["default"]
        print(json.dumps({
            "db": [db["ENGINE"], db["HOST"], db["PORT"], db["NAME"]],
            "broker": settings.CELERY_BROKER_URL, "eager": settings.CELERY_TASK_ALWAYS_EAGER,
            "search": settings.ELASTICSEARCH_URL, "debug": settings.DEBUG,
            "hosts": settings.ALLOWED_HOSTS, "key": settings.ALIPAY_PRIVATE_KEY_PATH,
        }))
        """)
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")}
    env.update(shared, PAVILION_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["db"] == ["django.db.backends.postgresql", "postgres", 5432, "pavilion"]
    assert seen["broker"].startswith("redis://redis:6379") and seen["eager"] is False
    assert seen["search"] == "http://elasticsearch:9200"
    assert seen["debug"] is False and "*" not in seen["hosts"]
    assert seen["key"] == "/run/secrets/alipay/app_private_key.pem"


def compose_client() -> list[str] | None:
    """``docker compose`` (the plugin) or ``docker-compose``, whichever works here."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_file_validates_with_the_compose_client():
    client = compose_client()
    if client is None:
        pytest.skip("no docker compose client on this machine")
    env = {**os.environ, "SECRET_KEY": "test-only"}
    result = subprocess.run(
        [*client, "-f", str(COMPOSE_FILE), "config", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


def test_collectstatic_needs_no_database(tmp_path):
    """The image collects static files at build time with an unreachable DATABASE_URL."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://build@127.0.0.1:1/build",
        "SECRET_KEY": "build-only",
        "PAVILION_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "static" / "admin").is_dir()
    assert (tmp_path / "static" / "storefront").is_dir()


# --- scripts and CI -------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_are_executable_and_parse(script):
    path = ROOT / script
    assert path.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
    check = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


FAKE_PYTHON = """\
#!/usr/bin/env bash
# Stands in for .venv/bin/python: records each call, and plays pytest's exit code.
printf '%s\\n' "$*" >> "$CALLS"
case "$1 $2" in
    "-m pytest") exit "${FAKE_PYTEST_RC:-0}" ;;
    "manage.py makemigrations") exit "${FAKE_MAKEMIGRATIONS_RC:-0}" ;;
esac
exit 0
"""


@pytest.fixture
def sandbox(tmp_path):
    """A copy of scripts/ and .ci/ beside a .venv whose python only records how it was
    called."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"

    def run(script, *args, **env):
        calls.write_text("")
        path = tmp_path / script if "/" in script else tmp_path / "scripts" / script
        result = subprocess.run(
            ["bash", str(path), *args],
            env={**os.environ, "CALLS": str(calls), "SKIP_APT": "1", "VENV": ".venv", **env},
            capture_output=True, text=True, timeout=60,
        )
        return result, calls.read_text().splitlines()

    return run


def test_test_script_steps_and_arguments(sandbox):
    result, calls = sandbox("test.sh", "-k", "graph ql", "-x")
    assert result.returncode == 0, result.stderr
    steps = [c for c in calls if not c.startswith("-c ")]
    assert steps[0].startswith("-m pip install") and "--upgrade pip" in steps[0]
    assert steps[1].startswith("-m pip install") and steps[1].endswith("-e .[test]")
    assert steps[2] == "manage.py makemigrations --check --dry-run"
    assert steps[3] == "-m pytest -n 2 --dist loadfile -k graph ql -x"


@pytest.mark.parametrize("pytest_rc, expected", [(0, 0), (1, 1), (2, 2), (5, 1)])
def test_test_script_exit_codes(sandbox, pytest_rc, expected):
    result, _ = sandbox("test.sh", FAKE_PYTEST_RC=str(pytest_rc))
    assert result.returncode == expected, result.stderr
    if pytest_rc == 5:
        assert "no tests" in result.stderr


@pytest.mark.parametrize("pytest_rc", [0, 1])
def test_ci_runs_the_test_script(sandbox, pytest_rc):
    """CI installs, checks migrations and runs pytest exactly as the test script does, and
    fails when the tests fail."""
    ci, ci_calls = sandbox(".ci/run", FAKE_PYTEST_RC=str(pytest_rc))
    script, script_calls = sandbox("test.sh", FAKE_PYTEST_RC=str(pytest_rc))
    assert ci.returncode == script.returncode == pytest_rc, ci.stderr
    assert ci_calls == script_calls
    assert "-m pytest" in ci_calls[-1]


def test_test_script_stops_on_a_missing_migration(sandbox):
    result, calls = sandbox("test.sh", FAKE_MAKEMIGRATIONS_RC="1")
    assert result.returncode != 0
    assert not any(c.startswith("-m pytest") for c in calls)


def test_dev_script_steps(sandbox):
    result, calls = sandbox("dev.sh", PORT="8123")
    assert result.returncode == 0, result.stderr
    steps = [c for c in calls if not c.startswith("-c ")]
    assert steps == [
        "-m pip install --quiet --disable-pip-version-check --upgrade pip",
        "-m pip install --quiet --disable-pip-version-check -e .[dev]",
        "manage.py migrate --noinput",
        "manage.py load_demo_data",
        "manage.py load_demo_statistics",
        "manage.py collectstatic --noinput --verbosity 0",
        "manage.py runserver 0.0.0.0:8123",
    ]


def test_scripts_refuse_an_old_python(tmp_path):
    """With no .venv and no Python >= 3.11 on PATH, dev.sh says so instead of going on."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    old = bin_dir / "python3"
    old.write_text(textwrap.dedent("""\
        #!/bin/sh
        case "$1" in -c) exit 1 ;; esac
        echo "Python 3.9.0"
        """))
    old.chmod(0o755)
    for tool in ["bash", "dirname", "rm", "printf", "id"]:
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "dev.sh")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "3.11" in result.stderr
    assert not (tmp_path / ".venv").exists()
