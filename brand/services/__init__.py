"""Services of the brand app: one function per business operation (see ARCHITECTURE.md).

Each runs in one transaction, takes the acting ``user`` explicitly and records an event
with who, when and why; bad input raises ``ValidationError`` with a ``BrandErrorCode`` and
changes nothing. Decisions are the brand authority's alone: the functions that decide check
it again (``PermissionDenied``) even though the API checks first. One module per concern:

- ``common``: who may act, input cleaning, event records, the public-notice window
- ``coverage``: a brand's categories, application scope, the licence covering a product
- ``applications``: drafting, documents, submitting and withdrawing an application
- ``review``: the authority's review, approval (public notice; not while a question waits
  on the applicant), rejection, objections
- ``licences``: granting, suspending, reinstating, revoking and renewing licences, and
  the holder's renewal request
- ``questions``: the authority's requests for information (or their withdrawal) and the
  applicant's answers
- ``violations``: breaches and what is done about them
- ``quotas``: brand labels booked against a licence's quota, annual usage reports (an
  overdue one stops brand labels)
- ``scheduled``: the periodic work of ``brand.tasks`` (notices, expiry and usage-report
  reminders, expiry)

Other apps call three functions: ``consume_label_quota`` (a packing run that issues
brand-labelled trace codes), ``licence_status_for`` (the trace page) and
``covering_licences`` (the product badge)."""

from .applications import (
    MAX_DOCUMENT_BYTES,
    add_application_document,
    create_application,
    submit_application,
    update_application,
    withdraw_application,
)
from .common import (
    LICENSEE_KINDS,
    AEvent,
    LEvent,
    Status,
    is_authority_member,
    is_member,
    require_authority,
    require_member,
)
from .coverage import (
    ancestry,
    category_parents,
    covering_licences,
    licence_status_for,
    set_brand_category,
)
from .licences import (
    RENEWAL_REQUESTED,
    RENEWAL_WINDOW_DAYS,
    grant_licence,
    next_licence_number,
    reinstate_licence,
    renew_licence,
    request_renewal,
    revoke_licence,
    suspend_licence,
    verification_url,
)
from .questions import (
    QUESTION_STATUSES,
    answer_question,
    ask_question,
    notify_question,
    withdraw_question,
)
from .quotas import (
    consume_label_quota,
    label_usage,
    labels_issued,
    overdue_reports,
    overdue_years,
    report_due_on,
    submit_usage_report,
)
from .review import (
    approve_application,
    check_no_open_question,
    lodge_objection,
    open_question,
    reject_application,
    resolve_objection,
    schedule_onsite_check,
    start_review,
)
from .scheduled import (
    REMINDER_DAYS,
    REPORT_REMINDER_DAYS,
    close_due_notices,
    expire_licences,
    send_expiry_reminders,
    send_usage_report_reminders,
)
from .violations import record_violation

__all__ = [
    "LICENSEE_KINDS", "MAX_DOCUMENT_BYTES", "QUESTION_STATUSES", "REMINDER_DAYS",
    "REPORT_REMINDER_DAYS",
    "RENEWAL_REQUESTED", "RENEWAL_WINDOW_DAYS", "AEvent", "LEvent", "Status",
    "add_application_document", "answer_question", "ask_question", "check_no_open_question",
    "notify_question", "open_question",
    "request_renewal", "ancestry", "approve_application", "category_parents",
    "close_due_notices", "consume_label_quota", "covering_licences", "create_application",
    "expire_licences", "grant_licence", "is_authority_member", "is_member", "label_usage",
    "labels_issued", "licence_status_for", "lodge_objection", "next_licence_number",
    "overdue_reports", "overdue_years", "report_due_on",
    "record_violation", "reinstate_licence", "reject_application", "renew_licence",
    "require_authority", "require_member", "resolve_objection", "revoke_licence",
    "schedule_onsite_check", "send_expiry_reminders", "send_usage_report_reminders",
    "set_brand_category", "start_review",
    "submit_application", "submit_usage_report", "suspend_licence", "update_application",
    "verification_url", "withdraw_application", "withdraw_question",
]
