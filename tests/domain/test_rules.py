"""Calendly's rules as the UI will check them before asking."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.domain import rules


def test_every_scope_gets_the_invitee_events() -> None:
    for scope in rules.WEBHOOK_SCOPES:
        events = rules.webhook_events_for_scope(scope)
        assert {"invitee.created", "invitee.canceled", "invitee_no_show.created"} <= set(events)


def test_routing_submissions_are_organization_only_and_recaps_user_only() -> None:
    assert "routing_form_submission.created" in rules.webhook_events_for_scope("organization")
    for scope in ("user", "group"):
        assert not rules.webhook_scope_allows(scope, "routing_form_submission.created")
    assert rules.webhook_scope_allows("user", "meeting_recap.created")
    assert not rules.webhook_scope_allows("organization", "meeting_recap.created")


def test_disallowed_events_include_unknown_and_payload_only_ones() -> None:
    asked = ["invitee.created", "meeting_recap.updated", "event_type.created", "made.up"]
    assert rules.disallowed_webhook_events("organization", asked) == (
        "meeting_recap.updated",
        "event_type.created",
        "made.up",
    )
    assert set(rules.PAYLOAD_ONLY_EVENTS).isdisjoint(rules.WEBHOOK_EVENTS)


def test_read_scopes_needed_for_a_subscription() -> None:
    needed = rules.webhook_read_scopes(["invitee.created", "routing_form_submission.created"])
    assert needed == {"scheduled_events:read", "routing_forms:read"}


@pytest.mark.parametrize(
    ("granted", "required", "ok"),
    [
        (["webhooks:write"], "webhooks:write", True),
        (["webhooks:write"], "webhooks:read", True),  # write implies read
        (["webhooks:read"], "webhooks:write", False),
        (["users:read"], "webhooks:read", False),
    ],
)
def test_scope_grants(granted: list[str], required: str, ok: bool) -> None:
    assert rules.scope_grants(granted, required) is ok


def test_missing_scopes() -> None:
    assert rules.missing_scopes(["users:read"], ["users:read", "groups:read"]) == ("groups:read",)


def test_at_most_ten_guests() -> None:
    assert not rules.too_many_guests(f"g{i}@example.com" for i in range(10))
    assert rules.too_many_guests(f"g{i}@example.com" for i in range(11))


def test_durations_and_options() -> None:
    assert rules.valid_duration(1) and rules.valid_duration(720)
    assert not rules.valid_duration(0) and not rules.valid_duration(721)
    assert rules.duration_options_problem([15, 30, 45, 60]) is None
    assert rules.duration_options_problem([15, 30, 45, 60, 90]) == "at most 4 durations"
    assert rules.duration_options_problem([15, 15]) == "durations must be different"
    assert rules.duration_options_problem([15, 800]) is not None


def test_colors_and_roles() -> None:
    assert rules.valid_color("#fff200") and not rules.valid_color("#FFF200")
    assert not rules.valid_color("fff200")
    assert rules.is_admin_role("owner") and rules.is_admin_role("admin")
    assert not rules.is_admin_role("user")


def test_configured_location_kinds_map_to_event_location_types() -> None:
    assert rules.location_type_for_kind("zoom_conference") == "zoom"
    assert rules.location_type_for_kind("gotomeeting_conference") == "gotomeeting"
    assert rules.location_type_for_kind("google_conference") == "google_conference"


def test_query_windows() -> None:
    assert rules.window_fits(timedelta(days=7), rules.BUSY_TIMES_MAX_WINDOW)
    assert not rules.window_fits(timedelta(days=8), rules.BUSY_TIMES_MAX_WINDOW)
    assert rules.window_fits(timedelta(days=31), rules.AVAILABLE_TIMES_MAX_WINDOW)
    assert not rules.window_fits(timedelta(0), rules.AVAILABLE_TIMES_MAX_WINDOW)
