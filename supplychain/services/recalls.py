"""Recalls: recalling a sourcing lot or a graded lot (codes turn recalled, unsold packages
leave stock), what a recall touches, and telling the buyers and the producer once each."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from catalog.models import Product
from catalog.traced import is_traced
from content import translated
from shop import notifications, outbox
from shop import services as shop_services
from shop.errors import field_error
from shop.models import Order, OrderLine, Organization, Stock

from ..error_codes import SupplyChainErrorCode as E
from ..models import (
    Disposition,
    GradedLot,
    PackingRun,
    Recall,
    RecallNotice,
    ShippedCode,
    SourcingLot,
    TraceCode,
)
from .common import BizStep, clean_text, same_org, trace_event


@transaction.atomic
def recall_lot(organization: Organization, *, level: str, reason: str,
               sourcing_lot: SourcingLot | None = None, graded_lot: GradedLot | None = None,
               user=None) -> Recall:
    """Recall a sourcing lot (and everything graded from it) or one graded lot: every code
    from it turns recalled, unsold packages leave stock (through ``shop.services``), new
    packing from it is refused, and the people concerned are told by a Celery task."""
    if (sourcing_lot is None) == (graded_lot is None):
        raise field_error(None, _("Name exactly one lot to recall."), E.REQUIRED)
    if level not in Recall.Level.values:
        raise field_error("level", _("Choose a recall level."), E.INVALID)
    reason = clean_text(reason, "reason", max_length=2000)
    lot = sourcing_lot or graded_lot
    same_org(lot.organization_id, organization, "lot")
    if sourcing_lot is not None:
        graded_ids = sorted(set(GradedLot.objects.filter(
            record__inputs__sourcing_lot=sourcing_lot).values_list("pk", flat=True)))
        if Recall.objects.filter(sourcing_lot=sourcing_lot).exists():
            raise field_error("lot", _("This lot has already been recalled."), E.ALREADY_RECALLED)
    else:
        graded_ids = [graded_lot.pk]
        if graded_lot.is_recalled:
            raise field_error("lot", _("This lot has already been recalled."), E.ALREADY_RECALLED)
    graded = list(GradedLot.objects.select_for_update().filter(pk__in=graded_ids).order_by("pk"))
    now = timezone.now()
    recall = Recall.objects.create(organization=organization, sourcing_lot=sourcing_lot,
                                   graded_lot=graded_lot, level=level, reason=reason,
                                   initiated_by=user, created_at=now)
    GradedLot.objects.filter(pk__in=graded_ids).update(is_recalled=True)
    runs = list(PackingRun.objects.filter(graded_lot_id__in=graded_ids)
                .select_related("variant", "warehouse").order_by("pk"))
    recall.packing_runs.set(runs)
    codes = TraceCode.objects.filter(packing_run__in=runs)
    unsold = dict(codes.filter(disposition=Disposition.ACTIVE, shipped_at__isnull=True)
                  .values_list("packing_run_id").annotate(n=Count("pk")))
    recall.affected_codes = codes.exclude(disposition=Disposition.RECALLED).update(
        disposition=Disposition.RECALLED)
    # Unsold packages of the lot stop selling: take them out of stock (never below what is
    # already allocated to orders), through the one stock mechanism, in a stable order.
    per_stock: dict = defaultdict(int)
    for run in runs:
        per_stock[(run.variant, run.warehouse)] += unsold.get(run.pk, 0)
    withdrawn = sum(
        shop_services.withdraw_stock(variant, warehouse, units)
        for (variant, warehouse), units in sorted(per_stock.items(),
                                                  key=lambda i: (i[0][0].pk, i[0][1].pk))
    )
    withdrawn += _withdraw_uncoded_stock(organization, recalled_product(recall))
    recall.withdrawn_units = withdrawn
    recall.save(update_fields=["affected_codes", "withdrawn_units"])
    for graded_lot_row in graded:
        trace_event(organization, BizStep.RECALLING, when=now, user=user, graded_lot=graded_lot_row,
                    disposition=Disposition.RECALLED, reason=reason)
    for run in runs:
        trace_event(organization, BizStep.RECALLING, when=now, user=user, packing_run=run,
                    disposition=Disposition.RECALLED, package_count=run.quantity, reason=reason)
    if sourcing_lot is not None:
        trace_event(organization, BizStep.RECALLING, when=now, user=user, sourcing_lot=sourcing_lot,
                    disposition=Disposition.RECALLED, reason=reason)
    outbox.enqueue("supplychain.tasks.notify_recall", {"recall_id": recall.pk})
    return recall


def _withdraw_uncoded_stock(organization: Organization, product: Product) -> int:
    """Units of the lot's product in the producer's warehouses that no active code stands
    for: stock set by hand for an untraced product (or, against the rule, for a traced
    one). Nothing tells which lot they came from, so every one of them may be from the
    recalled lot and leaves stock with the coded packages; the producer puts back by hand
    what is known to come from another lot."""
    coded = {(variant, warehouse): n for variant, warehouse, n in TraceCode.objects.filter(
        packing_run__variant__product=product, disposition=Disposition.ACTIVE,
        shipped_at__isnull=True).values_list("packing_run__variant_id",
                                             "packing_run__warehouse_id").annotate(n=Count("pk"))}
    withdrawn = 0
    for stock in (Stock.objects.filter(product_variant__product=product,
                                       warehouse__organization=organization)
                  .select_related("product_variant", "warehouse").order_by("pk")):
        uncoded = stock.quantity - coded.get((stock.product_variant_id, stock.warehouse_id), 0)
        withdrawn += shop_services.withdraw_stock(stock.product_variant, stock.warehouse, uncoded)
    return withdrawn


def recalled_product(recall: Recall) -> Product:
    lot = recall.sourcing_lot or recall.graded_lot
    return lot.product if recall.sourcing_lot_id else lot.grade.product


# Orders whose buyer has paid: waiting for packages, or holding them.
BOUGHT = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED, Order.Status.SHIPPED,
          Order.Status.DELIVERED)


def untraced_lines(recall: Recall):
    """Order lines of an untraced product that may hold the recalled lot's goods: no code
    tells which lot a unit came from, so every paid line of the product placed between
    the lot's arrival and the recall, or still waiting to ship, may."""
    product = recalled_product(recall)
    if is_traced(product):
        return OrderLine.objects.none()
    since = (recall.sourcing_lot.received_at if recall.sourcing_lot_id
             else recall.graded_lot.record.graded_at)
    return (OrderLine.objects.filter(variant__product=product, order__status__in=BOUGHT,
                                     order__created_at__lte=recall.created_at)
            .filter(Q(order__created_at__gte=since)
                    | Q(quantity_fulfilled__lt=F("quantity") - F("quantity_cancelled")))
            .exclude(shipped_codes__isnull=False))


