"""A test request as a copy-pastable POSIX shell ``curl`` command that sends the exact bytes.

A JSON body goes inline with ``--data-binary '...'`` (single quotes keep every byte). A body
that is not plain text (invalid UTF-8, control characters) or that starts with ``@`` (curl
would read a file) is written as octal escapes for POSIX ``printf`` and piped in with
``--data-binary @-``. A signature header in it is only accepted for a few minutes.
"""

from __future__ import annotations

import shlex
import string
from collections.abc import Iterable, Mapping

# Set by curl itself from the request (or meaningless for it): copying them could only make
# the command wrong, e.g. a Content-Length that no longer fits an edited body.
SKIPPED = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}
)
# Bytes written as themselves inside printf's format; everything else becomes ``\ooo``.
_KEPT = frozenset(
    (string.ascii_letters + string.digits + ' !"#$&()*+,-./:;<=>?@[]^_`{|}~').encode()
)
_JOIN = " \\\n  "


def as_curl(
    url: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
    body: bytes,
) -> str:
    """``curl`` POSTing ``body`` byte for byte to ``url`` with ``headers`` (one per line)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    parts = ["curl --include --request POST " + shlex.quote(url)]
    for name, value in pairs:
        if name.lower() not in SKIPPED:
            parts.append("--header " + shlex.quote(f"{name}: {value}"))
    text = _plain_text(body)
    if text is not None:
        parts.append("--data-binary " + shlex.quote(text))
        return _JOIN.join(parts)
    parts.append("--data-binary @-")
    return f"printf {shlex.quote(_printf_format(body))} |{_JOIN}" + _JOIN.join(parts)


def _plain_text(body: bytes) -> str | None:
    """``body`` as text when it can sit inside single quotes unchanged, else None."""
    if body.startswith(b"@"):
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any((ord(char) < 0x20 and char != "\n") or ord(char) == 0x7F for char in text):
        return None
    return text


def _printf_format(body: bytes) -> str:
    """A printf format that prints exactly ``body`` (``%`` and ``\\`` are escaped too)."""
    return "".join(chr(byte) if byte in _KEPT else f"\\{byte:03o}" for byte in body)
