"""Mutations of livestream selling. Each validates input, checks permission (operators
everything; a host only their own broadcasts; shoppers only subscribe), calls one service
and shapes the result; mistakes come back as ``errors { field code message }``."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.ids import pk_from_global_id
from api.core.mutations import BaseMutation
from api.core.permissions import AUTHENTICATED, OPERATOR, current_user, require, require_user
from api.core.scalars import PositiveDecimal
from api.core.types import error_type
from catalog.models import ProductVariant
from livestream import models, services
from livestream.error_codes import LivestreamErrorCode as CodeEnum
from shop.models import Organization, User

from . import types
from .types import LineupNode, can_edit_broadcast

LivestreamErrorCode = graphene.Enum.from_enum(CodeEnum)
LivestreamError = error_type("LivestreamError", LivestreamErrorCode)


def _get(model, global_id, type_name, field):
    pk = pk_from_global_id(global_id, type_name, field)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: ValidationError(
            _("Couldn't resolve to a node: %(id)s") % {"id": global_id},
            code=CodeEnum.NOT_FOUND.value)})
    return obj


def _own_host(user):
    return models.Host.objects.filter(user=user).first()


def _broadcast_editor(info, broadcast):
    user = require_user(info)
    require(can_edit_broadcast(user, broadcast), _("You can only manage your own broadcasts"))
    return user


def _booking_host(info, host_id):
    """Operators book any host; a host only themselves."""
    user = require_user(info)
    if user.is_operator:
        if not host_id:
            raise ValidationError({"host": ValidationError(_("This field is required."),
                                                           code=CodeEnum.REQUIRED.value)})
        return user, _get(models.Host, host_id, "LiveHost", "host")
    own = _own_host(user)
    require(own is not None, _("Only hosts and operators can schedule broadcasts"))
    require(not host_id or pk_from_global_id(host_id, "LiveHost", "host") == own.pk,
            _("You can only manage your own broadcasts"))
    return user, own


class LivestreamMutation(BaseMutation):
    error_type_class = LivestreamError
    error_code_enum = CodeEnum

    class Meta:
        abstract = True


# Hosts and venues ----------------------------------------------------------------------

class LiveHostInput(graphene.InputObjectType):
    display_name = graphene.String()
    birth_date = graphene.Date()
    platforms = graphene.List(graphene.NonNull(types.LivePlatformEnum))
    organization = graphene.ID()
    real_name_verified = graphene.Boolean()
    bio = graphene.String()
    is_active = graphene.Boolean()


def _platforms(values):
    return None if values is None else [getattr(v, "value", v) for v in values]


class LiveHostCreate(LivestreamMutation):
    host = graphene.Field(types.LiveHost)

    class Arguments:
        user_email = graphene.String(required=True, description="The host's account.")
        input = LiveHostInput(required=True)

    class Meta:
        description = "Create a host profile (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, user_email, input):
        user = User.objects.filter(email=(user_email or "").strip().lower()).first()
        if user is None:
            raise ValidationError({"user_email": ValidationError(
                _("No user with this e-mail."), code=CodeEnum.NOT_FOUND.value)})
        organization = (_get(Organization, input["organization"], "Organization", "organization")
                        if input.get("organization") else None)
        host = services.create_host(
            user=user, organization=organization, display_name=input.get("display_name"),
            birth_date=input.get("birth_date"), platforms=_platforms(input.get("platforms")),
            real_name_verified=input.get("real_name_verified") or False,
            bio=input.get("bio") or "")
        return cls(host=host)


class LiveHostUpdate(LivestreamMutation):
    host = graphene.Field(types.LiveHost)

    class Arguments:
        id = graphene.ID(required=True)
        input = LiveHostInput(required=True)

    class Meta:
        description = ("Update a host: operators anything, a host their own "
                       "name, platforms and introduction.")
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        user = current_user(info)
        host = _get(models.Host, id, "LiveHost", "id")
        operator_only = {"birth_date", "real_name_verified", "is_active", "organization"}
        if not user.is_operator:
            require(host.user_id == user.pk, _("You can only change your own host profile"))
            require(not operator_only & {k for k, v in input.items() if v is not None},
                    _("Only operators can change verification, birth date or status"))
        changes = {k: v for k, v in input.items() if v is not None and k != "organization"}
        if "platforms" in changes:
            changes["platforms"] = _platforms(changes["platforms"])
        return cls(host=services.update_host(host, **changes))


class LiveVenueCreate(LivestreamMutation):
    venue = graphene.Field(types.LiveVenue)

    class Arguments:
        name = graphene.String(required=True)
        kind = types.LiveVenueKindEnum(required=True)
        address = graphene.String()

    class Meta:
        description = "Add a venue (operators)."
        permissions = (OPERATOR,)

    @classmethod
    def perform_mutation(cls, _root, info, name, kind, address=""):
        return cls(venue=services.create_venue(name=name, kind=getattr(kind, "value", kind),
                                               address=address or ""))


# Broadcasts ----------------------------------------------------------------------------

class BroadcastInput(graphene.InputObjectType):
    title = graphene.String()
    host = graphene.ID(description="Operators: whose broadcast; hosts book themselves.")
    venue = graphene.ID()
    platform = types.LivePlatformEnum()
    stream_url = graphene.String()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    channel = graphene.String()
    plan_notes = graphene.String()


class BroadcastMutation(LivestreamMutation):
    broadcast = graphene.Field(types.Broadcast)

    class Meta:
        abstract = True


class BroadcastCreate(BroadcastMutation):
    class Arguments:
        input = BroadcastInput(required=True)

    class Meta:
        description = "Schedule a broadcast."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user, host = _booking_host(info, input.get("host"))
        if not input.get("venue"):
            raise ValidationError({"venue": ValidationError(_("This field is required."),
                                                            code=CodeEnum.REQUIRED.value)})
        venue = _get(models.Venue, input["venue"], "LiveVenue", "venue")
        platform = input.get("platform")
        broadcast = services.create_broadcast(
            host=host, venue=venue, title=input.get("title"), starts_at=input.get("starts_at"),
            ends_at=input.get("ends_at"), platform=getattr(platform, "value", platform),
            stream_url=input.get("stream_url") or "", channel_slug=input.get("channel"),
            plan_notes=input.get("plan_notes") or "", actor=user)
        return cls(broadcast=broadcast)


class BroadcastUpdate(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = BroadcastInput(required=True)

    class Meta:
        description = "Change a scheduled broadcast."

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        changes = {k: input.get(k) for k in ("title", "stream_url", "starts_at", "ends_at")}
        if input.get("platform") is not None:
            changes["platform"] = getattr(input["platform"], "value", input["platform"])
        if input.get("venue"):
            changes["venue"] = _get(models.Venue, input["venue"], "LiveVenue", "venue")
        if input.get("host"):
            require(user.is_operator, _("Only operators can hand a broadcast to another host"))
            changes["host"] = _get(models.Host, input["host"], "LiveHost", "host")
        return cls(broadcast=services.update_broadcast(broadcast, user, **changes))


class BroadcastCancel(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "Cancel a scheduled broadcast; its live stock returns."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        return cls(broadcast=services.cancel_broadcast(broadcast, user, reason))


class BroadcastStart(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Go live."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        return cls(broadcast=services.start_broadcast(broadcast, user))


class BroadcastEnd(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        viewer_count = graphene.Int()

    class Meta:
        description = "End the broadcast; unsold live stock returns to stock."

    @classmethod
    def perform_mutation(cls, _root, info, id, viewer_count=None):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        return cls(broadcast=services.end_broadcast(broadcast, user, viewer_count))


class BroadcastNotesUpdate(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        plan_notes = graphene.String()
        execution_notes = graphene.String()
        review_notes = graphene.String()
        viewer_count = graphene.Int()

    class Meta:
        description = "Attach plan, execution and review notes, viewer count."

    @classmethod
    def perform_mutation(cls, _root, info, id, **notes):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        return cls(broadcast=services.update_broadcast_notes(broadcast, user, **notes))


class BroadcastReviewComplete(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        review_notes = graphene.String()

    class Meta:
        description = "Finish the review (复盘) of an ended broadcast."

    @classmethod
    def perform_mutation(cls, _root, info, id, review_notes=""):
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        user = _broadcast_editor(info, broadcast)
        return cls(broadcast=services.complete_review(broadcast, user, review_notes or ""))


# Weekly schedules ----------------------------------------------------------------------

class WeeklyScheduleCreateInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    host = graphene.ID()
    venue = graphene.ID(required=True)
    weekday = graphene.Int(required=True, description="0 is Monday.")
    start_time = graphene.Time(required=True, description="Local time.")
    duration_minutes = graphene.Int(required=True)
    platform = types.LivePlatformEnum(required=True)
    stream_url = graphene.String()
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date()
    time_zone = graphene.String(description="Default Asia/Shanghai.")
    weeks_ahead = graphene.Int()


class WeeklyScheduleCreate(LivestreamMutation):
    schedule = graphene.Field(types.WeeklySchedule)
    broadcasts = graphene.List(graphene.NonNull(types.Broadcast), required=True)
    conflicts = graphene.List(graphene.NonNull(types.ScheduleConflict), required=True,
                              description="Occurrences skipped: host or venue booked.")

    class Arguments:
        input = WeeklyScheduleCreateInput(required=True)

    class Meta:
        description = "A weekly recurrence generating broadcasts weeks ahead."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        user, host = _booking_host(info, input.get("host"))
        venue = _get(models.Venue, input["venue"], "LiveVenue", "venue")
        weeks = input.get("weeks_ahead")
        if weeks is not None and not 1 <= weeks <= 26:
            raise ValidationError({"weeks_ahead": ValidationError(
                _("Generate 1 to 26 weeks ahead."), code=CodeEnum.INVALID.value)})
        schedule, created, conflicts = services.create_weekly_schedule(
            host=host, venue=venue, title=input["title"], weekday=input["weekday"],
            start_time=input["start_time"], duration_minutes=input["duration_minutes"],
            platform=getattr(input["platform"], "value", input["platform"]),
            stream_url=input.get("stream_url") or "", starts_on=input["starts_on"],
            ends_on=input.get("ends_on"), time_zone=input.get("time_zone") or "",
            weeks_ahead=weeks, actor=user)
        return cls(schedule=schedule, broadcasts=created,
                   conflicts=[types.ScheduleConflict(**c) for c in conflicts])


# Line-up -------------------------------------------------------------------------------

class LineupItemInput(graphene.InputObjectType):
    live_price = PositiveDecimal()
    quantity = graphene.Int(description="Units of the live allocation.")
    per_buyer_limit = graphene.Int()
    position = graphene.Int()
    flash_sale_starts_at = graphene.DateTime()
    flash_sale_seconds = graphene.Int()


class LineupItemMutation(LivestreamMutation):
    lineup_item = graphene.Field(types.LineupItem)
    broadcast = graphene.Field(types.Broadcast)

    class Meta:
        abstract = True

    @classmethod
    def payload(cls, item):
        broadcast = models.Broadcast.objects.select_related("channel").get(pk=item.broadcast_id)
        return cls(lineup_item=LineupNode(item, broadcast.channel.slug), broadcast=broadcast)


def _item(global_id):
    return _get(models.LineupItem, global_id, "LineupItem", "id")


class LineupItemAdd(LineupItemMutation):
    class Arguments:
        broadcast = graphene.ID(required=True)
        variant_id = graphene.ID(required=True)
        input = LineupItemInput(required=True)

    class Meta:
        description = ("Add a variant to the line-up with its live price and "
                       "allocation (taken from stock now).")

    @classmethod
    def perform_mutation(cls, _root, info, broadcast, variant_id, input):
        broadcast = _get(models.Broadcast, broadcast, "Broadcast", "broadcast")
        user = _broadcast_editor(info, broadcast)
        variant = _get(ProductVariant, variant_id, "ProductVariant", "variant_id")
        item = services.add_lineup_item(
            broadcast, variant=variant, live_price=input.get("live_price"),
            quantity=input.get("quantity"), per_buyer_limit=input.get("per_buyer_limit"),
            position=input.get("position"),
            flash_sale_starts_at=input.get("flash_sale_starts_at"),
            flash_sale_seconds=input.get("flash_sale_seconds"), actor=user)
        return cls.payload(item)


class LineupItemUpdate(LineupItemMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = LineupItemInput(required=True)

    class Meta:
        description = ("Change a line-up item (refused if it would contradict "
                       "orders already placed).")

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        item = _item(id)
        user = _broadcast_editor(info, item.broadcast)
        changes = {k: v for k, v in input.items() if v is not None}
        return cls.payload(services.update_lineup_item(item, user, **changes))


class LineupItemRemove(LivestreamMutation):
    broadcast = graphene.Field(types.Broadcast)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Remove a line-up item; its live stock returns."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        item = _item(id)
        broadcast = item.broadcast
        user = _broadcast_editor(info, broadcast)
        services.remove_lineup_item(item, user)
        return cls(broadcast=broadcast)


class LineupItemPin(LineupItemMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Pin the product being presented (while live)."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        item = _item(id)
        user = _broadcast_editor(info, item.broadcast)
        return cls.payload(services.pin_lineup_item(item, user))


# Shoppers ------------------------------------------------------------------------------

class BroadcastSubscribe(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Ask for a reminder before the broadcast starts."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = current_user(info)
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        services.subscribe(broadcast, user)
        return cls(broadcast=broadcast)


class BroadcastUnsubscribe(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "No reminder for this broadcast."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = current_user(info)
        broadcast = _get(models.Broadcast, id, "Broadcast", "id")
        services.unsubscribe(broadcast, user)
        return cls(broadcast=broadcast)


class LivestreamMutations(graphene.ObjectType):
    live_host_create = LiveHostCreate.Field()
    live_host_update = LiveHostUpdate.Field()
    live_venue_create = LiveVenueCreate.Field()
    broadcast_create = BroadcastCreate.Field()
    broadcast_update = BroadcastUpdate.Field()
    broadcast_cancel = BroadcastCancel.Field()
    broadcast_start = BroadcastStart.Field()
    broadcast_end = BroadcastEnd.Field()
    broadcast_notes_update = BroadcastNotesUpdate.Field()
    broadcast_review_complete = BroadcastReviewComplete.Field()
    weekly_schedule_create = WeeklyScheduleCreate.Field()
    lineup_item_add = LineupItemAdd.Field()
    lineup_item_update = LineupItemUpdate.Field()
    lineup_item_remove = LineupItemRemove.Field()
    lineup_item_pin = LineupItemPin.Field()
    broadcast_subscribe = BroadcastSubscribe.Field()
    broadcast_unsubscribe = BroadcastUnsubscribe.Field()
