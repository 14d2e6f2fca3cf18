"""Availability schedules, external busy blocks, and the per-host free-time grid for booking."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from desktop.sandbox.seed.context import Record, Seeder
from desktop.sandbox.seed.people import People

SLOT = timedelta(minutes=15)  # every booking starts and ends on a 15-minute boundary (UTC)
PAST_DAYS = 120
FUTURE_DAYS = 60
WDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RULE_ORDER = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")

Intervals = list[tuple[str, str]]

# Weekly templates: (Monday..Friday hours, Friday override or None, Saturday hours)
_TEMPLATES: tuple[tuple[Intervals, Intervals | None, Intervals], ...] = (
    ([("09:00", "17:00")], None, []),
    ([("09:00", "12:00"), ("13:00", "17:30")], None, []),
    ([("08:00", "16:00")], [("08:00", "13:00")], []),
    ([("10:00", "18:00")], None, []),
    ([("08:30", "12:30"), ("13:30", "17:00")], [("08:30", "12:30")], []),
    ([("09:00", "17:00")], None, [("10:00", "13:00")]),
)
_OVERRIDES: tuple[Intervals, ...] = ([], [], [("10:00", "14:00")], [("07:00", "11:00")])


class Grid:
    """Maps moments in the seeded window (-120 .. +60 days) to 15-minute slot numbers."""

    def __init__(self, day: datetime) -> None:
        self.day = day
        self.origin = day - timedelta(days=PAST_DAYS)
        self.end = day + timedelta(days=FUTURE_DAYS + 1)
        self.size = int((self.end - self.origin) / SLOT)
        self.now_slot = int((day - self.origin) / SLOT)

    def slot(self, moment: datetime) -> int:
        return int((moment - self.origin) / SLOT)

    def time(self, slot: int) -> datetime:
        return self.origin + slot * SLOT

    def local_dates(self) -> list[date]:
        first = (self.origin - timedelta(days=1)).date()
        return [first + timedelta(days=n) for n in range(PAST_DAYS + FUTURE_DAYS + 3)]


class Availability:
    """Free 15-minute slots per host: inside the default schedule, outside bookings and blocks."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.slots: dict[str, list[int]] = {}  # sorted available slots (never shrinks)
        self.free: dict[str, set[int]] = {}  # available and not taken
        self.taken: dict[str, set[int]] = {}  # booked or blocked, in working hours or not

    def add_user(self, user: str, slots: list[int]) -> None:
        self.slots[user] = slots
        self.free[user] = set(slots)
        self.taken[user] = set()

    def is_clear(self, user: str, start: int, count: int) -> bool:
        """Nothing booked or blocked there (working hours or not)."""
        taken = self.taken[user]
        return not any(slot in taken for slot in range(start, start + count))

    def is_free(self, user: str, start: int, count: int) -> bool:
        return self.free[user].issuperset(range(start, start + count))

    def book(self, user: str, start: int, count: int) -> None:
        free, taken = self.free[user], self.taken[user]
        for slot in range(start, start + count):
            free.discard(slot)
            taken.add(slot)

    def first_future(self, user: str) -> int:
        """Index in ``slots[user]`` of the first slot at or after the anchor day."""
        return bisect_left(self.slots[user], self.grid.now_slot)


def _rules(weekly: dict[str, Intervals], overrides: dict[date, Intervals]) -> list[Record]:
    rules: list[Record] = [
        {"type": "wday", "intervals": [{"from": a, "to": b} for a, b in weekly[w]], "wday": w}
        for w in _RULE_ORDER
    ]
    for day in sorted(overrides):
        intervals = [{"from": a, "to": b} for a, b in overrides[day]]
        rules.append({"type": "date", "intervals": intervals, "date": day.isoformat()})
    return rules


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _slots(
    grid: Grid, zone: str, weekly: dict[str, Intervals], overrides: dict[date, Intervals]
) -> list[int]:
    tz = ZoneInfo(zone)
    found: list[int] = []
    for day in grid.local_dates():
        intervals = overrides.get(day, weekly[WDAYS[day.weekday()]])
        for begin, end in intervals:
            start = grid.slot(_local(day, _minutes(begin), tz))
            stop = grid.slot(_local(day, _minutes(end), tz))
            found.extend(s for s in range(max(start, 0), min(stop, grid.size)))
    found.sort()
    return found


