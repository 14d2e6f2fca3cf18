"""The CSV writer itself: formula guard, RFC 4180 quoting, streaming, progress, cancel and
failure leaving no half file, permissions."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.exports import Column, ExportCancelled, guard_cell, write_csv
from tests.exports.data import leftovers, read_csv

NUMBERS: list[Column[int]] = [Column("n", str), Column("square", lambda n: str(n * n))]


def test_formula_guard_quotes_what_a_spreadsheet_would_run() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert guard_cell(text) == "'" + text
    for text in ("", "plain", "1-2", "a=b", " =1", "'=1", "é"):
        assert guard_cell(text) == text


def test_headers_are_guarded_and_quoting_follows_rfc_4180() -> None:
    stream = io.StringIO(newline="")
    columns: list[Column[str]] = [Column("=evil", lambda s: s), Column("plain", lambda s: "x")]

    write_csv(stream, columns, ['a "quoted", value', "line\nbreak"], bom=False)

    assert stream.getvalue().split("\r\n") == [
        "'=evil,plain",
        '"a ""quoted"", value",x',
        '"line\nbreak",x',
        "",
    ]


def test_progress_every_n_rows_and_once_at_the_end(tmp_path: Path) -> None:
    seen: list[int] = []
    written = write_csv(
        tmp_path / "n.csv", NUMBERS, range(250), progress=seen.append, progress_every=100
    )
    assert written == 250
    assert seen == [100, 200, 250]
    assert len(read_csv(tmp_path / "n.csv")) == 251


def test_rows_are_streamed_not_built_up() -> None:
    class Recording(io.StringIO):
        largest = 0

        def write(self, text: str) -> int:
            self.largest = max(self.largest, len(text))
            return super().write(text)

    stream = Recording(newline="")
    sizes_seen: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(5000):
            sizes_seen.append(len(stream.getvalue()))
            yield n

    assert write_csv(stream, NUMBERS, numbers()) == 5000
    # Each row reached the stream before the next record was even produced...
    assert sizes_seen[1] > 0 and sizes_seen == sorted(sizes_seen) and sizes_seen[-1] > 40_000
    # ...and nothing bigger than a row was ever written at once.
    assert stream.largest < 100


def test_cancel_mid_way_leaves_no_file(tmp_path: Path) -> None:
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 50

    with pytest.raises(ExportCancelled) as caught:
        write_csv(tmp_path / "n.csv", NUMBERS, range(1000), cancelled=cancelled)

    assert caught.value.done == 50
    assert leftovers(tmp_path) == []


def test_cancel_or_failure_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "n.csv"
    target.write_text("the previous export\n", encoding="utf-8")

    with pytest.raises(ExportCancelled):
        write_csv(target, NUMBERS, range(1000), cancelled=lambda: True)

    def breaks(n: int) -> str:
        if n == 10:
            raise RuntimeError("the disk is full")
        return str(n)

    with pytest.raises(RuntimeError):
        write_csv(target, [Column("n", breaks)], range(1000))

    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert leftovers(tmp_path) == ["n.csv"]

    assert write_csv(target, NUMBERS, range(3)) == 3
    assert read_csv(target) == [["n", "square"], ["0", "0"], ["1", "1"], ["2", "4"]]
    assert leftovers(tmp_path) == ["n.csv"]


def test_the_file_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    write_csv(tmp_path / "n.csv", NUMBERS, range(3))
    mode = stat.S_IMODE((tmp_path / "n.csv").stat().st_mode)
    if os.name == "posix":
        assert mode == 0o666 & ~umask
