"""``python manage.py rebuild_statistics``: recompute every daily rollup from the raw
records (orders, codes and scans, sourcing lots, licences), a month at a time, with a
progress bar (tqdm); ``--from``/``--to`` limit it to a range of days, ``--no-progress``
for logs."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from county_statistics import services


class Command(BaseCommand):
    help = ("Rebuild the county statistics' daily rollups from the raw records. "
            "从原始记录重建县域统计日汇总。")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=date.fromisoformat,
                            help="First day (YYYY-MM-DD); default: the earliest record.")
        parser.add_argument("--to", dest="last", type=date.fromisoformat,
                            help="Last day (YYYY-MM-DD); default: today.")
        parser.add_argument("--family", action="append", choices=services.FAMILIES,
                            help="Only these rollup families (repeatable).")
        parser.add_argument("--no-progress", action="store_true",
                            help="Do not draw a progress bar.")

    def handle(self, *args, **options):
        first, last = options["first"], options["last"]
        if first and last and last < first:
            raise CommandError("--to is before --from")
        end = last + timedelta(days=1) if last else None
        total = services.rebuild_days_total(first, end)
        with tqdm(total=total, unit="day", desc="statistics", file=self.stderr._out,
                  disable=options["no_progress"]) as bar:
            days = services.rebuild(first, end, families=options["family"] or services.FAMILIES,
                                    progress=bar.update)
        self.stdout.write(f"Rebuilt {days} days of statistics.")
