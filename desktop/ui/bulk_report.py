"""The bulk dialog's words: the engine's sentences translated, each outcome's name, the run's
state, the report's summary and its per-item lines."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QLocale,
    QTimeZone,
)

from desktop.bulk import BulkSummary, ItemResult
from desktop.bulk.run import RunState


def translated(text: str) -> str:
    """A bulk-engine sentence in the user's language (its template through Qt translation)."""
    template = getattr(text, "template", None)
    values = getattr(text, "values", None)
    if template is None or values is None:
        return text
    shown = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            stamp = QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.utc())
            shown[name] = QLocale().toString(stamp.toLocalTime(), QLocale.FormatType.ShortFormat)
        elif isinstance(value, int | float):
            shown[name] = QLocale().toString(value)
        else:
            shown[name] = value
    return str(QCoreApplication.translate("Bulk", template).format(**shown))


# Marked for lupdate here, translated where shown.
OUTCOME_TEXT: dict[str, str] = {
    "done": str(QT_TRANSLATE_NOOP("BulkDialog", "Done")),
    "failed": str(QT_TRANSLATE_NOOP("BulkDialog", "Failed")),
    "skipped": str(QT_TRANSLATE_NOOP("BulkDialog", "Skipped")),
    "not run": str(QT_TRANSLATE_NOOP("BulkDialog", "Not run")),
    "unknown": str(QT_TRANSLATE_NOOP("BulkDialog", "Unknown — check in Calendly")),
}


def outcome_text(outcome: str) -> str:
    """An outcome's name (``OUTCOME_TEXT``) in the user's language."""
    return QCoreApplication.translate("BulkDialog", OUTCOME_TEXT[outcome])


def state_text(state: RunState) -> str:
    """What the run is doing, for the progress step."""
    texts = {
        "running": QCoreApplication.translate(
            "BulkDialog", "Working… the rate limit Calendly reports is respected."
        ),
        "pausing": QCoreApplication.translate("BulkDialog", "Pausing after the item in progress…"),
        "paused": QCoreApplication.translate(
            "BulkDialog", "Paused. Nothing is sent until you resume."
        ),
        "rate_limited": QCoreApplication.translate(
            "BulkDialog", "Waiting for Calendly's rate limit to reset…"
        ),
        "deciding": QCoreApplication.translate(
            "BulkDialog", "An item did not go through: continue or stop?"
        ),
        "cancelling": QCoreApplication.translate(
            "BulkDialog", "Finishing the item in progress, then stopping…"
        ),
        "finished": QCoreApplication.translate("BulkDialog", "Finished."),
    }
    return texts.get(state, "")


def summary_line(summary: BulkSummary) -> str:
    """The report's summary: how many of each outcome (those that happened), of the total."""
    parts = [
        f"{QLocale().toString(summary[o])} {outcome_text(o).lower()}"
        for o in ("done", "failed", "unknown", "skipped", "not run")
        if summary[o]
    ]
    return QCoreApplication.translate("BulkDialog", "{parts} (of {total}).").format(
        parts=", ".join(parts), total=QLocale().toString(summary.total)
    )


def result_line(result: ItemResult) -> str:
    """One item's line in the log and the report: its outcome, its label, and why."""
    line = f"{outcome_text(result.outcome)}: {result.label}"
    if result.message:
        line += f" — {translated(result.message)}"
    return line
