"""What the webhook watch and health bar say: countdowns, names, the summary, the last check."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QObject

from desktop.domain.webhooks import WebhookSubscription
from desktop.ui.i18n import format_datetime, format_duration_seconds
from desktop.webhooks.health import URGENT, Finding, FindingKind, Severity
from desktop.webhooks.listing import ADMINS_ONLY, Listing, Owner, Problem

_ORPHANS = (FindingKind.ORPHAN_OWNER, FindingKind.ORPHAN_CREATOR)


class WebhookHealth(QObject):
    """The counted phrases. ``self.tr`` with a count, because pyside6-lupdate marks only that
    form as plural; the class name is the catalogue context, as for ``translate`` below."""

    def healthy(self, n: int) -> str:
        return self.tr("All %n subscriptions are healthy", "", n)

    def retrying_over(self, n: int) -> str:
        return self.tr("%n retrying — past the 24 hours: disabled at the next failure", "", n)

    def retrying_one(self, n: int) -> str:
        return self.tr("%n retrying — disabled in {left} unless deliveries succeed", "", n)

    def retrying_many(self, n: int) -> str:
        return self.tr(
            "%n retrying — the first disabled in {left} unless deliveries succeed", "", n
        )

    def disabled(self, n: int) -> str:
        return self.tr("%n disabled", "", n)

    def orphan(self, n: int) -> str:
        return self.tr("%n orphan", "", n)

    def orphans(self, n: int) -> str:
        return self.tr("%n orphans", "", n)

    def duplicate(self, n: int) -> str:
        return self.tr("%n duplicate URL", "", n)

    def duplicates(self, n: int) -> str:
        return self.tr("%n duplicate URLs", "", n)


_COUNTED = WebhookHealth()


translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


def time_left_text(span: timedelta) -> str:
    """ "23 h 59 min", "12 min", "less than a minute": whole minutes, rounded down (a countdown
    must never claim more time than is left)."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return translate("WebhookHealth", "less than a minute")
    return format_duration_seconds(minutes * 60)


def subject_text(subscription: WebhookSubscription, owner: Owner | None) -> str:
    """ "https://x/y (organization)", "https://x/y (group Sales)", "https://x/y (user Ada)"."""
    scope = owner.scope if owner is not None else subscription.scope
    if scope == "group":
        whose = translate("WebhookHealth", "group {name}").format(name=owner.name if owner else "")
    elif scope == "user":
        whose = translate("WebhookHealth", "user {name}").format(name=owner.label if owner else "")
    else:
        whose = translate("WebhookHealth", "organization")
    return translate("WebhookHealth", "{url} ({whose})").format(
        url=subscription.callback_url, whose=whose
    )


def countdown_text(deadline: datetime, now: datetime) -> str:
    """What a retrying subscription's user must know: when Calendly disables it."""
    left = deadline - now
    if left <= timedelta(0):
        return translate(
            "WebhookHealth",
            "Its 24 hours of retries are over: Calendly disables it at its next failed "
            "delivery. Fix the receiver now.",
        )
    return translate(
        "WebhookHealth",
        "It will be disabled in {left} (at {moment}) unless a delivery succeeds first. Check "
        "that the receiver answers with a 2xx status.",
    ).format(left=time_left_text(left), moment=format_datetime(deadline))


def retrying_title(subscription: WebhookSubscription, owner: Owner | None) -> str:
    return translate("WebhookHealth", "Deliveries to {name} are failing").format(
        name=subject_text(subscription, owner)
    )


def owner_of(listing: Listing | None, uri: str) -> Owner | None:
    if listing is None:
        return None
    return next((row.owner for row in listing.rows if row.uri == uri), None)


def is_admins_only(problem: Problem) -> bool:
    """The problem a member's (non-admin's) listing always has: not news, just its extent."""
    return problem.message == ADMINS_ONLY


