"""How a webhook subscription reads: its state, scope, events, key and detail panel."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication

from desktop.domain.webhooks import WebhookSubscription
from desktop.ui.i18n import format_duration_seconds
from desktop.ui.models.columns import format_local
from desktop.ui.webhooks.event_names import event_label
from desktop.webhooks.health import Finding, Severity, disable_deadline
from desktop.webhooks.listing import Listing, Row
from desktop.webhooks.scopes import EVENTS

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls


# -- state ----------------------------------------------------------------------------------------
STATES = ("active", "retrying", "disabled")


def state_of(subscription: WebhookSubscription) -> str:
    """ "active", "retrying" (active, failing deliveries) or "disabled"."""
    if subscription.is_failing:
        return "retrying"
    return "active" if subscription.is_active else "disabled"


def state_name(state: str) -> str:
    return {
        "active": translate("SubscriptionText", "Active"),
        "retrying": translate("SubscriptionText", "Retrying"),
        "disabled": translate("SubscriptionText", "Disabled"),
    }.get(state, state)


def state_text(subscription: WebhookSubscription, now: datetime) -> str:
    """ "Active", "Retrying since 5/1/26 2:03 PM — disabled in 3 h 05 min", "Disabled"."""
    state = state_of(subscription)
    if state != "retrying" or subscription.retry_started_at is None:
        return state_name(state)
    since = format_local(subscription.retry_started_at)
    deadline = disable_deadline(subscription)
    left = (deadline - now) if deadline is not None else timedelta(0)
    if left <= timedelta(0):
        return translate(
            "SubscriptionText", "Retrying since {since} — disabled at the next failure"
        ).format(since=since)
    return translate("SubscriptionText", "Retrying since {since} — disabled in {left}").format(
        since=since, left=format_duration_seconds(left.total_seconds())
    )


# -- scope, owner, events, creator, key -----------------------------------------------------------
def scope_name(scope: str) -> str:
    return {
        "organization": translate("SubscriptionText", "Organization"),
        "group": translate("SubscriptionText", "Group"),
        "user": translate("SubscriptionText", "User"),
    }.get(scope, scope)


def events_text(events: Iterable[str]) -> str:
    return ", ".join(event_label(e) for e in events)


def creator_names(listing: Listing | None) -> dict[str, str]:
    """User URI → name, for everyone the listing knows (its members)."""
    if listing is None:
        return {}
    return {m.user.uri: m.user.name for m in listing.members}


def creator_text(uri: str | None, names: dict[str, str], members_loaded: bool) -> str:
    if not uri:
        return ""
    name = names.get(uri)
    if name:
        return name
    return (
        translate("SubscriptionText", "Former member")
        if members_loaded
        else translate("SubscriptionText", "Unknown")
    )


def key_text(held: bool, vault_available: bool) -> str:
    if not vault_available:
        return translate("SubscriptionText", "No keyring")
    return (
        translate("SubscriptionText", "Held in vault")
        if held
        else translate("SubscriptionText", "Unverifiable — key never seen")
    )


# -- why an action is unavailable ----------------------------------------------------------------
def no_keyring() -> str:
    return translate(
        "SubscriptionText", "No system keyring is available here, so signing keys cannot be kept."
    )


def unavailable(selected: int, disabled: bool, vault: bool) -> list[str]:
    """What the table's hint says about the actions for a selection of ``selected`` rows
    (``disabled``: the one selected is disabled; ``vault``: a keyring keeps keys)."""
    reasons: list[str] = []
    if selected > 1:
        reasons.append(
            translate(
                "SubscriptionText",
                "Select one subscription: the actions work on one subscription at a time.",
            )
        )
    if selected == 1 and not disabled:
        reasons.append(
            translate(
                "SubscriptionText", "Revive is only for disabled subscriptions; this one is active."
            )
        )
    if selected == 1 and disabled:
        reasons.append(
            translate(
                "SubscriptionText",
                "Calendly cannot re-enable a subscription: Revive creates a new one with the "
                "same settings and deletes the old.",
            )
        )
    if selected == 1 and not vault:
        reasons.append(no_keyring())
    return reasons


# -- the subscription dialog's notes -------------------------------------------------------------
def dialog_intro(mode: str) -> str:
    if mode == "revive":
        return translate(
            "SubscriptionText",
            "Calendly cannot re-enable a subscription: Revive creates a new one with the same "
            "settings and deletes the old.",
        )
    if mode == "edit":
        return translate(
            "SubscriptionText",
            "Calendly cannot change a subscription: Save creates a new one with these settings, "
            "checks that it is active, then deletes the old one.",
        )
    return ""


def new_key_note() -> str:
    return translate(
        "SubscriptionText",
        "This subscription's key was never seen here, so a new key is generated: give the "
        "receiver the new key (Signing key… shows it afterwards).",
    )


def _scope_words() -> dict[str, str]:
    return {
        "organization": translate("SubscriptionText", "the organization"),
        "group": translate("SubscriptionText", "a group"),
        "user": translate("SubscriptionText", "a member"),
    }


def only_at(event: str) -> str:
    """ "Only for a subscription of the organization" (where ``event`` may be subscribed)."""
    words = _scope_words()
    scopes = translate("SubscriptionText", " or ").join(
        words.get(s, s) for s in EVENTS[event].scopes
    )
    return translate("SubscriptionText", "Only for a subscription of {scopes}").format(
        scopes=scopes
    )


def events_note(scope: str, unticked: Sequence[str]) -> str:
    """Why some events are greyed out for a ``scope`` subscription; which were just unticked."""
    words = _scope_words()
    elsewhere: dict[tuple[str, ...], list[str]] = {}
    for name, info in EVENTS.items():
        if scope not in info.scopes:
            elsewhere.setdefault(tuple(info.scopes), []).append(name)
    lines = [
        translate("SubscriptionText", "Only for a subscription of {scopes}: {events}.").format(
            scopes=translate("SubscriptionText", " or ").join(words.get(s, s) for s in scopes),
            events=events_text(names),
        )
        for scopes, names in elsewhere.items()
    ]
    if unticked:
        lines.append(
            translate("SubscriptionText", "Unticked because of the scope: {events}.").format(
                events=events_text(unticked)
            )
        )
    return "\n".join(lines)


# -- the detail panel -----------------------------------------------------------------------------
def _when(moment: datetime | None) -> str:
    return format_local(moment) if moment is not None else "—"


def detail_html(
    row: Row,
    *,
    now: datetime,
    creator: str,
    key_held: bool,
    vault_available: bool,
    findings: Iterable[Finding],
) -> str:
    """Everything about one subscription, its health findings and whether its key is held."""
    sub = row.subscription
    events = "".join(
        f"<li>{html.escape(event_label(e))} <code>{html.escape(e)}</code></li>" for e in sub.events
    )
    deadline = disable_deadline(sub)
    rows = [
        (translate("SubscriptionText", "State"), html.escape(state_text(sub, now))),
        (translate("SubscriptionText", "Scope"), html.escape(scope_name(sub.scope))),
        (translate("SubscriptionText", "Owner"), html.escape(row.owner.label)),
        (translate("SubscriptionText", "Creator"), html.escape(creator or "—")),
        (translate("SubscriptionText", "Created"), html.escape(_when(sub.created_at))),
        (translate("SubscriptionText", "Updated"), html.escape(_when(sub.updated_at))),
        (translate("SubscriptionText", "Retrying since"), html.escape(_when(sub.retry_started_at))),
    ]
    if deadline is not None:
        rows.append(
            (
                translate("SubscriptionText", "Disabled at about"),
                html.escape(format_local(deadline)),
            )
        )
    rows.append(
        (
            translate("SubscriptionText", "Signing key"),
            html.escape(key_text(key_held, vault_available)),
        )
    )
    rows.append((translate("SubscriptionText", "URI"), html.escape(sub.uri)))
    cells = "".join(f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
    events_title = translate("SubscriptionText", "Events")
    parts = [
        f"<h3>{html.escape(sub.callback_url)}</h3>",
        f"<table cellspacing='4'>{cells}</table>",
        f"<p><b>{html.escape(events_title)}</b></p><ul>{events}</ul>",
    ]
    if vault_available and not key_held:
        parts.append(
            "<p>"
            + html.escape(
                translate(
                    "SubscriptionText",
                    "Calendly never returns signing keys, and this one was not created here: "
                    "its deliveries cannot be verified. Use Signing key… to enter it if you "
                    "know it.",
                )
            )
            + "</p>"
        )
    found = list(findings)
    if found:
        items = "".join(
            f"<li><b>{html.escape(_severity(f.severity))}: {html.escape(f.title)}</b><br>"
            f"{html.escape(f.text)}</li>"
            for f in found
        )
        health = translate("SubscriptionText", "Health")
        parts.append(f"<p><b>{html.escape(health)}</b></p><ul>{items}</ul>")
    else:
        nothing = translate("SubscriptionText", "Health: nothing to report.")
        parts.append(f"<p>{html.escape(nothing)}</p>")
    return "".join(parts)


def _severity(severity: Severity) -> str:
    return {
        Severity.INFO: translate("SubscriptionText", "Note"),
        Severity.WARNING: translate("SubscriptionText", "Warning"),
        Severity.CRITICAL: translate("SubscriptionText", "Critical"),
    }[severity]
