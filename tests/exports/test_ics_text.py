"""iCalendar content lines: TEXT escaping, parameter quoting and folding, checked against
the ``icalendar`` package's own parser."""

from __future__ import annotations

import icalendar

from desktop.exports.ics_text import content_line, fold, param, text


def _unfold(folded: str) -> str:
    return folded.replace("\r\n ", "")


def test_text_escapes_backslash_semicolon_comma_and_line_breaks() -> None:
    value = "a\\b;c,d\ne\r\nf\rg\x07h\tend"
    assert text(value) == "a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h\tend"
    parsed = icalendar.Event.from_ical(
        "BEGIN:VEVENT\r\n" + content_line("SUMMARY", text(value)) + "END:VEVENT\r\n"
    )
    assert str(parsed["SUMMARY"]) == "a\\b;c,d\ne\nf\ngh\tend"


def test_parameters_are_quoted_only_when_needed() -> None:
    assert param("ACCEPTED") == "ACCEPTED"
    assert param("Doe, Jane") == '"Doe, Jane"'
    assert param('Say "hi": now') == "\"Say 'hi': now\""
    assert param("two\nlines") == "two lines"


def test_folding_respects_75_octets_and_multibyte_characters() -> None:
    for filler in ("a", "é", "日", "🎉"):
        for lead in range(8):
            line = "SUMMARY:" + "x" * lead + filler * 90
            folded = fold(line)
            physical = folded.split("\r\n")
            assert all(len(p.encode("utf-8")) <= 75 for p in physical)
            assert all(p.startswith(" ") for p in physical[1:])
            assert _unfold(folded) == line
    assert fold("SHORT:line") == "SHORT:line"
    exact = "X:" + "a" * 73
    assert fold(exact) == exact
    assert fold(exact + "b") == exact + "\r\n b"


def test_folding_never_splits_an_escape_sequence() -> None:
    for lead in range(4):
        line = "DESCRIPTION:" + "x" * lead + text("a,b;c\\d\n" * 30)
        physical = fold(line).split("\r\n")
        assert all(len(p.encode("utf-8")) <= 75 for p in physical)
        for piece in physical[:-1]:
            trailing = len(piece) - len(piece.rstrip("\\"))
            assert trailing % 2 == 0, piece
        assert _unfold(fold(line)) == line