def severity_of(finding: Finding, now: datetime) -> Severity:
    """A retrying subscription turns urgent as its deadline nears (the finding was made
    earlier)."""
    if finding.kind is FindingKind.RETRYING and finding.deadline is not None:
        return Severity.CRITICAL if finding.deadline - now <= URGENT else Severity.WARNING
    return finding.severity


def severity_text(severity: Severity) -> str:
    """The level in words (never colour alone)."""
    words = {
        Severity.CRITICAL: translate("WebhookHealth", "Urgent:"),
        Severity.WARNING: translate("WebhookHealth", "Warning:"),
        Severity.INFO: translate("WebhookHealth", "Note:"),
    }
    return words[severity]


def summary_text(listing: Listing | None, findings: list[Finding], now: datetime) -> str:
    """ "All 7 subscriptions are healthy", "1 retrying — disabled in 5 h 12 min unless
    deliveries succeed; 1 disabled; 2 orphans"."""
    if listing is None:
        return translate("WebhookHealth", "The webhook subscriptions have not been checked yet.")
    if not listing.listed:
        return translate("WebhookHealth", "The webhook subscriptions could not be checked.")
    text = _findings_summary(findings, len(listing.rows), now)
    if any(is_admins_only(p) for p in listing.problems):
        text = translate("WebhookHealth", "{text} (your own subscriptions only)").format(text=text)
    return text


def _findings_summary(findings: list[Finding], total: int, now: datetime) -> str:
    if not findings:
        if total == 0:
            return translate("WebhookHealth", "There are no webhook subscriptions.")
        if total == 1:
            return translate("WebhookHealth", "The only subscription is healthy.")
        return _COUNTED.healthy(total)
    parts: list[str] = []
    deadlines = sorted(
        f.deadline for f in findings if f.kind is FindingKind.RETRYING and f.deadline is not None
    )
    if deadlines:
        left = deadlines[0] - now
        count = len(deadlines)
        if left.total_seconds() <= 0:
            part = _COUNTED.retrying_over(count)
        elif count == 1:
            part = _COUNTED.retrying_one(count)
        else:
            part = _COUNTED.retrying_many(count)
        parts.append(part.format(left=time_left_text(left)))
    disabled = sum(f.kind is FindingKind.DISABLED for f in findings)
    orphans = sum(f.kind in _ORPHANS for f in findings)
    duplicates = sum(f.kind is FindingKind.DUPLICATE_URL for f in findings)
    if disabled:
        parts.append(_COUNTED.disabled(disabled))
    if orphans == 1:
        parts.append(_COUNTED.orphan(orphans))
    elif orphans:
        parts.append(_COUNTED.orphans(orphans))
    if duplicates == 1:
        parts.append(_COUNTED.duplicate(duplicates))
    elif duplicates:
        parts.append(_COUNTED.duplicates(duplicates))
    return "; ".join(parts)


def status_text(
    *,
    checking: bool,
    failure: str | None,
    next_try_in: float | None,
    last_checked: datetime | None,
    unread: int,
) -> str:
    """ "Last checked 14:03", "Last check failed: … — next try in 10 min.", "Checking now…"."""
    if checking:
        return translate("WebhookHealth", "Checking now…")
    if failure:
        if next_try_in is None:
            return translate("WebhookHealth", "Last check failed: {why}").format(why=failure)
        left = format_duration_seconds(max(1, math.ceil(next_try_in / 60)) * 60)
        return translate("WebhookHealth", "Last check failed: {why} — next try in {left}.").format(
            why=failure, left=left
        )
    if last_checked is None:
        return translate("WebhookHealth", "Not checked yet")
    local = QDateTime.fromMSecsSinceEpoch(round(last_checked.timestamp() * 1000))
    text = translate("WebhookHealth", "Last checked {time}").format(
        time=QLocale().toString(local.time(), QLocale.FormatType.ShortFormat)
    )
    if unread:
        text = translate(
            "WebhookHealth", "{text}; {n} lists could not be read (see Subscriptions)"
        ).format(text=text, n=QLocale().toString(unread))
    return text
