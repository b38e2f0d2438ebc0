#!/usr/bin/env python
"""Refresh the Simplified Chinese catalogue.

1. ``makemessages`` collects every msgid from the code and templates (needs GNU gettext's
   xgettext, a developer tool: ``apt-get install gettext``);
2. translations from ``config/locale/translations/*.json`` ({"msgid": "译文"}), if any,
   are merged in (several people can add strings without editing one .po at once); with
   ``--consume`` the merged files are removed, as the .po is the catalogue;
3. the .mo is compiled with ``polib`` (no msgfmt needed), and untranslated msgids listed.

Run: ``.venv/bin/python scripts/i18n.py`` from the repository root.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "config" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
JSON_DIR = ROOT / "config" / "locale" / "translations"
APPS = ["shop", "catalog", "supplychain", "brand", "livestream", "api"]


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
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
