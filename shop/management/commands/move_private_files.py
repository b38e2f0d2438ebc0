"""Move files kept at public paths before their field was made private.

Every file field whose ``upload_to`` lies under ``private/`` (inspection reports, licence
and application documents, label sheets, county reports) is served only after a
permission check; the web server and the bucket policy serve nothing under ``private/``.
Files stored before a field moved there still sit at their old, public path: this command
copies each to a new name the field chooses under ``private/``, points the row at it and
deletes the old file. Rows already under ``private/`` are left alone, so it can be run
again after an interruption.

Run: ``manage.py move_private_files`` (``--dry-run`` to count only).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils.translation import gettext as _

from shop.uploads import PRIVATE_PREFIX, RandomName


def private_file_fields():
    """(model, field) for every file field stored under ``private/``."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            upload_to = field.upload_to
            folder = upload_to.folder if isinstance(upload_to, RandomName) else upload_to
            if isinstance(folder, str) and folder.startswith(PRIVATE_PREFIX):
                yield model, field


def move(instance, field) -> str:
    """Copy the row's file to a private name, point the row at it, delete the old file."""
    fieldfile = getattr(instance, field.attname)
    old = fieldfile.name
    storage = fieldfile.storage
    with storage.open(old, "rb") as content:
        new = storage.save(field.generate_filename(instance, PurePosixPath(old).name), content)
    with transaction.atomic():
        type(instance).objects.filter(pk=instance.pk, **{field.attname: old}).update(
            **{field.attname: new})
    storage.delete(old)
    return new


class Command(BaseCommand):
    help = _("Move files stored at public paths into private/ (safe to run again).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Count the files to move, move nothing."))

    def handle(self, *args, dry_run=False, **options):
        moved = missing = 0
        for model, field in private_file_fields():
            public = (model.objects.exclude(**{field.attname: ""})
                      .exclude(**{f"{field.attname}__startswith": PRIVATE_PREFIX}))
            for instance in public.iterator():
                fieldfile = getattr(instance, field.attname)
                if not fieldfile.storage.exists(fieldfile.name):
                    missing += 1
                    self.stderr.write(_("Missing: %(model)s %(pk)s %(name)s") % {
                        "model": model._meta.label, "pk": instance.pk, "name": fieldfile.name})
                    continue
                if not dry_run:
                    move(instance, field)
                moved += 1
        message = _("To move: %(moved)d, missing: %(missing)d") if dry_run else _(
            "Moved: %(moved)d, missing: %(missing)d")
        self.stdout.write(message % {"moved": moved, "missing": missing})
