"""What a bulk action is: items, the action, its dry-run preview, per-item results, the report."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from desktop.api import APIStatusError
from desktop.bulk.texts import Text

Outcome: TypeAlias = Literal["done", "failed", "skipped", "not run", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("done", "failed", "skipped", "not run", "unknown")
REPORT_FIELDS = ("key", "label", "outcome", "message", "status")


@dataclass(frozen=True)
class BulkItem:
    """One selected row: ``key`` is the record's URI, ``payload`` the record itself."""

    key: str
    label: str
    payload: Any = None


class ItemSkipped(Exception):
    """Raised by a custom action's ``run`` when there is nothing to do for the item (the four
    built-in actions use ``skip_error`` instead, so the action log sees Calendly's refusal)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BulkAction:
    """What to do to each item. ``verb`` names it in messages ("Cancel"); ``irreversible``
    actions need the typed confirmation (``confirmation_matches``)."""

    name: str
    verb: str
    irreversible: bool
    describe: Callable[[BulkItem], str]  # the dry-run preview line
    run: Callable[[BulkItem], Awaitable[str | None]]  # the write; a short success note
    already_done: Callable[[BulkItem], bool] | None = None  # skipped, not failed
    done_reason: str = "Already done"  # the skip message for ``already_done`` items
    refusal: Callable[[BulkItem], str | None] | None = None  # why an item must be skipped
    # Calendly's refusals that mean "nothing to do" (already canceled): a skip, not a failure.
    skip_error: Callable[[APIStatusError], str | None] | None = None
    # After a lost or failed answer: did the write take effect? (None: cannot tell)
    confirm: Callable[[BulkItem], Awaitable[bool | None]] | None = None
    log_action: str = ""  # the action log's code for each write ("event.cancel")
    details: Mapping[str, str] = field(default_factory=dict)  # for the action log

    def skip_reason(self, item: BulkItem) -> str | None:
        """Why ``item`` will be skipped without a request, or None when it will be sent."""
        if self.refusal is not None and (reason := self.refusal(item)):
            return reason
        if self.already_done is not None and self.already_done(item):
            return self.done_reason
        return None


@dataclass(frozen=True)
class PlannedItem:
    """One line of the dry run: ``will_run`` False means skipped, and ``text`` says why."""

    item: BulkItem
    will_run: bool
    text: str


def preview(action: BulkAction, items: Iterable[BulkItem]) -> list[PlannedItem]:
    """Exactly what a run would do, item by item, without sending anything."""
    plan = []
    for item in items:
        reason = action.skip_reason(item)
        if reason is None:
            plan.append(PlannedItem(item, True, action.describe(item)))
        else:
            text = Text("Skip {label}: {reason}", label=item.label, reason=reason)
            plan.append(PlannedItem(item, False, text))
    return plan


def confirmation_matches(typed: str, organization_name: str) -> bool:
    """The typed confirmation of an irreversible run: the organization's name, exactly
    (case included; surrounding and repeated spaces aside)."""
    wanted = " ".join(organization_name.split())
    return bool(wanted) and " ".join(typed.split()) == wanted


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item; ``status`` is the HTTP status of Calendly's refusal, if any."""

    key: str
    label: str
    outcome: Outcome
    message: str
    status: int | None = None


@dataclass(frozen=True)
class BulkSummary:
    """How many items ended how; ``summary["done"]``."""

    total: int
    counts: Mapping[Outcome, int]

    def __getitem__(self, outcome: Outcome) -> int:
        return self.counts.get(outcome, 0)

    @property
    def text(self) -> str:
        """English, e.g. "6 done, 1 failed, 3 not run (of 10)"; the UI words its own."""
        parts = ", ".join(f"{self[o]} {o}" for o in OUTCOMES if self[o])
        return Text("{parts} (of {total})", parts=parts, total=self.total)


def summarize(results: Sequence[ItemResult], total: int) -> BulkSummary:
    return BulkSummary(total, {o: sum(1 for r in results if r.outcome == o) for o in OUTCOMES})


def report_rows(results: Iterable[ItemResult]) -> list[dict[str, str]]:
    """One row per item (``REPORT_FIELDS``), all text; ``status`` is "" when there is none."""
    return [
        {
            "key": r.key,
            "label": r.label,
            "outcome": r.outcome,
            "message": str(r.message),
            "status": "" if r.status is None else str(r.status),
        }
        for r in results
    ]


def report_csv(rows: Iterable[Mapping[str, str]]) -> str:
    """The report as CSV text (header first); a cell a spreadsheet would run as a formula is
    prefixed with an apostrophe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _inert(row.get(name, "")) for name in REPORT_FIELDS})
    return out.getvalue()


def _inert(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
