"""After-sales (售后): a shopper asks a seller for a refund (仅退款) or a return and refund
(退货退款); the seller approves, asks for the goods back and confirms they came, or
refuses with a reason. The refund is the shop's ``refund_order`` under the request's own
refund number (``ReturnRequest.refund_key``), so it happens once however often it is asked.

What a shopper may ask (the rules of 《网络购买商品七日无理由退货暂行办法》 as the shop
applies them):

- units not shipped yet, some or all of one seller's (refund only, reason "no longer
  wanted"): approving takes them off the order and releases their stock, and refunds
  their share, or everything left of the payment when they are all that is left of the
  order and nothing of it has shipped (the shipping fee too);
- once shipped, any of a seller's shipped units not already in a request, while the goods
  are on their way and until ``RETURN_WINDOW_DAYS`` after delivery; the 7-day no-reason
  return is a return and refund, and not for fresh and perishable goods
  (``RETURN_REFUND_ONLY_CATEGORIES``), which are refund only; a refund without sending
  the goods back needs at least one photo of the problem.

A request is one seller's (an order may hold several sellers' goods); one open request per
order and seller. Its amount is the units' share of what was paid for the goods (a promo
code's discount spread over them), never more than what is left of the payment. The buyer
may withdraw (撤销) a request the seller has not answered, or a return before the goods
went back; its units may be asked about again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import notifications, uploads, validators
from ..error_codes import OrderErrorCode
from ..errors import field_error
from ..models import Order, OrderEvent, OrderLine, Organization
from ..money import money
from ..private_files import signed_url
from ..returns import ReturnRequest, ReturnRequestLine, ReturnRequestPhoto
from .orders import locked_order, record_event
from .return_refunds import (
    cancel_unshipped_units,
    left_to_refund,
    refund_return_request,
    take_back_returned_units,
)

# Orders a request may be opened on: paid, and not yet refunded in full.
REQUESTABLE = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED, Order.Status.SHIPPED,
               Order.Status.DELIVERED)
PHOTO_TYPES = (uploads.JPEG, uploads.PNG, uploads.WEBP)
Type, Reason, Status = ReturnRequest.Type, ReturnRequest.Reason, ReturnRequest.Status
# Reasons that say something is wrong with the goods (a refund without sending them back
# may be asked for these).
PROBLEMS = (Reason.DAMAGED, Reason.QUALITY, Reason.NOT_AS_DESCRIBED, Reason.WRONG_OR_MISSING)


# What may be asked -------------------------------------------------------------------------

def window_closes_at(order: Order):
    """When the shopper can no longer ask: ``RETURN_WINDOW_DAYS`` after delivery (the
    buyer's or the automatic confirmation of receipt); ``None`` while it is open without
    end (paid, or the goods on their way)."""
    if order.status != Order.Status.DELIVERED:
        return None
    delivered = order.events.filter(type=OrderEvent.Type.DELIVERED).aggregate(d=Max("date"))["d"]
    return (delivered or order.updated_at) + timedelta(days=settings.RETURN_WINDOW_DAYS)


def is_perishable(line: OrderLine) -> bool:
    """Whether the line's product is in a fresh or perishable category (or below one)."""
    slugs = set(settings.RETURN_REFUND_ONLY_CATEGORIES)
    category = line.variant.product.category if line.variant_id else None
    while category is not None:
        if category.slug in slugs:
            return True
        category = category.parent
    return False


def before_shipping(order: Order) -> bool:
    return order.status == Order.Status.PAID


def requestable_units(order: Order, unshipped: bool) -> dict[int, int]:
    """Per order line id, the units a new request may name: of the units not shipped yet
    (``unshipped``) those no waiting request names, else of the shipped units those not
    in another request that was not refused or withdrawn (an approved refund of unshipped
    units has taken them off the line already)."""
    lines = list(order.lines.all())
    closed = (Status.REFUSED, Status.WITHDRAWN)
    if unshipped:
        bound = _bound(order, reason=Reason.NOT_WANTED, status=Status.REQUESTED)
        return {line.pk: max(line.quantity_unfulfilled - bound.get(line.pk, 0), 0)
                for line in lines}
    bound = _bound(order, exclude_reason=Reason.NOT_WANTED, exclude_status=closed)
    return {line.pk: max(line.quantity_fulfilled - bound.get(line.pk, 0), 0) for line in lines}


def _bound(order: Order, reason=None, status=None, exclude_reason=None,
           exclude_status=()) -> dict[int, int]:
    rows = ReturnRequestLine.objects.filter(order_line__order=order)
    if reason is not None:
        rows = rows.filter(request__reason=reason)
    if status is not None:
        rows = rows.filter(request__status=status)
    if exclude_reason is not None:
        rows = rows.exclude(request__reason=exclude_reason)
    if exclude_status:
        rows = rows.exclude(request__status__in=exclude_status)
    return dict(rows.values("order_line_id").annotate(n=Sum("quantity"))
                .values_list("order_line_id", "n"))


def sellers_to_ask(order: Order) -> list[dict]:
    """For the order page: per seller with units a request may name and no open request,
    ``{"organization", "unshipped", "lines": [(line, units, perishable)]}``: the units not
    shipped yet (refund only), or once the seller has shipped everything, the shipped
    units; empty when the order cannot have a request now (not paid, refunded, the
    window closed)."""
    if order.status not in REQUESTABLE:
        return []
    closes = window_closes_at(order)
    if closes is not None and timezone.now() > closes:
        return []
    lines = list(order.lines.select_related("organization", "variant__product__category__parent"))
    waiting, shipped = requestable_units(order, True), requestable_units(order, False)
    busy = set(order.return_requests.filter(status__in=ReturnRequest.OPEN)
               .values_list("organization_id", flat=True))
    sellers: dict[int, dict] = {}
    for line in lines:
        if line.organization_id in busy:
            continue
        seller = sellers.setdefault(line.organization_id, {
            "organization": line.organization, "unshipped": False, "lines": [], "shipped": []})
        if line.quantity_unfulfilled > 0:
            seller["unshipped"] = True
        if waiting.get(line.pk, 0) > 0:
            seller["lines"].append((line, waiting[line.pk], is_perishable(line)))
        if shipped.get(line.pk, 0) > 0:
            seller["shipped"].append((line, shipped[line.pk], is_perishable(line)))
    asked = []
    for seller in sellers.values():
        if not seller["unshipped"]:
            seller["lines"] = seller["shipped"]
        del seller["shipped"]
        if seller["lines"]:
            asked.append(seller)
    return asked


def _amount(order: Order, chosen: list[tuple[OrderLine, int]], unshipped: bool) -> Decimal:
    """The chosen units' share of what was paid for the goods, within what is left; all of
    what is left when they are the rest of an order nothing of which has shipped."""
    left = money(order.total_charged_amount - order.total_refunded_amount)
    if unshipped and before_shipping(order):
        units = {line.pk: n for line, n in chosen}
        if all(units.get(line.pk, 0) == line.quantity_unfulfilled for line in order.lines.all()):
            return left
    value = sum((line.unit_price_amount * units for line, units in chosen), Decimal(0))
    if order.subtotal_amount > 0 and order.discount_amount > 0:
        value = value * (order.subtotal_amount - order.discount_amount) / order.subtotal_amount
    return min(money(value), left)


def _clean_lines(order: Order, lines: list[dict],
                 unshipped: bool) -> list[tuple[OrderLine, int]]:
    if not lines:
        raise field_error("lines", _("Choose at least one item."), OrderErrorCode.REQUIRED.value)
    own = {line.pk: line for line in order.lines.select_related(
        "organization", "variant__product__category__parent")}
    chosen = []
    for item in lines:
        line = own.get(item["order_line_id"])
        if line is None or any(line.pk == seen.pk for seen, _units in chosen):
            raise field_error("order_line_id", _("Couldn't find a line with this ID in the "
                                                 "order."), OrderErrorCode.NOT_FOUND.value)
        chosen.append((line, item["quantity"]))
    if len({line.organization_id for line, _units in chosen}) > 1:
        raise field_error("lines", _("Ask each seller separately: choose the items of one "
                                     "seller."), OrderErrorCode.INVALID.value)
    seller = chosen[0][0].organization
    if order.return_requests.filter(organization=seller, status__in=ReturnRequest.OPEN).exists():
        raise field_error("id", _("A request to %(seller)s about this order is open: wait "
                                  "for its answer.") % {"seller": seller.name},
                          OrderErrorCode.UNIQUE.value)
    units = requestable_units(order, unshipped)
    for line, quantity in chosen:
        if not isinstance(quantity, int) or quantity <= 0 or quantity > units[line.pk]:
            raise field_error("quantity", _("You can ask about at most %(n)s of %(product)s.")
                              % {"n": units[line.pk], "product": line.product_name},
                              OrderErrorCode.INVALID_QUANTITY.value)
    return chosen


def _check_kind(order: Order, chosen, type_: str, reason: str, photos) -> None:
    if type_ not in Type.values:
        raise field_error("type", _("Choose refund only or return and refund."),
                          OrderErrorCode.INVALID.value)
    if reason not in Reason.values:
        raise field_error("reason", _("Choose a reason."), OrderErrorCode.REQUIRED.value)
    if reason == Reason.NOT_WANTED:
        if type_ != Type.REFUND_ONLY:
            raise field_error("type", _("Items not shipped yet are refunded, not sent back: "
                                        "choose refund only."), OrderErrorCode.INVALID.value)
        return
    perishable = [line for line, _units in chosen if is_perishable(line)]
    if perishable and (type_ != Type.REFUND_ONLY or reason == Reason.NO_REASON):
        raise field_error("type", _("%(product)s is fresh produce: it is not sent back and "
                                    "has no no-reason return. Ask for a refund for a problem, "
                                    "with a photo.") % {"product": perishable[0].product_name},
                          OrderErrorCode.INVALID.value)
    if reason == Reason.NO_REASON and type_ != Type.RETURN_AND_REFUND:
        raise field_error("type", _("A no-reason return means sending the goods back: choose "
                                    "return and refund."), OrderErrorCode.INVALID.value)
    if type_ == Type.REFUND_ONLY and not photos:
        raise field_error("photos", _("Add a photo of the problem: the seller refunds "
                                      "without the goods coming back."),
                          OrderErrorCode.REQUIRED.value)


def _check_photos(photos) -> list[tuple[object, str]]:
    photos = list(photos or [])
    if len(photos) > settings.RETURN_PHOTOS_MAX:
        raise field_error("photos", _("Add at most %(n)s photos.")
                          % {"n": settings.RETURN_PHOTOS_MAX}, OrderErrorCode.INVALID.value)
    return [(photo, uploads.check_document(photo, "photos", OrderErrorCode.INVALID.value,
                                           max_bytes=settings.RETURN_PHOTO_MAX_BYTES,
                                           allowed=PHOTO_TYPES)) for photo in photos]


# The shopper asks ------------------------------------------------------------------------------

@transaction.atomic
def request_return(order: Order, *, user, lines: list[dict], type: str, reason: str,
                   note: str = "", photos=()) -> ReturnRequest:
    """Open a request on ``order``: ``lines`` is ``[{"order_line_id", "quantity"}]``.
    ``user`` is the signed-in buyer, or ``None`` for a guest whose caller has checked the
    order is theirs (the order's token, or the browser's own orders)."""
    order = locked_order(order)
    if order.user_id and (user is None or user.pk != order.user_id):
        raise field_error("id", _("Only the buyer can ask for a refund of this order."),
                          OrderErrorCode.INVALID.value)
    if order.status not in REQUESTABLE:
        raise field_error("id", _("This order cannot be refunded: it is not paid, or was "
                                  "refunded already."), OrderErrorCode.CANNOT_REFUND.value)
    closes = window_closes_at(order)
    if closes is not None and timezone.now() > closes:
        raise field_error("id", _("The time to ask ended on %(date)s, %(days)s days after "
                                  "delivery.") % {
            "date": timezone.localtime(closes).strftime("%Y-%m-%d"),
            "days": settings.RETURN_WINDOW_DAYS}, OrderErrorCode.INVALID.value)
    note = validators.clean_text(note, "note", OrderErrorCode.INVALID, max_length=500)
    checked = _check_photos(photos)
    unshipped = reason == Reason.NOT_WANTED
    if not unshipped and before_shipping(order):
        raise field_error("reason", _("Nothing has shipped yet: ask for a refund of "
                                      "the items you no longer want."),
                          OrderErrorCode.INVALID.value)
    chosen = _clean_lines(order, lines, unshipped)
    _check_kind(order, chosen, type, reason, checked)
    seller = chosen[0][0].organization
    amount = _amount(order, chosen, unshipped)
    if amount <= 0:
        raise field_error("id", _("Nothing of this order is left to refund."),
                          OrderErrorCode.CANNOT_REFUND.value)
    request = ReturnRequest.objects.create(
        order=order, organization=seller, user=user if user is not None and
        user.is_authenticated else None, type=type, reason=reason, note=note, amount=amount,
        currency=order.currency)
    ReturnRequestLine.objects.bulk_create([
        ReturnRequestLine(request=request, order_line=line, quantity=units)
        for line, units in chosen])
    for upload, kind in checked:
        photo = ReturnRequestPhoto(request=request)
        uploads.save_upload(photo.image, upload, kind)
        photo.save()
    record_event(order, OrderEvent.Type.NOTE, user=user,
                 message=_("After-sales request to %(seller)s: %(type)s, %(amount)s")
                 % {"seller": seller.name, "type": request.get_type_display(),
                    "amount": amount}, kind="return_requested", request=request.pk)
    notifications.notify(
        seller, "return_requested",
        lambda: _("After-sales request on order %(number)s") % {"number": order.number},
        lambda: _("%(type)s of %(amount)s %(currency)s: %(reason)s. %(note)s") % {
            "type": request.get_type_display(), "amount": amount, "currency": order.currency,
            "reason": request.get_reason_display(), "note": note},
        reference=f"order:{order.number}")
    return request


# The seller decides -------------------------------------------------------------------------

def _locked_request(request: ReturnRequest, organization: Organization) -> ReturnRequest:
    request = (ReturnRequest.objects.select_for_update().select_related("order", "organization")
               .filter(pk=request.pk).first())
    if request is None or request.organization_id != organization.pk:
        raise field_error("id", _("Couldn't find this after-sales request."),
                          OrderErrorCode.NOT_FOUND.value)
    return request


def _decided(request: ReturnRequest) -> None:
    raise field_error("id", _("This request has been answered already: %(status)s.")
                      % {"status": request.get_status_display()}, OrderErrorCode.INVALID.value)


def _tell_buyer(request: ReturnRequest, kind: str, subject_and_body) -> None:
    """The buyer's notice, written in their language; the request's change of status is
    the record that it was sent (each change happens once)."""
    order = request.order
    with override(order.buyer_language()):
        subject, body = subject_and_body()
    record_event(order, OrderEvent.Type.NOTE, message=subject, kind=kind, request=request.pk)
    notifications.notify(order.user or order.user_email, kind, subject, body,
                         reference=f"order:{order.number}", email=order.user_email)


def return_address(organization: Organization) -> str:
    """Where the goods go back: the seller's address and contact."""
    parts = [organization.address, organization.contact_name, organization.contact_phone]
    return " ".join(part for part in parts if part) or organization.name


def approve_return_request(request: ReturnRequest, organization: Organization, *,
                           user=None, address: str | None = None) -> ReturnRequest:
    """The seller agrees. Refund only: refunded at once. Return and refund: the buyer is
    asked to send the goods back to the seller's address (``address``, when given, is
    where they go from now on: required, and kept as the seller's address); the refund
    follows :func:`mark_return_received`. An approved request whose refund failed is
    tried again (under the same refund number)."""
    with transaction.atomic():
        request = _locked_request(request, organization)
        if request.status == Status.REFUNDING:
            pass  # approved before, the refund did not go through: try it again below
        elif request.status != Status.REQUESTED:
            _decided(request)
        elif request.type == Type.RETURN_AND_REFUND:
            if address is not None:
                address = validators.clean_text(address, "address", OrderErrorCode.REQUIRED,
                                                max_length=255, required=True)
                if address != organization.address:
                    Organization.objects.filter(pk=organization.pk).update(address=address)
                    organization.address = request.organization.address = address
            request.status, request.decided_at, request.decided_by = (
                Status.AWAITING_RETURN, timezone.now(), user)
            request.save(update_fields=["status", "decided_at", "decided_by"])
            _tell_buyer(request, "return_approved", lambda: (
                _("Send back the goods of order %(number)s") % {"number": request.order.number},
                _("%(seller)s agreed to your return. Send the goods to %(address)s, with the "
                  "order number %(number)s; you are refunded %(amount)s %(currency)s once "
                  "they arrive.") % {"seller": organization.name,
                                     "address": return_address(organization),
                                     "number": request.order.number, "amount": request.amount,
                                     "currency": request.currency}))
            return request
        else:
            # The last units of an order nothing of which shipped take all that is left,
            # shipping fee included, however the requests before them were asked.
            if request.reason == Reason.NOT_WANTED and cancel_unshipped_units(request, user):
                request.amount = left_to_refund(request.order, request)
            request.status, request.decided_at, request.decided_by = (
                Status.REFUNDING, timezone.now(), user)
            request.save(update_fields=["status", "decided_at", "decided_by", "amount"])
    return refund_return_request(request, user=user)


def mark_return_received(request: ReturnRequest, organization: Organization, *,
                         user=None, restock: bool = True, codes=None) -> ReturnRequest:
    """The returned goods arrived at the seller: back on sale (``restock``, their stock
    restored) or not sellable; each package's trace code records its return (``codes``,
    the packages scanned, when which ones came back is not plain). The buyer is refunded.
    Called again after a failed refund, it retries the refund."""
    with transaction.atomic():
        request = _locked_request(request, organization)
        if request.status == Status.AWAITING_RETURN:
            request.status, request.received_at = Status.REFUNDING, timezone.now()
            request.restocked = bool(restock)
            request.save(update_fields=["status", "received_at", "restocked"])
            take_back_returned_units(request, restock=bool(restock), codes=codes, user=user)
            record_event(request.order, OrderEvent.Type.NOTE, user=user,
                         message=(_("Returned goods received by %(seller)s, back on sale")
                                  if restock else
                                  _("Returned goods received by %(seller)s, not for sale"))
                         % {"seller": organization.name},
                         kind="return_received", request=request.pk)
        elif request.status != Status.REFUNDING or request.type != Type.RETURN_AND_REFUND:
            raise field_error("id", _("Only goods the buyer was asked to send back can be "
                                      "received: %(status)s.")
                              % {"status": request.get_status_display()},
                              OrderErrorCode.INVALID.value)
    return refund_return_request(request, user=user)


def can_withdraw(request: ReturnRequest) -> bool:
    """Whether the buyer may still withdraw ``request`` (see below)."""
    return request.status == Status.REQUESTED or (
        request.status == Status.AWAITING_RETURN and not request.return_tracking_number)


@transaction.atomic
def withdraw_return_request(request: ReturnRequest, *, user) -> ReturnRequest:
    """The buyer withdraws (撤销) a request the seller has not answered, or a return the
    seller agreed to before the goods went back (no tracking number given yet); the
    seller is told, and the units may be asked about again. ``user`` as in
    :func:`request_return`."""
    request = (ReturnRequest.objects.select_for_update().select_related("order", "organization")
               .get(pk=request.pk))
    order = request.order
    if order.user_id and (user is None or user.pk != order.user_id):
        raise field_error("id", _("Only the buyer can ask for a refund of this order."),
                          OrderErrorCode.INVALID.value)
    if request.status == Status.AWAITING_RETURN and request.return_tracking_number:
        raise field_error("id", _("The goods are on their way back: the seller refunds you "
                                  "once they arrive, or refuses with a reason."),
                          OrderErrorCode.INVALID.value)
    if not can_withdraw(request):
        raise field_error("id", _("This request can no longer be withdrawn: %(status)s.")
                          % {"status": request.get_status_display()},
                          OrderErrorCode.INVALID.value)
    request.status = Status.WITHDRAWN
    request.save(update_fields=["status"])
    record_event(order, OrderEvent.Type.NOTE, user=user,
                 message=_("After-sales request to %(seller)s withdrawn by the buyer")
                 % {"seller": request.organization.name},
                 kind="return_withdrawn", request=request.pk)
    notifications.notify(
        request.organization, "return_withdrawn",
        lambda: _("After-sales request on order %(number)s withdrawn")
        % {"number": order.number},
        lambda: _("The buyer withdrew their request (%(type)s of %(amount)s %(currency)s): "
                  "nothing to do.") % {"type": request.get_type_display(),
                                       "amount": request.amount, "currency": request.currency},
        reference=f"order:{order.number}")
    return request


@transaction.atomic
def send_return_back(request: ReturnRequest, *, user, carrier: str,
                     tracking_number: str) -> ReturnRequest:
    """The buyer says how the goods went back (退货物流): the carrier and tracking number,
    for the seller to follow; given again, they replace the earlier ones. ``user`` as in
    :func:`request_return`."""
    request = (ReturnRequest.objects.select_for_update().select_related("order", "organization")
               .get(pk=request.pk))
    order = request.order
    if order.user_id and (user is None or user.pk != order.user_id):
        raise field_error("id", _("Only the buyer can ask for a refund of this order."),
                          OrderErrorCode.INVALID.value)
    if request.status != Status.AWAITING_RETURN:
        raise field_error("id", _("The seller has not asked for the goods back: %(status)s.")
                          % {"status": request.get_status_display()},
                          OrderErrorCode.INVALID.value)
    carrier = validators.clean_text(carrier, "carrier", OrderErrorCode.REQUIRED, max_length=64,
                                    required=True)
    tracking_number = validators.clean_text(tracking_number, "tracking_number",
                                            OrderErrorCode.REQUIRED, max_length=64,
                                            required=True)
    request.return_carrier, request.return_tracking_number = carrier, tracking_number
    request.save(update_fields=["return_carrier", "return_tracking_number"])
    record_event(order, OrderEvent.Type.NOTE, user=user,
                 message=_("Goods sent back with %(carrier)s, tracking number %(number)s")
                 % {"carrier": carrier, "number": tracking_number},
                 kind="return_sent", request=request.pk)
    notifications.notify(
        request.organization, "return_sent",
        lambda: _("Goods of order %(number)s are on their way back") % {"number": order.number},
        lambda: _("Sent with %(carrier)s, tracking number %(tracking)s. Confirm when they "
                  "arrive: the buyer is refunded then.") % {"carrier": carrier,
                                                            "tracking": tracking_number},
        reference=f"order:{order.number}")
    return request


@transaction.atomic
def refuse_return_request(request: ReturnRequest, organization: Organization, *, reason: str,
                          user=None) -> ReturnRequest:
    """The seller says no, with a reason the buyer reads; also when returned goods never
    came or came back used. The units may be asked about again."""
    request = _locked_request(request, organization)
    if request.status not in (Status.REQUESTED, Status.AWAITING_RETURN):
        _decided(request)
    reason = validators.clean_text(reason, "reason", OrderErrorCode.REQUIRED, max_length=255,
                                   required=True)
    request.status, request.refusal_reason = Status.REFUSED, reason
    request.decided_at, request.decided_by = timezone.now(), user
    request.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    _tell_buyer(request, "return_refused", lambda: (
        _("Your after-sales request on order %(number)s was refused")
        % {"number": request.order.number},
        _("%(seller)s refused: %(reason)s. You can call them, or ask again with more "
          "details.") % {"seller": organization.name, "reason": reason}))
    return request


# Reading ----------------------------------------------------------------------------------------

def photo_urls(request: ReturnRequest) -> list[str]:
    """Signed addresses of the request's photos; call only for its buyer or seller."""
    return [signed_url(photo.image, f"after-sales-{request.pk}-{n}")
            for n, photo in enumerate(request.photos.all(), start=1)]
