"""RFC 5545 content lines by hand: TEXT escaping, parameter quoting, UTC times, folding."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

CRLF = "\r\n"
FOLD_OCTETS = 75  # a content line's limit, line break excluded (RFC 5545 §3.1)

_NEWLINES = re.compile(r"\r\n|\r|\n")
# Controls other than HTAB are not allowed in TEXT or parameter values (§3.3.11, §3.1).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: str) -> str:
    """A TEXT value: ``\\`` ``;`` ``,`` escaped, line breaks as ``\\n``, other controls dropped."""
    lines = _NEWLINES.split(value)
    return "\\n".join(_escape_line(_CONTROLS.sub("", line)) for line in lines)


def _escape_line(line: str) -> str:
    return line.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def param(value: str) -> str:
    """A parameter value, double-quoted when it holds ``:`` ``;`` or ``,`` (enumerated values
    such as ``ACCEPTED`` stay bare, as the grammar wants them).

    No value can hold ``"`` or line breaks; they become ``'`` and a space (RFC 6868's ``^``
    escapes are not understood by every calendar app).
    """
    value = _CONTROLS.sub("", _NEWLINES.sub(" ", value).replace('"', "'"))
    return f'"{value}"' if any(c in value for c in ":;,") else value


def mailto(email: str) -> str:
    """A CAL-ADDRESS for ``email``; characters a mailto URI cannot carry are %-encoded."""
    return "mailto:" + quote(email.strip(), safe="@!$&'*+-.=^_`{|}~")


def utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form, ``20260729T170000Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """``line`` folded to 75 octets a physical line, never inside a UTF-8 sequence nor between
    a backslash and the character it escapes (legal, but some importers trip over it).

    Continuation lines start with one space, which counts against their 75 octets.
    """
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return line
    pieces: list[bytes] = []
    start, room = 0, FOLD_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the lead byte
            cut -= 1
        backslashes = 0
        while cut - backslashes - 1 >= start and data[cut - backslashes - 1] == 0x5C:
            backslashes += 1
        if backslashes % 2:  # the piece would end inside an escape sequence
            cut -= 1
        pieces.append(data[start:cut])
        start, room = cut, FOLD_OCTETS - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def content_line(name: str, value: str, **params: str) -> str:
    """``NAME;PARAM="v":value`` folded and ended with CRLF; ``value`` already in its form
    (escape TEXT with ``text``), parameter names given in Python style (``cn`` -> ``CN``)."""
    head = name + "".join(
        f";{key.upper().replace('_', '-')}={param(v)}" for key, v in params.items()
    )
    return fold(f"{head}:{value}") + CRLF
