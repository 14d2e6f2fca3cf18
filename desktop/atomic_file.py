"""Writing a file whole or not at all: a temporary file beside it, fsync'd, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO, cast


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a crash or failure at any point leaves either the old
    file or the new one, never a mix (the folder must exist)."""
    with replacing_binary(path) as stream:
        stream.write(data)


@contextlib.contextmanager
def replacing_binary(path: Path, *, suffix: str = ".tmp") -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` when the block ends without error."""
    with _replacing(path, "wb", suffix) as stream:
        yield cast(BinaryIO, stream)


@contextlib.contextmanager
def replacing_text(
    path: Path, *, encoding: str, newline: str | None = None, suffix: str = ".tmp"
) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` when the block ends without error."""
    with _replacing(path, "w", suffix, encoding=encoding, newline=newline) as stream:
        yield cast(TextIO, stream)


def sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` itself durable (POSIX); Windows cannot open directories,
    and needn't."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _replacing(path: Path, mode: str, suffix: str, **options: Any) -> Iterator[IO[Any]]:
    # In the same folder, so the rename stays on one file system and is atomic.
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, mode, **options) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
