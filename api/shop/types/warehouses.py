"""Warehouses as Saleor shows them to a checkout: collection points (click and collect).

A warehouse with an active pick-up point (``shop.pickup``) is a collection point with
``clickAndCollectOption: LOCAL`` (only its own organisation's goods are handed over there);
any other warehouse is ``DISABLED``. Its ``address`` is the pick-up point's: where and
whom to ask (the organisation, the point's phone)."""

from __future__ import annotations

import graphene

from api.core.metadata import ObjectWithMetadata
from api.core.nodes import ModelObjectType
from shop import models

WarehouseClickAndCollectOptionEnum = graphene.Enum(
    "WarehouseClickAndCollectOptionEnum",
    [("DISABLED", "disabled"), ("LOCAL", "local"), ("ALL", "all")])


def active_point(warehouse: models.Warehouse):
    """The warehouse's pick-up point if buyers may choose it now."""
    try:
        point = warehouse.pickup_point
    except models.PickupPoint.DoesNotExist:
        return None
    return point if point.method.is_active else None


def point_address(warehouse: models.Warehouse, point) -> models.Address:
    """The pick-up point's address in Saleor's Address shape (not stored: its ID says
    which warehouse it belongs to)."""
    address = models.Address(company_name=warehouse.organization.name,
                             street_address_1=point.address if point else warehouse.address,
                             city_area=warehouse.organization.county, country="CN",
                             phone=point.phone if point else "")
    address.warehouse_slug = warehouse.slug
    return address


class Warehouse(ModelObjectType, ObjectWithMetadata):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    email = graphene.String(required=True)
    is_private = graphene.Boolean(required=True)
    address = graphene.Field("api.shop.types.Address", required=True)
    company_name = graphene.String(required=True,
                                   deprecation_reason="Use `Address.companyName` instead.")
    click_and_collect_option = graphene.Field(WarehouseClickAndCollectOptionEnum,
                                              required=True)
    opening_hours = graphene.String(description="When buyers collect there (county-pavilion "
                                                "extension).")

    class Meta:
        model = models.Warehouse
        description = "A warehouse; with a pick-up point, a collection point."

    resolve_email = staticmethod(lambda _root, _info: "")
    resolve_is_private = staticmethod(lambda root, _info: active_point(root) is None)
    resolve_company_name = staticmethod(lambda root, _info: root.organization.name)
    resolve_address = staticmethod(lambda root, _info: point_address(root, active_point(root)))

    @staticmethod
    def resolve_click_and_collect_option(root, _info):
        return "local" if active_point(root) else "disabled"

    @staticmethod
    def resolve_opening_hours(root, _info):
        point = active_point(root)
        return point.opening_hours if point else None

    @classmethod
    def get_queryset(cls, info):
        """Pick-up points are public places; other warehouses are not fetched by ID."""
        return (models.Warehouse.objects.filter(pickup_point__method__is_active=True)
                .select_related("organization", "pickup_point__method"))
