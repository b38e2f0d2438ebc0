"""The files that run the project: scripts/dev.sh, scripts/test.sh, .ci/run, the Dockerfile
and docker-compose.yml. None of these tests needs the database.

The shell scripts are run for real against a stand-in ``python`` that records how it was
called, so their logic (order of steps, pytest's exit codes) is checked without installing
anything.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCRIPTS = ["scripts/dev.sh", "scripts/test.sh", ".ci/run"]

APP_SERVICES = ["web", "worker", "beat"]
SHARED_ENV = [
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "PUBLIC_URL",
    "ALIPAY_APP_ID",
    "ALIPAY_PRIVATE_KEY_PATH",
    "ALIPAY_PUBLIC_KEY_PATH",
    "ALIPAY_GATEWAY_URL",
    "ALIPAY_SANDBOX",
]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    assert command, service
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def environment_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: str(value) for key, value in env.items()}


# --- docker-compose.yml ---------------------------------------------------------------


def test_compose_has_all_services(compose):
    services = compose["services"]
    for name in ["web", "worker", "beat", "postgres", "redis", "elasticsearch", "migrate"]:
        assert name in services, f"service {name!r} missing from docker-compose.yml"


def test_compose_app_commands(compose):
    services = compose["services"]
    web = command_of(services["web"])
    assert web[0] == "gunicorn" and "config.wsgi:application" in web
    assert command_of(services["worker"])[:6] == ["celery", "-A", "shop", "worker", "-l", "info"]
    assert command_of(services["beat"])[:6] == ["celery", "-A", "shop", "beat", "-l", "info"]
    migrate = command_of(services["migrate"])
    assert migrate[:3] == ["python", "manage.py", "migrate"] and "--noinput" in migrate
    assert services["migrate"].get("restart") == "no"


def test_compose_app_services_share_one_environment(compose):
    assert "x-environment" in compose, "the shared environment is an x-environment anchor"
    shared = environment_of({"environment": compose["x-environment"]})
    for key in SHARED_ENV:
        assert key in shared, f"{key} missing from x-environment"
    assert shared["DEBUG"] == "0"
    assert shared["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in shared[
        "DATABASE_URL"]
    assert shared["REDIS_URL"].startswith("redis://redis:6379")
    assert shared["ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
    for name in [*APP_SERVICES, "migrate"]:
        assert environment_of(compose["services"][name]) == shared, name


def test_compose_app_services_wait_for_their_dependencies(compose):
    services = compose["services"]
    web_deps = services["web"]["depends_on"]
    for dep in ["postgres", "redis", "elasticsearch"]:
        assert web_deps[dep]["condition"] == "service_healthy", dep
    for name in APP_SERVICES:
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert any(str(p).endswith(":8000") for p in services["web"]["ports"])


def test_compose_backing_services(compose):
    services = compose["services"]
    named_volumes = set(compose.get("volumes") or {})
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    es = services["elasticsearch"]
    assert es["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    es_env = environment_of(es)
    assert es_env["discovery.type"] == "single-node"
    assert es_env["xpack.security.enabled"] == "false"
    for name in ["postgres", "redis", "elasticsearch"]:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    for name in ["postgres", "elasticsearch"]:
        volumes = [str(v).split(":", 1)[0] for v in services[name]["volumes"]]
        assert any(v in named_volumes for v in volumes), f"{name} keeps no named volume"


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


# --- Dockerfile -----------------------------------------------------------------------


def test_dockerfile():
    lines = [
        line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    text = "\n".join(lines)
    assert lines[0] == "FROM python:3.11-slim"
    assert "pip install" in text
    assert "collectstatic --noinput" in text
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "EXPOSE 8000" in lines
    cmd = [line for line in lines if line.startswith("CMD ")][-1]
    assert '"gunicorn", "config.wsgi:application"' in cmd


def test_dockerignore_keeps_local_state_out():
    entries = set((ROOT / ".dockerignore").read_text().split())
    for entry in [".git", ".venv", "var"]:
        assert entry in entries


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


# --- scripts and CI -------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_are_executable_bash(script):
    path = ROOT / script
    assert path.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
    text = path.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    check = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_ci_runs_the_test_script_and_nothing_else():
    commands = [
        line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    commands = [c for c in commands if not c.startswith(("set ", "cd "))]
    assert commands == ["./scripts/test.sh"]


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
    """A copy of scripts/ beside a .venv whose python only records how it was called."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    fake = tmp_path / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"

    def run(script, *args, **env):
        calls.write_text("")
        result = subprocess.run(
            ["bash", str(tmp_path / "scripts" / script), *args],
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
    assert steps[3] == "-m pytest -k graph ql -x"


@pytest.mark.parametrize("pytest_rc, expected", [(0, 0), (1, 1), (2, 2), (5, 1)])
def test_test_script_exit_codes(sandbox, pytest_rc, expected):
    result, _ = sandbox("test.sh", FAKE_PYTEST_RC=str(pytest_rc))
    assert result.returncode == expected, result.stderr
    if pytest_rc == 5:
        assert "no tests" in result.stderr


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
        "-m pip install --quiet --disable-pip-version-check -e .",
        "manage.py migrate --noinput",
        "manage.py load_demo_data",
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
