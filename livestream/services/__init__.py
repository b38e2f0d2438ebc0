"""Livestream operations: one function per business operation, explicit arguments, one
transaction, ``ValidationError`` with a ``LivestreamErrorCode``. One module per concern:

``hosts``       hosts and venues, who may edit a broadcast
``broadcasts``  booking, changes, going live, ending, notes, the public schedule
``schedules``   weekly schedules and the one-broadcast-a-week coverage alert
``lineup``      the line-up: live prices, allocations, limits, flash sales, pinning
``offers``      a cooperative's consent to have its stock sold live, which the line-up needs
``live_stock``  the units a line-up item holds out of stock, and giving them back
``buying``      checkouts from a broadcast and the checkout hooks (``shop.hooks``)
``reminders``   subscriptions and reminders
``reviews``     the review (复盘) figures
``exports``     the sales detail list as CSV and XLSX
``common``      the time zone, the broadcast's event log and row lock

Stock is never changed here: a live allocation is held with
``shop.services.reserve_stock``, handed to order lines with ``allocate_reserved_stock``
and given back with ``release_reserved_stock``. Callers import from
``livestream.services``; the names below are its interface."""

from .broadcasts import (
    cancel_broadcast,
    complete_review,
    create_broadcast,
    end_broadcast,
    end_overdue_broadcasts,
    start_broadcast,
    upcoming_broadcasts,
    update_broadcast,
    update_broadcast_notes,
)
from .buying import (
    add_broadcast_checkout_lines,
    buyer_key,
    create_broadcast_checkout,
    live_price,
    take_live_allocation,
)
from .common import EARLY_START, SOURCE, local_zone, locked_broadcast, record
from .exports import (
    SALES_COLUMNS,
    co_seller_ids,
    sales_detail_csv,
    sales_detail_rows,
    sales_detail_xlsx,
)
from .hosts import (
    MIN_HOST_AGE,
    active_host_of,
    age_on,
    can_edit_broadcast,
    check_host_eligible,
    create_host,
    create_venue,
    update_host,
)
from .lineup import (
    add_lineup_item,
    flash_sale_countdown,
    live_price_applies,
    on_sale,
    pin_lineup_item,
    regular_price,
    remove_lineup_item,
    update_lineup_item,
    with_on_sale,
)
from .offers import (
    check_within_offer,
    consent_for,
    may_publish_offer,
    publish_offer,
    units_under_offer,
    withdraw_offer,
)
from .reminders import send_due_reminders, subscribe, unsubscribe
from .reviews import attributed_lines, broadcast_review, sales_window
from .schedules import (
    check_weekly_coverage,
    county_hosts,
    county_rules,
    create_weekly_schedule,
    extend_weekly_schedules,
    generate_schedule_broadcasts,
    schedule_occurrences,
    week_start,
    weekly_coverage,
)

__all__ = [
    "EARLY_START", "MIN_HOST_AGE", "SALES_COLUMNS", "SOURCE",
    "active_host_of", "add_broadcast_checkout_lines", "add_lineup_item", "age_on",
    "attributed_lines", "broadcast_review", "buyer_key", "can_edit_broadcast",
    "cancel_broadcast", "check_host_eligible",
    "check_within_offer", "consent_for", "may_publish_offer", "publish_offer",
    "units_under_offer", "withdraw_offer",
    "check_weekly_coverage", "complete_review", "create_broadcast",
    "create_broadcast_checkout", "create_host", "create_venue", "create_weekly_schedule",
    "end_broadcast", "end_overdue_broadcasts", "extend_weekly_schedules",
    "flash_sale_countdown", "generate_schedule_broadcasts", "live_price",
    "live_price_applies", "local_zone", "locked_broadcast", "on_sale", "pin_lineup_item",
    "record", "with_on_sale",
    "co_seller_ids", "county_hosts", "county_rules", "regular_price", "remove_lineup_item",
    "sales_detail_csv", "sales_detail_rows",
    "sales_detail_xlsx", "sales_window", "schedule_occurrences", "send_due_reminders",
    "start_broadcast", "subscribe", "take_live_allocation", "unsubscribe",
    "upcoming_broadcasts", "update_broadcast", "update_broadcast_notes", "update_host",
    "update_lineup_item", "week_start", "weekly_coverage",
]
