"""A body that breaks Calendly's contract fails loudly, naming where."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from desktop.domain import (
    Collection,
    GroupRelationship,
    Invitee,
    Resource,
    ScheduledEvent,
    User,
    decode,
)
from tests.domain import samples as s
from tests.domain import samples_events as e


def _page(*items: Any) -> bytes:
    return json.dumps({"collection": list(items)}).encode()


def test_a_bad_timestamp_names_its_path() -> None:
    broken = {**e.EVENT_JSON, "start_time": "tomorrow-ish"}
    with pytest.raises(msgspec.ValidationError, match=r"\$\.collection\[1\]\.start_time"):
        decode(_page(e.EVENT_JSON, broken), Collection[ScheduledEvent])


def test_a_timestamp_without_an_offset_is_refused() -> None:
    naive = {**e.EVENT_JSON, "end_time": "2019-08-24T14:30:22.123456"}
    with pytest.raises(msgspec.ValidationError, match=r"timezone.*\$\.collection\[0\]\.end_time"):
        decode(_page(naive), Collection[ScheduledEvent])


def test_a_missing_uri_names_the_record() -> None:
    nameless = {k: v for k, v in s.USER_JSON.items() if k != "uri"}
    with pytest.raises(
        msgspec.ValidationError, match=r"missing required field `uri` - at `\$\.resource`"
    ):
        decode(json.dumps({"resource": nameless}), Resource[User])


def test_a_wrong_type_deep_inside_names_the_full_path() -> None:
    owner = {**s.RELATIONSHIP_MEMBERSHIP_JSON["owner"]}
    owner["user"] = {**owner["user"], "email": 42}
    body = {**s.RELATIONSHIP_MEMBERSHIP_JSON, "owner": owner}
    with pytest.raises(msgspec.ValidationError, match=r"\$\.collection\[0\]\.owner\.user"):
        decode(_page(body), Collection[GroupRelationship])


def test_a_wrong_type_in_a_list_item_names_its_index() -> None:
    answers = [*e.INVITEE_JSON["questions_and_answers"], {"question": 7, "answer": "x"}]
    with pytest.raises(msgspec.ValidationError, match=r"\$\.questions_and_answers\[2\]\.question"):
        decode(json.dumps({**e.INVITEE_JSON, "questions_and_answers": answers}), Invitee)


def test_a_list_without_its_collection_is_an_error_not_an_empty_page() -> None:
    with pytest.raises(msgspec.ValidationError, match="collection"):
        decode(b'{"title": "Invalid Argument", "message": "nope"}', Collection[User])


def test_malformed_json_is_a_decode_error() -> None:
    with pytest.raises(msgspec.DecodeError):
        decode(b'{"collection": [', Collection[User])
    assert issubclass(msgspec.ValidationError, msgspec.DecodeError)
