"""The base every record shares: frozen, keyword-only msgspec Structs and the wire scalar types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeAlias

import msgspec

from desktop.domain.uris import uuid_of

# Calendly sends RFC 3339 UTC timestamps ending in ``Z``; a timestamp without an offset is
# refused at the boundary rather than becoming a naive datetime that breaks comparisons later.
Timestamp: TypeAlias = Annotated[datetime, msgspec.Meta(tz=True)]

# The spec types counts and durations as JSON ``number``: integers in practice, but a ``2.0``
# must not break decoding, so both are accepted (ints stay ints).
Number: TypeAlias = int | float


class Record(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A decoded Calendly object: immutable, compared and hashed by value.

    Unknown fields are ignored (msgspec's default, kept on purpose: Calendly adds fields).
    ``gc=False`` is safe because records only hold scalars, tuples and other records, which
    cannot form reference cycles; it makes large pages cheaper to hold and to free.

    Subclasses repeat ``frozen=True, kw_only=True``: msgspec applies ``kw_only`` only to the
    fields a class itself defines, and mypy wants a frozen base's subclasses marked frozen.
    """


class UriRecord(Record, frozen=True, kw_only=True, gc=False):
    """A Calendly object with its own URI; ``uuid`` is the URI's last segment (the id that
    Calendly's paths and the app's keys use)."""

    uri: str

    @property
    def uuid(self) -> str:
        return uuid_of(self.uri)
