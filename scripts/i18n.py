#!/usr/bin/env python
"""Refresh the Simplified Chinese catalogue, and the Tibetan one of the shop and trace pages.

1. ``makemessages`` collects every msgid from the code and templates (needs GNU gettext's
   xgettext, a developer tool: ``apt-get install gettext``);
2. translations from ``config/locale/translations/*.json`` ({"msgid": "译文"}), if any,
   are merged in (several people can add strings without editing one .po at once); with
   ``--consume`` the merged files are removed, as the .po is the catalogue;
3. the .mo is compiled with ``polib`` (no msgfmt needed), and untranslated msgids listed.

4. the Tibetan (``bo``) catalogue is rebuilt from the messages 泽库's shoppers read (the
   shop's templates and the Python strings they show, the trace page, the recall banner
   and notices: ``BO_SCOPE``), found without gettext tools
   (``shop_messages``), with the translations of ``config/locale/translations/bo/*.json``.

Run: ``.venv/bin/python scripts/i18n.py`` from the repository root.
"""

import ast
import io
import json
import os
import subprocess
import sys
import tokenize
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "config" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
JSON_DIR = ROOT / "config" / "locale" / "translations"
APPS = ["shop", "catalog", "supplychain", "brand", "livestream", "api"]
BO_PO = ROOT / "config" / "locale" / "bo" / "LC_MESSAGES" / "django.po"
BO_JSON_DIR = JSON_DIR / "bo"
# What a shopper reads in Tibetan: templates (every message), Python modules (every gettext
# call) and models (only their choices' labels, shown as statuses on those pages: the
# orders' and, in shop/returns.py, the after-sales requests' types, reasons and statuses). Label
# sheets print their lines in Chinese (GB 7718) with the product's Tibetan name.
BO_SCOPE = {
    "templates": ["storefront/templates/storefront/*.html",
                  "supplychain/templates/supplychain/*.html",
                  "livestream/templates/livestream/schedule.html"],
    "modules": ["storefront/*.py", "supplychain/views.py", "supplychain/services/recalls.py",
                "supplychain/trace_texts.py"],
    "choices": ["supplychain/models.py", "supplychain/chain_records.py", "shop/models.py",
                "shop/returns.py"],
}
BO_HEADER = (
    "Tibetan (བོད་ཡིག) messages of the shop, the trace page and recall banners and notices,\n"
    "for 泽库's shoppers. Built by scripts/i18n.py from config/locale/translations/bo/*.json;\n"
    "edit those files, not this one. Translated from the Chinese and English by the\n"
    "developers, not by a native speaker: TO BE REVIEWED by a Tibetan speaker from 泽库\n"
    "(Amdo) before it is relied on. Messages outside these pages fall back to Chinese.")
GETTEXT_CALLS = {"_": "gettext", "gettext": "gettext", "gettext_lazy": "gettext",
                 "gettext_noop": "gettext", "pgettext": "pgettext",
                 "pgettext_lazy": "pgettext", "ngettext": "ngettext",
                 "ngettext_lazy": "ngettext", "npgettext": "npgettext",
                 "npgettext_lazy": "npgettext"}


def _key(context, msgid) -> str:
    # A message with a context is keyed "context\u0004msgid", as in a .mo file.
    return f"{context}\x04{msgid}" if context else msgid


def _message(kind: str, strings: list[str]):
    """(context, msgid, plural) of a gettext call's string arguments."""
    if kind == "pgettext":
        return strings[0], strings[1], None
    if kind == "npgettext":
        return strings[0], strings[1], strings[2]
    if kind == "ngettext":
        return None, strings[0], strings[1]
    return None, strings[0], None


def _template_messages(text: str):
    """Django's ``templatize`` (what makemessages hands xgettext) turns the template's
    translate/blocktranslate tags into gettext calls among filler: read those calls."""
    from django.utils.translation.template import templatize

    tokens = list(tokenize.generate_tokens(io.StringIO(templatize(text)).readline))
    for index, token in enumerate(tokens[:-1]):
        kind = GETTEXT_CALLS.get(token.string)
        if token.type != tokenize.NAME or not kind or tokens[index + 1].string != "(":
            continue
        strings = []
        for argument in tokens[index + 2:]:
            if argument.string == ")":
                break
            if argument.type == tokenize.STRING:
                strings.append(ast.literal_eval(argument.string))
        yield _message(kind, strings)


