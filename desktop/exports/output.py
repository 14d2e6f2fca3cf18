"""Where an export goes: atomic files beside the target, progress pacing and cancellation."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO, TypeAlias

# A file path (written atomically) or an open text stream (written as we go).
Target: TypeAlias = str | os.PathLike[str] | TextIO
Progress: TypeAlias = Callable[[int], None]
Cancelled: TypeAlias = Callable[[], bool]

DEFAULT_PROGRESS_EVERY = 100


class ExportCancelled(Exception):
    """The user stopped the export; a file target was left untouched (no half file)."""

    def __init__(self, done: int) -> None:
        super().__init__(f"export cancelled after {done} rows")
        self.done = done


class NothingToExport(ValueError):
    """The export would be empty where an empty file is not valid (an iCalendar needs events)."""


class Pacer:
    """Counts rows, reports ``progress(done)`` every ``every`` rows and checks ``cancelled()``."""

    def __init__(
        self,
        progress: Progress | None,
        cancelled: Cancelled | None,
        every: int = DEFAULT_PROGRESS_EVERY,
    ) -> None:
        if every < 1:
            raise ValueError("progress_every must be at least 1")
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled
        self._every = every
        self._reported = -1

    def check(self) -> None:
        """Raise ``ExportCancelled`` if the user asked to stop (called between rows)."""
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled(self.done)

    def step(self) -> None:
        """One more row written."""
        self.done += 1
        if self.done % self._every == 0:
            self._report()

    def finish(self) -> int:
        """Report the final count (once) and return it."""
        if self._reported != self.done:
            self._report()
        return self.done

    def _report(self) -> None:
        self._reported = self.done
        if self._progress is not None:
            self._progress(self.done)


@contextmanager
def open_target(target: Target, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text handle (``newline=""``: the writer chooses line endings) for ``target``.

    A path is written to a hidden temporary file beside it, flushed to disk and renamed over
    the target only when the body finishes; on any exception, cancellation included, the
    temporary file is removed and an existing target is left as it was. A stream is written
    directly and left open (what reached it stays: the caller owns it).
    """
    if not isinstance(target, str | os.PathLike):
        yield target
        return
    path = Path(target)
    temporary, handle = _create_beside(path, encoding)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_beside(path: Path, encoding: str) -> tuple[Path, TextIO]:
    """A new hidden file in the target's folder (same file system, so the rename is atomic).

    ``os.open`` with mode 0o666 lets the user's umask decide the permissions, as for any file
    the user saves (``tempfile`` would make it private to the owner).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        try:
            fd = os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        try:
            return temporary, open(fd, "w", encoding=encoding, newline="")
        except BaseException:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise
    raise FileExistsError(f"could not create a temporary file beside {path.name}")
