"""Which events each subscription scope allows, what a token needs for them, and the messages."""

from __future__ import annotations

from typing import get_args

from desktop.api.resources.webhooks import WebhookEvent
from desktop.webhooks.scopes import (
    EVENTS,
    SCOPES,
    check_events,
    events_for,
    label,
    read_scopes,
    scopes_for,
)


def test_the_events_offered_are_exactly_those_calendly_accepts() -> None:
    # The create body's enum (the client's ``WebhookEvent``): event_type.* are not in it.
    assert set(EVENTS) == set(get_args(WebhookEvent))
    assert not any(event.startswith("event_type.") for event in EVENTS)


def test_scope_rules_follow_calendly_table() -> None:
    assert scopes_for("routing_form_submission.created") == ("organization",)
    for event in ("meeting_recap.created", "meeting_recap.updated", "meeting_recap.deleted"):
        assert scopes_for(event) == ("user",)
    for prefix in ("invitee.", "invitee_no_show.", "contact."):
        for event in (e for e in EVENTS if e.startswith(prefix)):
            assert set(scopes_for(event)) == set(SCOPES)
    assert "routing_form_submission.created" in events_for("organization")
    assert "routing_form_submission.created" not in events_for("user")
    assert "meeting_recap.created" in events_for("user")
    assert not any(e.startswith("meeting_recap.") for e in events_for("group"))
    assert events_for("organization")[0] == "invitee.created"  # Calendly's order


def test_each_event_has_a_label_and_a_read_scope() -> None:
    for name, info in EVENTS.items():
        assert label(name) == info.label and info.label[0].isupper()
        assert info.read_scope.endswith(":read")
    assert label("no.such_event") == "no.such_event"
    assert read_scopes(["invitee.created", "invitee.canceled", "contact.created"]) == (
        "scheduled_events:read",
        "contacts:read",
    )
    assert read_scopes(["routing_form_submission.created"]) == ("routing_forms:read",)
    assert read_scopes(["meeting_recap.deleted"]) == ("meeting_recaps:read",)


def test_valid_combinations_have_no_problems() -> None:
    assert (
        check_events("organization", ["invitee.created", "routing_form_submission.created"]) == []
    )
    assert check_events("user", ["meeting_recap.created", "contact.updated"]) == []
    assert check_events("group", ["invitee_no_show.created", "invitee.canceled"]) == []


def test_problems_name_the_events_field_and_say_why() -> None:
    [empty] = check_events("user", [])
    assert empty.startswith("Events:") and "at least one" in empty

    problems = check_events("user", ["routing_form_submission.created"])
    assert problems and all(p.startswith("Events:") for p in problems)
    assert "organization scope" in problems[0]
    assert "routing_form_submission.created" in problems[0]

    [recap] = check_events("organization", ["meeting_recap.created"])
    assert "only be subscribed at user scope" in recap

    mixed = check_events("organization", ["invitee.created", "meeting_recap.created"])
    assert any("separate subscriptions" in p for p in mixed)

    [unknown] = check_events("group", ["event_type.created"])
    assert "not an event Calendly can send" in unknown

    [twice] = check_events("group", ["invitee.created", "invitee.created"])
    assert "more than once" in twice

    [scope] = check_events("team", ["invitee.created"])
    assert scope.startswith("Scope:")
