"""``python manage.py load_demo_data``: the five seed counties' pavilions, catalogue,
organisations, demo users and live broadcasts (``demo.data``), loaded by ``demo.loader``.
Idempotent: a second run writes nothing."""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import Category, Collection, Pavilion, Product, ProductMedia, ProductVariant
from demo import data
from demo.loader import Loader
from shop.models import Organization

ADMIN_URL = "http://localhost:8000/admin/"
GRAPHQL_URL = "http://localhost:8000/graphql/"


class Command(BaseCommand):
    help = ("Load the demo pavilions, catalogue, organisations and users of the five seed "
            "counties (idempotent). 加载五个示范县特色馆的演示数据（可重复执行）。")

    def handle(self, *args, **options):
        started = time.monotonic()
        # Without a broker the thumbnail tasks run inline and Celery logs a line for each
        # (and kombu one about the in-memory broker): keep the output to the summary.
        quiet = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
        levels = [logger.level for logger in quiet]
        if options["verbosity"] < 2:
            for logger in quiet:
                logger.setLevel(logging.ERROR)
        try:
            loader = Loader()
            with transaction.atomic():
                loader.run()
            # Thumbnails are made by a Celery task once the transaction commits (inline when
            # no broker is configured); make any that an earlier run left unmade.
            with transaction.atomic():
                loader.ensure_thumbnails()
        finally:
            for logger, level in zip(quiet, levels, strict=True):
                logger.setLevel(level)
        if options["verbosity"] >= 1:
            self.print_summary(loader, time.monotonic() - started)

    def print_summary(self, loader, elapsed):
        counts = {
            "pavilions": Pavilion.objects.count(),
            "categories": Category.objects.count(),
            "products": Product.objects.count(),
            "variants": ProductVariant.objects.count(),
            "collections": Collection.objects.count(),
            "organisations": Organization.objects.count(),
            "images": ProductMedia.objects.count(),
        }
        out = self.stdout.write
        out(self.style.SUCCESS(f"演示数据已加载 / Demo data loaded ({elapsed:.1f} s)"))
        out(f"  特色馆 pavilions: {counts['pavilions']}    类目 categories: {counts['categories']}"
            f"    商品 products: {counts['products']}    规格 variants: {counts['variants']}")
        out(f"  专题 collections: {counts['collections']}    组织 organisations: "
            f"{counts['organisations']}    图片 images: {counts['images']}")
        if loader.created or loader.updated:
            made = ", ".join(f"{k} {v}" for k, v in loader.created.items()) or "-"
            changed = ", ".join(f"{k} {v}" for k, v in loader.updated.items()) or "-"
            out(f"  本次新建 created: {made}")
            out(f"  本次更新 updated: {changed}")
        else:
            out("  数据已是最新，未做任何修改 / Already up to date, nothing changed.")
        out("")
        out("运营账号 / Demo operator login:")
        out(f"  邮箱 email:    {data.OPERATOR_EMAIL}")
        out(f"  密码 password: {data.DEMO_PASSWORD}")
        out(f"  合作社账号 cooperative logins: coop-<slug>@{data.EMAIL_DOMAIN}"
            " (同一密码 same password)")
        out(f"  品牌主管单位账号 brand authority logins: brand-<county>@{data.EMAIL_DOMAIN}"
            " (同一密码 same password)")
        out(f"  管理后台 admin:   {ADMIN_URL}")
        out(f"  GraphQL:          {GRAPHQL_URL}")
