"""Broadcasts: scheduling, changing, going live and ending, notes and review; and the
shoppers' reminders."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from api.core.permissions import AUTHENTICATED, current_user, require
from livestream import models, services
from livestream.error_codes import LivestreamErrorCode as CodeEnum

from .. import types
from .base import LivestreamMutation, booking_host, broadcast_editor, get_instance


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
        user, host = booking_host(info, input.get("host"))
        if not input.get("venue"):
            raise ValidationError({"venue": ValidationError(_("This field is required."),
                                                            code=CodeEnum.REQUIRED.value)})
        venue = get_instance(models.Venue, input["venue"], "LiveVenue", "venue")
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
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
        changes = {k: input.get(k) for k in ("title", "stream_url", "starts_at", "ends_at",
                                             "plan_notes")}
        if input.get("platform") is not None:
            changes["platform"] = getattr(input["platform"], "value", input["platform"])
        if input.get("venue"):
            changes["venue"] = get_instance(models.Venue, input["venue"], "LiveVenue", "venue")
        if input.get("host"):
            require(user.is_operator, _("Only operators can hand a broadcast to another host"))
            changes["host"] = get_instance(models.Host, input["host"], "LiveHost", "host")
        return cls(broadcast=services.update_broadcast(broadcast, user, **changes))


class BroadcastCancel(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        description = "Cancel a scheduled broadcast; its live stock returns."

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
        return cls(broadcast=services.cancel_broadcast(broadcast, user, reason))


class BroadcastStart(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Go live."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
        return cls(broadcast=services.start_broadcast(broadcast, user))


class BroadcastEnd(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        viewer_count = graphene.Int()

    class Meta:
        description = "End the broadcast; unsold live stock returns to stock."

    @classmethod
    def perform_mutation(cls, _root, info, id, viewer_count=None):
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
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
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
        return cls(broadcast=services.update_broadcast_notes(broadcast, user, **notes))


class BroadcastReviewComplete(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)
        review_notes = graphene.String()

    class Meta:
        description = "Finish the review (复盘) of an ended broadcast."

    @classmethod
    def perform_mutation(cls, _root, info, id, review_notes=""):
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        user = broadcast_editor(info, broadcast)
        return cls(broadcast=services.complete_review(broadcast, user, review_notes or ""))


class BroadcastSubscribe(BroadcastMutation):
    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Ask for a reminder before the broadcast starts."
        permissions = (AUTHENTICATED,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        user = current_user(info)
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
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
        broadcast = get_instance(models.Broadcast, id, "Broadcast", "id")
        services.unsubscribe(broadcast, user)
        return cls(broadcast=broadcast)
