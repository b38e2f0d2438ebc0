"""Services of the supplychain app: one function per business operation (see ARCHITECTURE.md).

Each operation takes explicit arguments, runs in one transaction and raises Django
``ValidationError`` with codes from ``supplychain.error_codes``. Stock changes go through
``shop.services`` only. One module per concern:

- ``producers``: producer profiles, households, bases and their certifications
- ``sourcing``: sourcing lots and their inspections
- ``grading``: grade standards and grading records (mass balance)
- ``packing``: packing runs, issuing their trace codes, the label sheet's state
- ``scans``: finding a code, counting scans, the public trace view
- ``events``: the event log of a package or a lot, as EPCIS 2.0
- ``recalls``: recalls and the notices they send
- ``shipping``: codes shipped with an order's lines and sold on delivery
- ``chain``: farm inputs (withdrawal periods), processing steps, cold-chain logs, and
  voiding a wrong one

The code format lives in ``supplychain.codes`` and the QR images and label sheets in
``supplychain.labels``; their functions are re-exported here for existing callers."""

from ..codes import new_trace_code, normalise_code, trace_url
from ..labels import qr_png, qr_svg, render_label_sheet
from .chain import (
    MAX_LOG_BYTES,
    chain_timeline,
    check_withdrawal,
    record_farm_input,
    record_processing_step,
    upload_cold_chain_log,
    void_chain_record,
)
from .events import code_events, epc_uri, epcis_document, lot_events
from .grading import (
    create_grade_standard,
    graded_lot_remaining,
    graded_lot_sources,
    record_grading,
    sourcing_lot_remaining,
)
from .packing import (
    create_packing_run,
    issue_trace_codes,
    mark_label_sheet_failed,
    recover_stale_label_sheets,
    request_label_sheet,
    save_label_sheet,
)
from .producers import (
    add_certification,
    create_base,
    create_household,
    mask_id_number,
    update_producer_profile,
    validate_credit_code,
)
from .recalls import affected_orders, notify_recall, recall_affected, recall_lot
from .scans import (
    Counted,
    coarse_network,
    find_digital_link,
    find_trace_code,
    record_scan,
    scan_code,
    trace_view,
)
from .shipping import (
    codes_returned,
    codes_sold_on_delivery,
    fulfill_with_codes,
    mark_codes_sold,
    refuse_traced_without_codes,
    ship_codes,
)
from .sourcing import create_sourcing_lot, latest_inspections, record_inspection

__all__ = [
    "refuse_traced_without_codes", "codes_returned",
    "chain_timeline", "check_withdrawal", "record_farm_input", "record_processing_step",
    "upload_cold_chain_log", "void_chain_record", "MAX_LOG_BYTES",
    "add_certification", "affected_orders", "coarse_network", "code_events",
    "codes_sold_on_delivery", "create_base", "create_grade_standard", "create_household",
    "create_packing_run", "create_sourcing_lot", "epc_uri", "epcis_document",
    "Counted", "find_digital_link", "find_trace_code", "fulfill_with_codes",
    "graded_lot_remaining", "scan_code",
    "graded_lot_sources", "issue_trace_codes", "latest_inspections", "lot_events",
    "mark_codes_sold", "mark_label_sheet_failed", "mask_id_number", "new_trace_code",
    "normalise_code", "notify_recall", "qr_png", "qr_svg", "recall_affected", "recall_lot",
    "record_grading", "record_inspection", "record_scan", "render_label_sheet",
    "recover_stale_label_sheets", "request_label_sheet", "save_label_sheet",
    "sourcing_lot_remaining", "ship_codes",
    "trace_url", "trace_view", "update_producer_profile", "validate_credit_code",
]
