"""What every brand mutation shares: the error type, the base mutation carrying it, and
looking records up by global ID (a missing one is a ``NOT_FOUND`` error on its field)."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.types import error_type
from brand import models
from brand.error_codes import BrandErrorCode as BrandErrorCodeEnum

from ..permissions import require_authority

BrandErrorCode = graphene.Enum.from_enum(BrandErrorCodeEnum)
BrandError = error_type("BrandError", BrandErrorCode)
E = BrandErrorCodeEnum


def get_instance(model, global_id: str, type_name: str, field: str = "id", **filters):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk, **filters).first()
    if instance is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=E.NOT_FOUND.value)})
    return instance


def get_many(model, global_ids, type_name: str, field: str):
    pks = [pk_from_global_id(gid, type_name, field) for gid in global_ids or []]
    found = model.objects.in_bulk(pks)
    missing = [gid for gid, pk in zip(global_ids or [], pks) if pk not in found]
    if missing:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": missing[0]},
            code=E.NOT_FOUND.value)})
    return [found[pk] for pk in pks]


class BrandMutation(BaseMutation):
    error_type_class = BrandError
    error_code_enum = BrandErrorCodeEnum

    class Meta:
        abstract = True


def decided_licence(info, global_id, field="id"):
    """The licence, after checking the caller decides for its brand."""
    licence = get_instance(models.Licence, global_id, "Licence", field)
    return licence, require_authority(info, licence.brand)
