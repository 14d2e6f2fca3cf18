"""Records are immutable values: equal and hashed by content, never changed in place."""

from __future__ import annotations

import json

import msgspec
import pytest

from desktop.domain import Invitee, ScheduledEvent, User, decode, parent_uuid_of, uuid_of
from tests.domain import samples as s
from tests.domain import samples_events as e


def test_equal_content_means_equal_records_and_one_set_entry() -> None:
    one = decode(json.dumps(e.EVENT_JSON), ScheduledEvent)
    two = decode(json.dumps(e.EVENT_JSON).encode(), ScheduledEvent)
    assert one == two and one is not two
    assert hash(one) == hash(two)
    assert {one, two} == {one}
    assert {one: "row"}[two] == "row"


def test_a_different_uri_is_a_different_record() -> None:
    one = decode(json.dumps(s.USER_JSON), User)
    other = msgspec.structs.replace(one, uri=f"{s.API}/users/CCCCCCCCCCCCCCCC")
    assert one != other
    assert len({one, other}) == 2


def test_records_cannot_be_changed_in_place() -> None:
    invitee = decode(json.dumps(e.INVITEE_JSON), Invitee)
    with pytest.raises(AttributeError):
        invitee.email = "other@example.com"  # type: ignore[misc]
    assert isinstance(invitee.questions_and_answers, tuple)
    changed = msgspec.structs.replace(invitee, email="other@example.com")
    assert changed.email == "other@example.com" and invitee.email == "test@example.com"


def test_records_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        User("uri", "name", "email")  # type: ignore[call-arg]
    assert User(uri="u", name="n", email="e").slug == ""


@pytest.mark.parametrize(
    ("uri", "uuid"),
    [
        ("https://api.calendly.com/users/AAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAA"),
        ("https://api.calendly.com/users/AAAAAAAAAAAAAAAA/", "AAAAAAAAAAAAAAAA"),
        ("http://127.0.0.1:8123/event_types/ET1?x=1#frag", "ET1"),
        (e.INVITEE_JSON["uri"], "7c1dbe46-bd84-42e2-9b97-05e2fb379bfe"),
        ("/users/me", "me"),
        ("PLAINID", "PLAINID"),
    ],
)
def test_uuid_of_is_the_last_path_segment(uri: str, uuid: str) -> None:
    assert uuid_of(uri) == uuid


def test_parent_uuid_of_a_nested_uri() -> None:
    assert parent_uuid_of(e.INVITEE_JSON["uri"]) == "GBGBDCAADAEDCRZ2"
    assert parent_uuid_of(f"{s.ORG}/invitations/IIII") == "AAAAAAAAAAAAAAAA"
    assert parent_uuid_of(s.USER) == ""