def _local(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)


def make_schedules(seeder: Seeder, people: People, grid: Grid) -> Availability:
    """A default working-hours schedule per member; some with overrides or a second schedule."""
    rng = seeder.rng
    availability = Availability(grid)
    for member in people.members:
        hours, friday, saturday = rng.choice(_TEMPLATES)
        weekly: dict[str, Intervals] = {w: list(hours) for w in WDAYS[:5]}
        if friday is not None:
            weekly["friday"] = list(friday)
        weekly["saturday"] = list(saturday)
        weekly["sunday"] = []
        overrides: dict[date, Intervals] = {}
        if seeder.chance(0.5):
            for _ in range(rng.randint(1, 4)):
                offset = rng.randint(-PAST_DAYS + 5, FUTURE_DAYS - 2)
                overrides[(grid.day + timedelta(days=offset)).date()] = list(rng.choice(_OVERRIDES))
        seeder.add(
            "availability_schedules",
            {
                "id": seeder.ident(),
                "user": member.id,
                "is_default": True,
                "name": "Working hours",
                "timezone": member.timezone,
                "rules": _rules(weekly, overrides),
            },
        )
        # Bookable from a few days after joining the organization.
        first = grid.slot(member.joined + timedelta(days=3))
        slots = _slots(grid, member.timezone, weekly, overrides)
        availability.add_user(member.id, slots[bisect_left(slots, first) :])
        if seeder.chance(0.3):
            _second_schedule(seeder, member.id, member.timezone, grid)
    return availability


def _second_schedule(seeder: Seeder, user: str, zone: str, grid: Grid) -> None:
    rng = seeder.rng
    kind = rng.randrange(3)
    weekly: dict[str, Intervals] = {w: [] for w in WDAYS}
    overrides: dict[date, Intervals] = {}
    if kind == 0:
        name = "Evening calls"
        for w in ("tuesday", "thursday"):
            weekly[w] = [("17:00", "20:00")]
    elif kind == 1:
        name = "Interview hours"
        for w in ("monday", "wednesday", "friday"):
            weekly[w] = [("13:00", "16:00")]
    else:
        name = "Conference travel"
        zone = rng.choice(("Europe/London", "America/Los_Angeles", "Asia/Singapore"))
        for w in WDAYS[:5]:
            weekly[w] = [("10:00", "15:00")]
        start = grid.day + timedelta(days=rng.randint(5, FUTURE_DAYS - 10))
        for n in range(3):
            overrides[(start + timedelta(days=n)).date()] = [("08:00", "11:00")]
    seeder.add(
        "availability_schedules",
        {
            "id": seeder.ident(),
            "user": user,
            "is_default": False,
            "name": name,
            "timezone": zone,
            "rules": _rules(weekly, overrides),
        },
    )


def make_busy_blocks(seeder: Seeder, people: People, availability: Availability) -> None:
    """External calendar events: some in working hours (they block bookings), some outside."""
    rng = seeder.rng
    grid = availability.grid
    weeks = (PAST_DAYS + FUTURE_DAYS) // 7
    for member in people.members:
        slots = availability.slots[member.id]
        for _ in range(rng.randint(weeks, weeks * 2)):
            length = rng.choice((2, 2, 4, 4, 6, 8))
            if slots and seeder.chance(0.7):
                start = slots[rng.randrange(len(slots))] // 2 * 2
            else:
                start = rng.randrange(grid.size // 96) * 96 + rng.choice((28, 30, 76, 80))
            if start < grid.slot(member.joined) or start + length > grid.size:
                continue
            if not availability.is_clear(member.id, start, length):
                continue
            availability.book(member.id, start, length)
            seeder.add(
                "busy_blocks",
                {
                    "id": seeder.ident(),
                    "user": member.id,
                    "start_time": seeder.stamp(grid.time(start)),
                    "end_time": seeder.stamp(grid.time(start + length)),
                },
            )
