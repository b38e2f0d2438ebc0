"""What every supply-chain mutation shares: the error type, the base mutation carrying
it, and looking records up by global ID, with the check that the caller manages the
organisation that owns them."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import require_organization
from api.core.types import error_type
from supplychain.error_codes import SupplyChainErrorCode as CodeEnum


SupplyChainErrorCode = graphene.Enum.from_enum(CodeEnum)
SupplyChainError = error_type("SupplyChainError", SupplyChainErrorCode)


class SupplyChainMutation(BaseMutation):
    error_type_class = SupplyChainError
    error_code_enum = CodeEnum

    class Meta:
        abstract = True


def get_instance(model, global_id: str, type_name: str, field: str):
    pk = pk_from_global_id(global_id, type_name, field)
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=CodeEnum.NOT_FOUND.value)})
    return instance


def owned(info, model, global_id, type_name, field, org_of=lambda r: r.organization_id):
    """The record, after checking the caller manages its organisation."""
    instance = get_instance(model, global_id, type_name, field)
    user = require_organization(info, org_of(instance))
    return instance, user
