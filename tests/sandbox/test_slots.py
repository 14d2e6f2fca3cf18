"""The slot arithmetic of desktop/sandbox/slots.py: weekly rules, overrides, DST, pooling, seats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desktop.sandbox.slots import (
    ExistingEvent,
    HostCalendar,
    available_starts,
    default_increment,
    group_seats,
    is_available,
    open_intervals,
)
from tests.sandbox.helpers import utc

NY = "America/New_York"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekly(
    hours: list[tuple[str, str]], days: tuple[str, ...] = WEEKDAYS[:5]
) -> list[dict[str, Any]]:
    return [
        {"type": "wday", "wday": d, "intervals": [{"from": a, "to": b} for a, b in hours]}
        for d in days
    ]


# -- slots.py --------------------------------------------------------------------------------
def test_weekday_rules_give_starts_inside_local_hours() -> None:
    host = HostCalendar(NY, weekly([("09:00", "17:00")]))
    # Monday 2026-01-12 in New York (UTC-5): 09:00-17:00 local is 14:00-22:00 UTC.
    starts = available_starts([host], utc("2026-01-12T00:00"), utc("2026-01-13T00:00"), 60)
    assert starts[0] == utc("2026-01-12T14:00")
    assert starts[-1] == utc("2026-01-12T21:00")  # the last hour that still fits
    assert len(starts) == 15  # every 30 minutes from 14:00 to 21:00
    weekend = available_starts([host], utc("2026-01-10T00:00"), utc("2026-01-12T00:00"), 30)
    assert weekend == []


def test_increment_is_the_duration_up_to_thirty_minutes() -> None:
    assert default_increment(15) == timedelta(minutes=15)
    assert default_increment(30) == timedelta(minutes=30)
    assert default_increment(90) == timedelta(minutes=30)
    host = HostCalendar("UTC", weekly([("09:00", "10:00")]))
    starts = available_starts([host], utc("2026-01-12T00:00"), utc("2026-01-13T00:00"), 15)
    assert [s.minute for s in starts] == [0, 15, 30, 45]


def test_window_bounds_starts_and_grid_stays_on_the_interval() -> None:
    host = HostCalendar("UTC", weekly([("09:00", "12:00")]))
    starts = available_starts([host], utc("2026-01-12T09:10"), utc("2026-01-12T10:31"), 30)
    assert starts == [utc("2026-01-12T09:30"), utc("2026-01-12T10:00"), utc("2026-01-12T10:30")]


def test_date_override_replaces_the_weekday_and_empty_closes_it() -> None:
    rules = [
        *weekly([("09:00", "17:00")]),
        {"type": "date", "date": "2026-01-13", "intervals": [{"from": "12:00", "to": "13:00"}]},
        {"type": "date", "date": "2026-01-14", "intervals": []},
        {"type": "date", "date": "2026-01-17", "intervals": [{"from": "10:00", "to": "11:00"}]},
    ]
    host = HostCalendar("UTC", rules)
    tuesday = available_starts([host], utc("2026-01-13T00:00"), utc("2026-01-14T00:00"), 30)
    assert tuesday == [utc("2026-01-13T12:00"), utc("2026-01-13T12:30")]
    wednesday = available_starts([host], utc("2026-01-14T00:00"), utc("2026-01-15T00:00"), 30)
    assert wednesday == []
    saturday = available_starts([host], utc("2026-01-17T00:00"), utc("2026-01-18T00:00"), 60)
    assert saturday == [utc("2026-01-17T10:00")]  # an override opens a day off


def test_spring_forward_day_is_one_hour_shorter() -> None:
    # 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT.
    host = HostCalendar(
        NY, [{"type": "wday", "wday": "sunday", "intervals": [{"from": "00:00", "to": "24:00"}]}]
    )
    day = available_starts(
        [host], utc("2026-03-08T00:00"), utc("2026-03-09T12:00"), 60, increment=timedelta(hours=1)
    )
    assert len(day) == 23
    assert day[0] == utc("2026-03-08T05:00")  # midnight EST
    assert day[-1] == utc("2026-03-09T03:00")  # 23:00 EDT
    local = [s.astimezone(ZoneInfo(NY)).hour for s in day]
    assert 2 not in local  # the skipped hour is never offered
    # 09:00 local is 14:00 UTC the week before and 13:00 UTC after the change.
    office = HostCalendar(NY, weekly([("09:00", "10:00")], WEEKDAYS))
    before = available_starts([office], utc("2026-03-07T00:00"), utc("2026-03-08T00:00"), 60)
    after = available_starts([office], utc("2026-03-09T00:00"), utc("2026-03-10T00:00"), 60)
    assert before == [utc("2026-03-07T14:00")]
    assert after == [utc("2026-03-09T13:00")]


def test_fall_back_day_is_one_hour_longer() -> None:
    # 2026-11-01: New York falls back from 02:00 EDT to 01:00 EST.
    host = HostCalendar(
        NY, [{"type": "wday", "wday": "sunday", "intervals": [{"from": "00:00", "to": "03:00"}]}]
    )
    starts = available_starts(
        [host], utc("2026-11-01T00:00"), utc("2026-11-02T00:00"), 60, increment=timedelta(hours=1)
    )
    # 00:00 EDT (04:00Z) to 03:00 EST (08:00Z): four hours, 01:00 local happens twice.
    assert starts == [
        utc("2026-11-01T04:00"),
        utc("2026-11-01T05:00"),
        utc("2026-11-01T06:00"),
        utc("2026-11-01T07:00"),
    ]


def test_interval_in_the_spring_gap_starts_after_it() -> None:
    host = HostCalendar(
        NY, [{"type": "wday", "wday": "sunday", "intervals": [{"from": "02:30", "to": "04:00"}]}]
    )
    intervals = open_intervals(NY, host.rules, utc("2026-03-08T00:00"), utc("2026-03-09T00:00"))
    # 02:30 does not exist that night; it is read as 02:30 EST = 03:30 EDT.
    assert intervals == [(utc("2026-03-08T07:30"), utc("2026-03-08T08:00"))]


def test_busy_intervals_remove_overlapping_starts() -> None:
    busy = [(utc("2026-01-12T10:15"), utc("2026-01-12T10:45"))]
    host = HostCalendar("UTC", weekly([("09:00", "12:00")]), busy)
    starts = available_starts([host], utc("2026-01-12T00:00"), utc("2026-01-13T00:00"), 30)
    assert utc("2026-01-12T10:00") not in starts
    assert utc("2026-01-12T10:30") not in starts
    assert utc("2026-01-12T09:30") in starts  # ends exactly when nothing is busy yet
    assert utc("2026-01-12T11:00") in starts
    assert not is_available([host], utc("2026-01-12T10:00"), 30)
    assert is_available([host], utc("2026-01-12T11:00"), 30)
    assert not is_available([host], utc("2026-01-12T11:10"), 30)  # off the grid
    assert not is_available([host], utc("2026-01-12T11:45"), 30)  # would end after 12:00


def test_round_robin_needs_any_host_and_collective_all() -> None:
    morning = HostCalendar("UTC", weekly([("09:00", "11:00")]))
    late = HostCalendar("UTC", weekly([("10:00", "12:00")]))
    window = (utc("2026-01-12T00:00"), utc("2026-01-13T00:00"))
    anyone = available_starts([morning, late], *window, 60, "round_robin")
    everyone = available_starts([morning, late], *window, 60, "collective")
    assert anyone[0] == utc("2026-01-12T09:00") and anyone[-1] == utc("2026-01-12T11:00")
    assert everyone == [utc("2026-01-12T10:00")]
    assert available_starts([], *window, 60) == []


def test_group_seats_count_down_and_block_overlaps() -> None:
    starts = [
        utc("2026-01-12T09:00"),
        utc("2026-01-12T10:00"),
        utc("2026-01-12T10:30"),
        utc("2026-01-12T11:00"),
        utc("2026-01-12T13:00"),
    ]
    existing = [
        ExistingEvent(utc("2026-01-12T10:00"), utc("2026-01-12T11:00"), 3),
        ExistingEvent(utc("2026-01-12T13:00"), utc("2026-01-12T14:00"), 10),
    ]
    seats = group_seats(starts, 60, 10, existing)
    assert seats == [
        (utc("2026-01-12T09:00"), 10),
        (utc("2026-01-12T10:00"), 7),
        (utc("2026-01-12T11:00"), 10),
    ]
