"""Changes made outside ``catalog.services`` that alter what search knows of a product:
stock counts (``shop.services``), a category or pavilion renamed (admin). Each marks the
products concerned for the debounced indexing task (``catalog.search.products_changed``).
Product, variant and price changes are reported explicitly by ``catalog.services``."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import search
from .models import Category, Pavilion, Product


@receiver(post_save, sender="shop.Stock", dispatch_uid="catalog-search-stock")
def stock_saved(sender, instance, **kwargs):
    product_id = (
        type(instance).objects.filter(pk=instance.pk)
        .values_list("product_variant__product_id", flat=True).first()
    )
    if product_id is not None:
        search.products_changed([product_id])


@receiver(post_save, sender=Category, dispatch_uid="catalog-search-category")
def category_saved(sender, instance, created, **kwargs):
    if not created:
        search.products_changed(
            Product.objects.filter(category__in=[instance.pk, *instance.children.values_list(
                "pk", flat=True)]).values_list("pk", flat=True))


@receiver(post_save, sender=Pavilion, dispatch_uid="catalog-search-pavilion")
def pavilion_saved(sender, instance, created, **kwargs):
    if not created:
        search.products_changed(instance.products.values_list("pk", flat=True))