def recall_affected(recall: Recall) -> dict:
    """What a recall touches: packing runs, codes by disposition, and the orders and buyers
    who received codes from it (when shipped codes are recorded, see ``ship_codes``)."""
    runs = list(recall.packing_runs.order_by("pk"))
    orders = affected_orders(recall)
    return {
        "packing_runs": runs,
        "codes": TraceCode.objects.filter(packing_run__in=runs).count(),
        "orders": orders,
        "buyer_emails": sorted({email for _id, email in orders if email}),
    }


def affected_orders(recall: Recall) -> list[tuple[int, str]]:
    """(order id, buyer e-mail) of orders that shipped codes of the recall's runs, and of
    those that may hold the lot's goods without codes (``untraced_lines``)."""
    rows = ShippedCode.objects.filter(trace_code__packing_run__recalls=recall).values_list(
        "order_line__order_id", "order_line__order__user_email").distinct()
    untraced = untraced_lines(recall).values_list("order_id", "order__user_email").distinct()
    return sorted(set(rows) | set(untraced))


# Orders whose buyer is still waiting for packages.
WAITING = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED)


def waiting_orders(recall: Recall) -> list[tuple[int, str]]:
    """(order id, buyer e-mail) of orders placed before the recall, paid and still waiting
    for units of a recalled run's variant: they will not ship from the recalled lot (its
    codes are refused at shipping), and their buyers are told so."""
    variants = recall.packing_runs.values("variant_id")
    rows = (OrderLine.objects.filter(
        variant_id__in=variants,
        quantity_fulfilled__lt=F("quantity") - F("quantity_cancelled"),
        order__status__in=WAITING, order__created_at__lte=recall.created_at)
        .values_list("order_id", "order__user_email").distinct())
    return sorted(set(rows))


def product_recalls(product_id: int):
    """The recalls of a product's lots, newest first: through its packing runs, or (an
    untraced product's lot, packed by no run) through the lot itself."""
    return (Recall.objects.filter(Q(packing_runs__variant__product_id=product_id)
                                  | Q(sourcing_lot__product_id=product_id)
                                  | Q(graded_lot__grade__product_id=product_id))
            .distinct().order_by("-created_at", "-pk"))


def recalled_products(recall: Recall) -> list[str]:
    """The recalled products' names in the active language (a 泽库 buyer reading Tibetan
    gets the products' Tibetan names where they have one)."""
    rows = dict(recall.packing_runs.values_list("variant__product_id", "variant__product__name"))
    if not rows:
        product = recalled_product(recall)
        rows = {product.pk: product.name}
    names = translated.product_names(rows)
    return sorted({names.get(pk, name) for pk, name in rows.items()})


