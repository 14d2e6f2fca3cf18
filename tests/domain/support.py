"""Walk JSON bodies alongside msgspec's view of a record type: add unknown fields, drop
optional ones, check defaults, and build hypothesis strategies for any record."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone
from decimal import Decimal
from typing import Any

import msgspec
import msgspec.inspect as mi
from hypothesis import strategies as st

# Something a newer Calendly might add: a scalar, an object and a list of objects.
FUTURE_FIELDS: dict[str, Any] = {
    "added_in_2030": "surprise",
    "added_object": {"nested": [1, 2.5, None, {"deep": True}]},
    "added_list": [{"x": 1}, "y"],
}


def _struct_in(info: mi.Type, value: Any) -> mi.StructType | None:
    if isinstance(info, mi.StructType):
        return info
    if isinstance(info, mi.UnionType) and isinstance(value, dict):
        return next((t for t in info.types if isinstance(t, mi.StructType)), None)
    return None


def _items_in(info: mi.Type, value: Any) -> mi.Type | None:
    if isinstance(info, mi.VarTupleType | mi.ListType):
        return info.item_type
    if isinstance(info, mi.UnionType) and isinstance(value, list):
        found = next((t for t in info.types if isinstance(t, mi.VarTupleType)), None)
        return found.item_type if found is not None else None
    return None


def with_future_fields(body: Any, info: mi.Type) -> Any:
    """``body`` with :data:`FUTURE_FIELDS` added to every object a record decodes from."""
    struct = _struct_in(info, body)
    if struct is not None:
        fields = {f.encode_name: f for f in struct.fields}
        out = {
            key: with_future_fields(value, fields[key].type) if key in fields else value
            for key, value in body.items()
        }
        return {**out, **FUTURE_FIELDS}
    item = _items_in(info, body)
    if item is not None:
        return [with_future_fields(value, item) for value in body]
    return body


def without_optional_fields(body: Any, info: mi.Type) -> Any:
    """``body`` with every key of a field that has a default removed, at every level."""
    struct = _struct_in(info, body)
    if struct is not None:
        fields = {f.encode_name: f for f in struct.fields}
        return {
            key: without_optional_fields(value, fields[key].type)
            for key, value in body.items()
            if key in fields and fields[key].required
        }
    item = _items_in(info, body)
    if item is not None:
        return [without_optional_fields(value, item) for value in body]
    return body


def default_of(field: mi.Field) -> Any:
    if field.default_factory is not msgspec.NODEFAULT:
        return field.default_factory()
    return field.default


def assert_defaults(value: Any, info: mi.Type, path: str = "$") -> int:
    """Assert every optional field of ``value`` (at every level) holds its default.

    Returns how many optional fields were checked, so a test can tell it checked something.
    """
    checked = 0
    struct = info if isinstance(info, mi.StructType) else None
    if struct is None and isinstance(info, mi.UnionType) and isinstance(value, msgspec.Struct):
        struct = next(t for t in info.types if isinstance(t, mi.StructType))
    if struct is not None:
        for field in struct.fields:
            current = getattr(value, field.name)
            if field.required:
                checked += assert_defaults(current, field.type, f"{path}.{field.name}")
            else:
                assert current == default_of(field), f"{path}.{field.name} = {current!r}"
                checked += 1
        return checked
    if isinstance(info, mi.VarTupleType) or (
        isinstance(info, mi.UnionType) and isinstance(value, tuple)
    ):
        item = _items_in(info, list(value))
        assert item is not None
        for index, element in enumerate(value):
            checked += assert_defaults(element, item, f"{path}[{index}]")
    return checked


# --- hypothesis strategies built from the type itself ---

_ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
_JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def strategy(info: mi.Type) -> st.SearchStrategy[Any]:
    """Values of the type ``info`` describes that JSON can carry exactly."""
    if isinstance(info, mi.StructType):
        fields = {f.name: strategy(f.type) for f in info.fields}
        return st.builds(info.cls, **fields)
    if isinstance(info, mi.UnionType):
        return st.one_of([strategy(t) for t in info.types])
    if isinstance(info, mi.VarTupleType):
        return st.lists(strategy(info.item_type), max_size=3).map(tuple)
    if isinstance(info, mi.StrType):
        return st.text(max_size=12)
    if isinstance(info, mi.BoolType):
        return st.booleans()
    if isinstance(info, mi.IntType):
        return st.integers(-(2**63), 2**64 - 1)
    if isinstance(info, mi.FloatType):
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(info, mi.NoneType):
        return st.none()
    if isinstance(info, mi.DateTimeType):
        return st.datetimes(timezones=_ZONES if info.tz else st.none())
    if isinstance(info, mi.DecimalType):
        return st.decimals(allow_nan=False, allow_infinity=False, places=2).map(Decimal)
    if isinstance(info, mi.RawType):
        return _JSON.map(lambda value: msgspec.Raw(msgspec.json.encode(value)))
    raise NotImplementedError(f"no strategy for {info!r}")


def strategy_for(type_: Any) -> st.SearchStrategy[Any]:
    return strategy(mi.type_info(type_))
