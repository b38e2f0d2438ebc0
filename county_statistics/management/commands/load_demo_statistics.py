"""``python manage.py load_demo_statistics``: about fourteen months of demo history for
the county screen (orders, codes and scans, lots from households, broadcasts, licences)
and one county official per county (``official-<pavilion>@pavilion.demo``), then the
rollups rebuilt. Run after ``load_demo_data``; idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from county_statistics.demo import load_demo_statistics


class Command(BaseCommand):
    help = ("Load demo statistics history for the county screen (idempotent). "
            "加载县域大数据展示平台的演示数据（可重复执行）。")

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=14)

    def handle(self, *args, **options):
        load_demo_statistics(months=options["months"], stdout=self.stdout)
