"""The Django admin in Chinese, checked on what it is made of: for every registered model
(and each inline's model) its names, every field's label, the column headers, the filters,
the fieldset titles, the actions' descriptions and the app's name must read in Chinese once
zh-Hans is active. A label left in English (no gettext, a msgid missing from the catalogue,
an alias makemessages does not know) fails here with the model and the text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.utils.translation import override

pytestmark = pytest.mark.django_db

# Words a Chinese admin still shows in Latin letters: codes and standards' names in capitals
# (SKU, GTIN, SC, SEO, EPCIS's ADD/OBSERVE…), and these names of products.
ALLOWED = {"GraphQL", "Alipay", "WeChat"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]+")
APPS = ["shop", "catalog", "supplychain", "brand", "livestream", "content", "county_statistics",
        "storefront", "workbench", "api", "demo", "config"]
ROOT = Path(settings.BASE_DIR)


def english(text) -> list[str]:
    """The words of ``text`` (rendered in the active language) that are English."""
    text = re.sub(r"%\([a-z_]+\)[sd]", "", str(text))
    return [w for w in WORD.findall(text) if w not in ALLOWED and not w.isupper()]


def _labels(model_admin, request):
    model = model_admin.model
    yield "verbose_name", model._meta.verbose_name
    yield "verbose_name_plural", model._meta.verbose_name_plural
    for field in [*model._meta.fields, *model._meta.many_to_many]:
        yield f"field {field.name}", field.verbose_name
        for value, label in field.flatchoices or ():
            yield f"choice {field.name}={value}", label
    if isinstance(model_admin, admin.ModelAdmin):
        for name in model_admin.get_list_display(request):
            if name != "__str__":
                yield f"column {name}", label_for_field(name, model, model_admin)
        if model_admin.get_list_filter(request):
            # The filters' titles as the change list shows them.
            for spec in model_admin.get_changelist_instance(request).filter_specs:
                yield "filter", spec.title
        for _name, (_func, _action, description) in model_admin.get_actions(request).items():
            yield f"action {_action}", description % {
                "verbose_name_plural": model._meta.verbose_name_plural}
        for title, _options in model_admin.get_fieldsets(request) or ():
            if title:
                yield "fieldset", title
    for name in model_admin.get_readonly_fields(request):
        if isinstance(name, str) and not hasattr(model, name) and hasattr(model_admin, name):
            yield f"readonly {name}", label_for_field(name, model, model_admin)


def test_every_admin_label_reads_in_chinese(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    admins = list(admin.site._registry.values())
    admins += [inline(admin_model.model, admin.site) for admin_model in admins
               for inline in admin_model.inlines]
    found = []
    with override("zh-hans"):
        for model_admin in admins:
            model = model_admin.model
            for where, label in _labels(model_admin, request):
                if english(label):
                    found.append(f"{model._meta.label} {where}: {label}")
            if english(model._meta.app_config.verbose_name):
                found.append(f"app {model._meta.app_label}: {model._meta.app_config.verbose_name}")
    assert not found, "\n".join(sorted(set(found)))


def test_no_gettext_alias_hides_messages_from_makemessages():
    """makemessages collects ``_``, ``gettext``, ``gettext_lazy``… by those names only: a
    function imported under another name (``gettext_lazy as _lazy``) leaves its msgids out
    of the catalogue, and its strings in English."""
    aliases = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    for alias in node.names:
                        if alias.asname and alias.asname not in ("_", alias.name):
                            aliases.append(f"{path.relative_to(ROOT)}: {alias.name} as "
                                           f"{alias.asname}")
    assert aliases == []
