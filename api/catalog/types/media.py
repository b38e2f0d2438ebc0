"""Product media (images) and their thumbnails."""

from __future__ import annotations

import graphene

from api.core.context import request_channel
from api.core.nodes import ModelObjectType
from api.core.permissions import visible_organization_ids
from api.core.types import ThumbnailFormatEnum
from catalog import models
from catalog.services import visible_products

from .common import image_url, thumbnail_url


class ProductMediaType(graphene.Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"


class ProductMedia(ModelObjectType):
    sort_order = graphene.Int()
    alt = graphene.String(required=True)
    type = graphene.Field(ProductMediaType, required=True)
    url = graphene.String(
        required=True,
        size=graphene.Int(description="Size of the image (longest side, px)."),
        format=ThumbnailFormatEnum(description="Format of the image."),
    )
    width = graphene.Int()
    height = graphene.Int()

    class Meta:
        model = models.ProductMedia

    resolve_type = staticmethod(lambda _root, _info: "IMAGE")

    @staticmethod
    def resolve_url(root, info, size=None, format=None):
        if not size and not format:
            return image_url(info, root.image)
        return thumbnail_url(info, root, size, format)

    @classmethod
    def get_queryset(cls, info):
        # The media of the products the caller may see (published in the default channel,
        # plus the caller's own organisations' products).
        channel = request_channel(info, None)
        products = visible_products(channel, visible_organization_ids(info),
                                    listings_only=False)
        return models.ProductMedia.objects.filter(product__in=products)