def _call_messages(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        strings = [a.value for a in node.args
                   if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name in GETTEXT_CALLS and strings:
            yield _message(GETTEXT_CALLS[name], strings)


def _choice_messages(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
                getattr(base, "attr", getattr(base, "id", "")).endswith("Choices")
                for base in node.bases):
            yield from _call_messages(node)


def shop_messages() -> set[tuple]:
    """Every (context, msgid, plural) of ``BO_SCOPE``: the Tibetan catalogue's messages."""
    found = set()
    for pattern in BO_SCOPE["templates"]:
        for path in ROOT.glob(pattern):
            found.update(_template_messages(path.read_text(encoding="utf-8")))
    for kind, reader in (("modules", _call_messages), ("choices", _choice_messages)):
        for pattern in BO_SCOPE[kind]:
            for path in ROOT.glob(pattern):
                found.update(reader(ast.parse(path.read_text(encoding="utf-8"))))
    return found


def tibetan_translations() -> dict[str, str]:
    translations = {}
    for path in sorted(BO_JSON_DIR.glob("*.json")) if BO_JSON_DIR.exists() else []:
        translations.update(json.loads(path.read_text(encoding="utf-8")))
    return translations


def refresh_tibetan() -> list[str]:
    """Rebuild the ``bo`` .po and .mo; returns the messages still without Tibetan."""
    translations = tibetan_translations()
    po = polib.POFile(wrapwidth=0)
    po.header = BO_HEADER
    po.metadata = {"Project-Id-Version": "county-pavilion", "Language": "bo",
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=1; plural=0;"}
    missing = []
    for context, msgid, plural in sorted(shop_messages(), key=lambda m: (m[1], m[0] or "")):
        text = translations.get(_key(context, msgid), "")
        entry = polib.POEntry(msgctxt=context, msgid=msgid, msgstr="" if plural else text)
        if plural:
            entry.msgid_plural = plural
            entry.msgstr_plural = {0: text}
        po.append(entry)
        if not text:
            missing.append(msgid)
    BO_PO.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(BO_PO))
    po.save_as_mofile(str(BO_PO.with_suffix(".mo")))
    return missing


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location",
         "--no-obsolete", *[f"--ignore={p}" for p in (".venv/*", "var/*", "tests/*",
                                                        "benchmarks/*", "build/*")]],
        cwd=ROOT, env=env, check=True,
    )
    po = polib.pofile(str(PO))
    po.metadata.update({"Language": "zh_Hans", "Content-Type": "text/plain; charset=UTF-8",
                        "Plural-Forms": "nplurals=1; plural=0;"})
    merged = []
    for path in sorted(JSON_DIR.glob("*.json")) if JSON_DIR.exists() else []:
        translations = json.loads(path.read_text(encoding="utf-8"))
        for entry in po:
            # A message with a context is keyed "context\u0004msgid", as in a .mo file.
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if translations.get(key):
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: translations[key]}
                else:
                    entry.msgstr = translations[key]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        merged.append(path)
    po.save(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    if "--consume" in sys.argv:
        for path in merged:
            path.unlink()
    missing = [e.msgid for e in po if not e.translated()]
    print(f"{len(po)} messages, {len(missing)} untranslated; merged {len(merged)} files")
    for msgid in missing:
        print("  untranslated:", msgid)
    missing_bo = refresh_tibetan()
    print(f"Tibetan: {len(missing_bo)} of the shop's messages without a translation "
          f"(add them to {BO_JSON_DIR.relative_to(ROOT)}/*.json)")
    for msgid in missing_bo:
        print("  no Tibetan:", msgid)
    return 1 if missing or missing_bo else 0


if __name__ == "__main__":
    sys.exit(main())
