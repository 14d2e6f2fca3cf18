"""Bulk actions on a multi-selection: dry-run preview, paced one-by-one run, per-item report.

Qt-free; the bulk dialog wraps it. Typical use::

    action = cancel_events(client, reason="Office closed")
    plan = preview(action, items)            # the dry run, one line per item
    run = BulkRun(action, items, on_failure=ask_user, on_progress=show)
    await run.start()                       # pause(), resume(), cancel() meanwhile
    run.report_rows()                       # key, label, outcome, message, status
"""

from __future__ import annotations

from desktop.bulk.actions import (
    OWNER_REFUSAL,
    cancel_events,
    event_item,
    invitation_item,
    invitee_item,
    mark_no_shows,
    membership_item,
    remove_members,
    revoke_invitations,
)
from desktop.bulk.model import (
    OUTCOMES,
    REPORT_FIELDS,
    BulkAction,
    BulkItem,
    BulkSummary,
    ItemResult,
    ItemSkipped,
    Outcome,
    PlannedItem,
    confirmation_matches,
    preview,
    report_csv,
    report_rows,
)
from desktop.bulk.run import (
    MAX_RATE_LIMIT_WAITS,
    BulkRun,
    Decision,
    FailureHandler,
    ProgressListener,
    Recorder,
    RunState,
    StateListener,
    recorder,
)
from desktop.bulk.texts import Text, explain

__all__ = [
    "MAX_RATE_LIMIT_WAITS",
    "OUTCOMES",
    "OWNER_REFUSAL",
    "REPORT_FIELDS",
    "BulkAction",
    "BulkItem",
    "BulkRun",
    "BulkSummary",
    "Decision",
    "FailureHandler",
    "ItemResult",
    "ItemSkipped",
    "Outcome",
    "PlannedItem",
    "ProgressListener",
    "Recorder",
    "RunState",
    "StateListener",
    "Text",
    "cancel_events",
    "confirmation_matches",
    "event_item",
    "explain",
    "invitation_item",
    "invitee_item",
    "mark_no_shows",
    "membership_item",
    "preview",
    "recorder",
    "remove_members",
    "report_csv",
    "report_rows",
    "revoke_invitations",
]
