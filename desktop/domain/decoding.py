"""Typed JSON decoders, built once per type and reused (building one is the costly part)."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar, overload

import msgspec

T = TypeVar("T")

# One encoder for the domain: records encode back to Calendly's wire shape.
_ENCODER = msgspec.json.Encoder()


@cache
def _decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(type_)


@overload
def decoder(type_: type[T]) -> msgspec.json.Decoder[T]: ...
@overload
def decoder(type_: Any) -> msgspec.json.Decoder[Any]: ...
def decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    """The memoised decoder for ``type_``, e.g. ``decoder(Collection[ScheduledEvent])``.

    Generic aliases are hashable and equal when their arguments are, so each distinct
    type gets exactly one decoder for the life of the process.
    """
    return _decoder(type_)


@overload
def decode(data: bytes | bytearray | memoryview | str, type_: type[T]) -> T: ...
@overload
def decode(data: bytes | bytearray | memoryview | str, type_: Any) -> Any: ...
def decode(data: bytes | bytearray | memoryview | str, type_: Any) -> Any:
    """Decode JSON ``data`` into ``type_``; raises ``msgspec.ValidationError`` naming the path
    (``$.collection[3].start_time``) or ``msgspec.DecodeError`` for malformed JSON."""
    return decoder(type_).decode(data)


def encode(value: object) -> bytes:
    """Encode a record (or any msgspec-supported value) back to JSON bytes."""
    return _ENCODER.encode(value)
