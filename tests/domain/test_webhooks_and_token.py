"""Webhook deliveries decode by event; OAuth tokens never show in a repr."""

from __future__ import annotations

import json
import logging

import msgspec
import pytest

from desktop.domain import (
    ActivityLogEntry,
    EventType,
    InviteePayload,
    OAuthToken,
    RoutingFormSubmission,
    WebhookPayload,
    WebhookSubscription,
    decode,
    encode,
)
from tests.domain import samples as s
from tests.domain import samples_events as e
from tests.domain.support import FUTURE_FIELDS


def _delivery(event: str, payload: object) -> WebhookPayload:
    body = {**e.DELIVERY_JSON, "event": event, "payload": payload}
    return decode(json.dumps(body), WebhookPayload)


@pytest.mark.parametrize(
    "event", ["invitee.created", "invitee.canceled", "invitee_no_show.created"]
)
def test_invitee_deliveries_decode_to_the_invitee_with_its_event(event: str) -> None:
    payload = _delivery(event, e.INVITEE_PAYLOAD_JSON).decode_payload()
    assert isinstance(payload, InviteePayload)
    assert payload.display_name == "John Doe"
    assert (
        payload.scheduled_event is not None and payload.scheduled_event.uuid == "GBGBDCAADAEDCRZ2"
    )


def test_submission_and_event_type_deliveries_decode_to_their_records() -> None:
    submission = _delivery("routing_form_submission.created", e.SUBMISSION_JSON).decode_payload()
    assert isinstance(submission, RoutingFormSubmission)
    event_type = _delivery("event_type.updated", s.EVENT_TYPE_JSON).decode_payload()
    assert isinstance(event_type, EventType) and event_type.slug == "15min"


def test_a_delivery_of_an_event_without_a_record_keeps_the_raw_json() -> None:
    delivery = decode(json.dumps(e.CONTACT_DELIVERY_JSON), WebhookPayload)
    payload = delivery.decode_payload()
    assert isinstance(payload, msgspec.Raw)
    assert delivery.payload_json() == e.CONTACT_DELIVERY_JSON["payload"]
    never_heard_of = _delivery("calendar.exploded", {"boom": True}).decode_payload()
    assert isinstance(never_heard_of, msgspec.Raw)


def test_a_payload_with_fields_from_a_newer_api_still_decodes() -> None:
    payload = {**e.INVITEE_PAYLOAD_JSON, **FUTURE_FIELDS}
    payload["scheduled_event"] = {**payload["scheduled_event"], **FUTURE_FIELDS}
    decoded = _delivery("invitee.created", payload).decode_payload()
    assert decoded == _delivery("invitee.created", e.INVITEE_PAYLOAD_JSON).decode_payload()


def test_a_known_event_with_a_broken_payload_raises() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\.email"):
        _delivery("invitee.created", {**e.INVITEE_PAYLOAD_JSON, "email": None}).decode_payload()


def test_deliveries_and_log_entries_hash_by_value_despite_raw_json() -> None:
    one, two = (decode(json.dumps(e.DELIVERY_JSON), WebhookPayload) for _ in range(2))
    assert one == two and hash(one) == hash(two)
    other = _delivery("invitee.created", {**e.INVITEE_PAYLOAD_JSON, "name": "Someone Else"})
    assert one != other
    entry = decode(json.dumps(e.ACTIVITY_ENTRY_JSON), ActivityLogEntry)
    assert hash(entry) == hash(decode(json.dumps(e.ACTIVITY_ENTRY_JSON), ActivityLogEntry))
    assert entry.details_dict() == e.ACTIVITY_ENTRY_JSON["details"]


def test_subscription_helpers() -> None:
    hook = decode(json.dumps(e.WEBHOOK_JSON), WebhookSubscription)
    assert hook.is_active and hook.is_failing
    assert hook.events == ("invitee.created", "invitee.canceled")
    healthy = msgspec.structs.replace(hook, retry_started_at=None)
    assert not healthy.is_failing


def test_token_repr_str_and_rich_repr_hide_both_tokens(caplog: pytest.LogCaptureFixture) -> None:
    token = decode(json.dumps(e.TOKEN_JSON), OAuthToken)
    secrets = (e.TOKEN_JSON["access_token"], e.TOKEN_JSON["refresh_token"])
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").debug("token %s %r", token, token)
    shown = [repr(token), str(token), f"{token}", repr([token]), repr(token.__rich_repr__())]
    shown += [caplog.text, str(ValueError(token))]
    for text in shown:
        assert not any(secret in text for secret in secrets), text
    assert "<hidden>" in repr(token) and "scheduled_events:read" in repr(token)
    # The tokens are still there for the code that needs them, and survive a round trip.
    assert token.access_token == secrets[0]
    assert decode(encode(token), OAuthToken) == token


def test_token_expiry() -> None:
    token = decode(json.dumps(e.TOKEN_JSON), OAuthToken)
    assert token.expires_at == 1548689183 + 7200
    assert not token.expires_within(60, now=1548689183)
    assert token.expires_within(60, now=1548689183 + 7200 - 30)
    assert token.scopes == {"default", "scheduled_events:read", "users:read"}
    bare = OAuthToken(access_token="x")
    assert bare.expires_at is None and not bare.expires_within(60, now=0)
    assert "refresh_token=None" in repr(bare)
