"""``python manage.py rebuild_search_index``: re-index every product from scratch.

Database backend: the stored vectors are rebuilt in batches. Elasticsearch: a new index
is created and filled, then the alias is moved to it in one atomic call and the old index
deleted, so shoppers search the old index until the new one is complete (zero downtime).
Shows a progress bar (tqdm); ``--no-progress`` for logs."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog import search
from catalog.models import Product


class Command(BaseCommand):
    help = "Rebuild the product search index (zero-downtime alias swap on Elasticsearch)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true",
                            help="Do not draw a progress bar.")

    def handle(self, *args, **options):
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
        backend = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
        with tqdm(total=len(ids), unit="product", desc=f"search index ({backend})",
                  file=self.stderr._out, disable=options["no_progress"]) as bar:
            count = search.rebuild_index(ids, progress=bar.update)
        self.stdout.write(f"Indexed {count} products ({backend}).")
