"""Every sample decodes, ignores fields from a newer API, and tolerates missing optional ones."""

from __future__ import annotations

import json
from typing import Any

import msgspec.inspect as mi
import pytest

from desktop.domain import WebhookPayload, decode, decoder, encode
from desktop.domain.envelopes import Collection
from desktop.domain.scheduled_events import ScheduledEvent
from tests.domain.cases import CASES, IDS, Case
from tests.domain.support import assert_defaults, with_future_fields, without_optional_fields


def _bytes(body: Any) -> bytes:
    return json.dumps(body).encode()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sample_decodes_into_a_hashable_value_equal_to_a_second_decoding(case: Case) -> None:
    first = decode(_bytes(case.body), case.type_)
    second = decode(_bytes(case.body), case.type_)
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fields_a_newer_calendly_adds_are_ignored_at_every_level(case: Case) -> None:
    info = mi.type_info(case.type_)
    extended = with_future_fields(case.body, info)
    assert extended != case.body
    assert decode(_bytes(extended), case.type_) == decode(_bytes(case.body), case.type_)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_optional_fields_left_out_at_every_level_take_their_defaults(case: Case) -> None:
    info = mi.type_info(case.type_)
    trimmed = without_optional_fields(case.body, info)
    value = decode(_bytes(trimmed), case.type_)
    checked = assert_defaults(value, info)
    # The delivery envelope has only required keys; its payload is covered by invitee_payload.
    assert checked > 0 or case.type_ is WebhookPayload


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decoded_sample_encodes_back_to_the_same_value(case: Case) -> None:
    value = decode(_bytes(case.body), case.type_)
    assert decode(encode(value), case.type_) == value


def test_decoders_are_built_once_per_type() -> None:
    assert decoder(Collection[ScheduledEvent]) is decoder(Collection[ScheduledEvent])
    page_decoder: object = decoder(Collection[ScheduledEvent])
    assert page_decoder is not decoder(ScheduledEvent)


def test_str_input_decodes_like_bytes() -> None:
    case = CASES[0]
    assert decode(json.dumps(case.body), case.type_) == decode(_bytes(case.body), case.type_)
