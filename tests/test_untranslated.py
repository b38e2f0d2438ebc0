"""Chinese first, checked in the code itself: a user-visible string written in Python (an
error message, a page message, a notification, a field's or choice's label) must go
through gettext, or it reaches Chinese users in English whatever the catalogue holds.

The test reads every module of the apps (their syntax trees, not their imports) and lists
each string literal, or f-string, passed where users read it and not wrapped in a gettext
call: ``ValidationError(...)``, ``field_error(field, message, ...)``,
``messages.<level>(request, message)``, ``notify(recipient, kind, subject, body)``,
``verbose_name``/``verbose_name_plural``/``label``/``help_text``/``empty_label``, a model
field's first (verbose name) argument, and the labels of ``TextChoices``."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

APPS = ["shop", "catalog", "supplychain", "brand", "livestream", "api", "storefront",
        "workbench", "county_statistics", "config", "demo"]
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext",
           "ngettext_lazy", "gettext_noop", "format_lazy", "capfirst"}
LABEL_KEYWORDS = {"verbose_name", "verbose_name_plural", "label", "help_text", "empty_label"}
MESSAGE_LEVELS = {"success", "error", "warning", "info", "debug", "add_message"}
# Model fields whose first positional argument is not a verbose name.
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "GenericForeignKey"}


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _prose(text: str) -> bool:
    """Words a person reads: letters, and not an upper-case code such as ``OBSERVE``."""
    return any(c.isalpha() for c in text) and not (text.isupper() and text.isidentifier())


def _visible_text(node) -> bool:
    """A bare literal, or an f-string with words of its own (one that only joins values,
    translated elsewhere, is not prose)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.Constant) and _prose(part.value)
                   for part in node.values)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and _prose(node.value)


def _spots(call: ast.Call):
    """The arguments of ``call`` that users read."""
    name = _name(call.func)
    owner = _name(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    args = call.args
    if name == "ValidationError" and args:
        yield args[0]
    elif name == "field_error" and len(args) >= 2:
        yield args[1]
    elif owner == "messages" and name in MESSAGE_LEVELS and len(args) >= 2:
        yield args[-1] if name == "add_message" else args[1]
    elif name == "notify" and owner in ("", "notifications"):
        yield from args[2:4]
        yield from (k.value for k in call.keywords if k.arg in ("subject", "body"))
    elif owner in ("models", "forms") and name.endswith("Field") and name not in RELATIONS \
            and args:
        yield args[0]
    yield from (k.value for k in call.keywords if k.arg in LABEL_KEYWORDS)


def _choice_labels(cls: ast.ClassDef):
    if not any(_name(base) in ("TextChoices", "IntegerChoices") for base in cls.bases):
        return
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple) \
                and len(statement.value.elts) >= 2:
            yield statement.value.elts[-1]


def untranslated() -> list[str]:
    root = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                spots = (_spots(node) if isinstance(node, ast.Call)
                         else _choice_labels(node) if isinstance(node, ast.ClassDef) else ())
                for spot in spots:
                    if _visible_text(spot):
                        text = spot.value if isinstance(spot, ast.Constant) else "f-string"
                        found.append(f"{path.relative_to(root)}:{spot.lineno}: {text!r}")
    return found


def test_every_user_visible_string_in_python_goes_through_gettext():
    assert untranslated() == []


def test_the_checker_finds_an_untranslated_message(tmp_path, settings):
    """The checker itself: a module with a bare message, label and choice is caught."""
    app = tmp_path / "shop"
    app.mkdir()
    (app / "bad.py").write_text(
        "from django.db import models\n"
        "class Kind(models.TextChoices):\n    A = 'a', 'Apple'\n"
        "def f():\n    raise field_error('x', 'Too long', 'invalid')\n"
        "class M(models.Model):\n    name = models.CharField('name', max_length=3)\n"
        "    code = models.CharField(_('code'), choices=[('A', 'A')], max_length=3)\n"
        "def g(user, d):\n    notify(user, 'k', f'Hello {d}', f'{d}\\n{d}')\n"
        "    ok = models.CharField(_('ok'), max_length=3, help_text=_('fine'))\n",
        encoding="utf-8")
    settings.BASE_DIR = tmp_path
    assert [line.split(": ", 1)[1] for line in untranslated()] == [
        "'Apple'", "'Too long'", "'name'", "'f-string'"]
