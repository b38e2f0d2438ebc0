"""What every livestream mutation shares: the error type, the base mutation carrying it,
looking records up by global ID, and who may book or edit a broadcast."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import require, require_user
from api.core.types import error_type
from livestream import models
from livestream.error_codes import LivestreamErrorCode as CodeEnum
from livestream.services import can_edit_broadcast

LivestreamErrorCode = graphene.Enum.from_enum(CodeEnum)
LivestreamError = error_type("LivestreamError", LivestreamErrorCode)


def get_instance(model, global_id, type_name, field):
    pk = pk_from_global_id(global_id, type_name, field)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=CodeEnum.NOT_FOUND.value)})
    return obj


def own_host(user):
    return models.Host.objects.filter(user=user).first()


def broadcast_editor(info, broadcast):
    user = require_user(info)
    require(can_edit_broadcast(user, broadcast), _("You can only manage your own broadcasts"))
    return user


def booking_host(info, host_id):
    """Operators book any host; a host only themselves."""
    user = require_user(info)
    if user.is_operator:
        if not host_id:
            raise ValidationError({"host": ValidationError(_("This field is required."),
                                                           code=CodeEnum.REQUIRED.value)})
        return user, get_instance(models.Host, host_id, "LiveHost", "host")
    own = own_host(user)
    require(own is not None, _("Only hosts and operators can schedule broadcasts"))
    require(not host_id or pk_from_global_id(host_id, "LiveHost", "host") == own.pk,
            _("You can only manage your own broadcasts"))
    return user, own


class LivestreamMutation(BaseMutation):
    error_type_class = LivestreamError
    error_code_enum = CodeEnum

    class Meta:
        abstract = True