def order_recalls(order: Order) -> list[dict]:
    """The recalls that concern a buyer's order, for the banner on its page: each with the
    recalled products, the order's trace codes from the lot (``codes``: packages the
    buyer has or has had in hand) and whether units still waiting to ship were bought from
    it (``waiting``), and the producer to contact."""
    shipped: dict[int, list[str]] = defaultdict(list)
    for recall_id, code in (ShippedCode.objects.filter(
            order_line__order=order, trace_code__packing_run__recalls__isnull=False)
            .order_by("trace_code__code")
            .values_list("trace_code__packing_run__recalls", "trace_code__code")):
        shipped[recall_id].append(code)
    waiting: set[int] = set()
    if order.status in WAITING:
        variants = [line.variant_id for line in order.lines.all()
                    if line.variant_id and line.quantity_unfulfilled > 0]
        waiting = set(Recall.objects.filter(packing_runs__variant_id__in=variants,
                                            created_at__gte=order.created_at)
                      .values_list("pk", flat=True))
    # Lines without codes of a recalled untraced product: the buyer may hold, or wait
    # for, the lot's goods, and nothing can say otherwise.
    products = {line.variant.product_id for line in order.lines.all() if line.variant_id}
    untraced: dict[int, bool] = {}
    for recall in (Recall.objects.filter(Q(sourcing_lot__product_id__in=products)
                                         | Q(graded_lot__grade__product_id__in=products))
                   .select_related("sourcing_lot", "graded_lot__grade", "graded_lot__record")):
        lines = list(untraced_lines(recall).filter(order=order))
        if lines:
            untraced[recall.pk] = any(line.quantity_unfulfilled > 0 for line in lines)
    recalls = (Recall.objects.filter(pk__in=set(shipped) | waiting | set(untraced))
               .select_related("organization").order_by("created_at", "pk"))
    return [{"recall": recall, "level": recall.get_level_display(), "reason": recall.reason,
             "products": recalled_products(recall), "codes": shipped.get(recall.pk, []),
             "waiting": recall.pk in waiting, "untraced": recall.pk in untraced,
             "untraced_waiting": untraced.get(recall.pk, False),
             "producer": recall.organization.name, "phone": recall.organization.contact_phone}
            for recall in recalls]


def _notice_text(recall: Recall) -> tuple[str, str]:
    """The subject and body of a recall notice, in the active language."""
    subject = _("Product recall: %(org)s") % {"org": recall.organization.name}
    body = _("%(org)s has recalled a lot of %(products)s (%(level)s). Reason: %(reason)s. "
             "Stop using the product and keep its package. Open your order in the shop to "
             "see which packages are concerned and what to do, or scan the code on the "
             "package.") % {
        "org": recall.organization.name, "products": "、".join(recalled_products(recall)),
        "level": recall.get_level_display(), "reason": recall.reason}
    return subject, body


def notify_recall(recall_id: int) -> int:
    """Tell the buyers of affected orders (shipped from the lot, or paid and waiting for
    its product) and the producer's members about a recall, each person once (a retry
    skips those already told, by their ``RecallNotice``), through ``shop.notifications``:
    e-mailed to every address, recorded for those with an account, in the language the
    account chose (a guest's: the one of their latest order). Returns how many were told
    now."""
    recall = Recall.objects.select_related("organization").get(pk=recall_id)
    affected = recall_affected(recall)["orders"] + waiting_orders(recall)
    recipients = {email for _id, email in affected if email}
    recipients |= set(recall.organization.members.filter(is_active=True, email__gt="")
                      .values_list("email", flat=True))
    # Accounts without an e-mail (registered by mobile number) are told by their verified
    # number, which is their notice's key: buyers of orders without one, and members.
    by_phone = {user.verified_phone: user for user in get_user_model().objects.filter(
        Q(orders__pk__in=[pk for pk, email in affected if not email])
        | Q(memberships__organization=recall.organization),
        email__isnull=True, verified_phone__isnull=False, is_active=True).distinct()}
    recipients |= set(by_phone)
    already = set(recall.notices.values_list("email", flat=True))
    accounts = {user.email: user for user in get_user_model().objects.filter(
        email__in=recipients - already, is_active=True)} | by_phone
    guests = dict(Order.objects.filter(user_email__in=recipients - already - set(accounts))
                  .order_by("user_email", "-created_at").distinct("user_email")
                  .values_list("user_email", "language_code"))
    told = 0
    for email in sorted(recipients - already):
        account = accounts.get(email)
        language = (account.language_code if account
                    else guests.get(email, settings.LANGUAGE_CODE))
        with transaction.atomic():
            notice, created = RecallNotice.objects.get_or_create(
                recall=recall, email=email, defaults={"sent_at": timezone.now()})
            if created:
                with override(language):
                    subject, body = _notice_text(recall)
                notifications.notify(account or email, "recall", subject, body,
                                     reference=f"recall:{recall.pk}",
                                     email=email if "@" in email else "")
                told += 1
    Recall.objects.filter(pk=recall.pk).update(notified_at=timezone.now())
    return told
