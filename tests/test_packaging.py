"""``pip install .`` (not editable) gives a working install: the wheel holds every project
app with its templates, static files, translation catalogue and fixtures. The wheel is
built from a copy of the repository, without build isolation (no network)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = ("templates", "static", "locale", "fixtures")
SKIP = shutil.ignore_patterns(".git", ".venv", "var", "build", "dist", "*.egg-info",
                              "__pycache__", "node_modules")


def project_packages() -> list[Path]:
    """The project's own packages: the settings package and each installed app under ROOT."""
    packages = {Path(settings.BASE_DIR) / "config"}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv"):
            packages.add(path)
    return sorted(packages)


def shipped(package: Path) -> list[str]:
    """The files of ``package`` an install needs: modules and the data directories."""
    files = []
    for path in package.rglob("*"):
        relative = path.relative_to(package)
        if not path.is_file() or "__pycache__" in relative.parts:
            continue
        if path.suffix == ".py" or relative.parts[0] in DATA_DIRS or any(
                part in DATA_DIRS for part in relative.parts[:-1]):
            files.append(path.relative_to(ROOT).as_posix())
    return files


def test_the_wheel_holds_every_app_template_static_file_and_catalogue(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SKIP)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    packages = project_packages()
    assert {p.name for p in packages} >= {"config", "shop", "catalog", "supplychain", "brand",
                                          "livestream", "storefront", "api", "demo"}
    expected = [name for package in packages for name in shipped(package)]
    missing = sorted(set(expected) - names)
    assert missing == []
    # the catalogue Django reads is inside a package, so an install finds it
    catalogue = Path(settings.LOCALE_PATHS[0]).resolve().relative_to(ROOT)
    assert f"{catalogue.as_posix()}/zh_Hans/LC_MESSAGES/django.mo" in names
    assert any(name.startswith("storefront/templates/") for name in names)
    assert any(name.startswith("storefront/static/") for name in names)
