"""The seed's shared state: one random generator, id makers, the anchor day and the rows made."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.sandbox.seed import names
from desktop.sandbox.wire import iso

Record = dict[str, Any]

_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BASE62 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# Every table the seed fills, in insertion order.
TABLE_NAMES: tuple[str, ...] = (
    "organizations",
    "users",
    "memberships",
    "invitations",
    "groups",
    "group_relationships",
    "event_types",
    "event_type_hosts",
    "availability_schedules",
    "busy_blocks",
    "scheduled_events",
    "event_hosts",
    "invitees",
    "no_shows",
    "routing_forms",
    "routing_submissions",
    "webhooks",
    "scheduling_links",
    "teams",
    "activity_log",
)


def slugify(text: str) -> str:
    """``"Chloé O'Brien"`` → ``"chloe-obrien"``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.lower().replace("'", "").replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


class Seeder:
    """Holds the one ``random.Random`` every choice comes from, so a seed repeats exactly."""

    def __init__(self, seed: int, anchor: datetime) -> None:
        self.rng = random.Random(seed)
        moment = anchor if anchor.tzinfo is not None else anchor.replace(tzinfo=UTC)
        # Everything derives from the anchor's UTC day, so the hour of a reset does not matter.
        self.day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.rows: dict[str, list[Record]] = {table: [] for table in TABLE_NAMES}
        org_name, domain = self.rng.choice(names.ORGANIZATIONS)
        self.org_name = org_name
        self.domain = domain
        self.org_created = self.day - timedelta(
            days=self.rng.randint(420, 900), seconds=self.rng.randint(0, 86399)
        )

    # -- ids ---------------------------------------------------------------------------------
    def ident(self) -> str:
        """A 16-character upper-case id like Calendly's (``GBGBDCAADAEDCRZ2``)."""
        value = self.rng.getrandbits(82)
        chars = []
        for _ in range(16):
            value, digit = divmod(value, 36)
            chars.append(_BASE36[digit])
        return "".join(chars)

    def uuid(self) -> str:
        """A hyphenated UUIDv4 (invitees, routing form questions)."""
        value = self.rng.getrandbits(128)
        value = (value & ~(0xF << 76)) | (4 << 76)
        value = (value & ~(0x3 << 62)) | (0x2 << 62)
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def token(self, length: int) -> str:
        """``length`` random letters and digits (meeting passwords, keys, external ids)."""
        value = self.rng.getrandbits(6 * length)
        chars = []
        for _ in range(length):
            value, digit = divmod(value, 62)
            chars.append(_BASE62[digit])
        return "".join(chars)

    # -- choices ------------------------------------------------------------------------------
    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        """A moment in ``[start, end]`` with whole seconds plus random microseconds."""
        span = max(0, int((end - start).total_seconds()))
        offset = self.rng.randint(0, span)
        return start + timedelta(seconds=offset, microseconds=self.rng.randint(0, 999_999))

    def before(self, limit: datetime, min_minutes: int, max_minutes: int) -> datetime:
        """A moment between ``max_minutes`` and ``min_minutes`` before ``limit``."""
        earliest = limit - timedelta(minutes=max_minutes)
        latest = limit - timedelta(minutes=min_minutes)
        moment = self.moment_between(earliest, latest)
        return max(moment, self.org_created + timedelta(days=1))

    def stamp(self, moment: datetime) -> str:
        return iso(moment)

    def phone(self) -> str:
        prefix = self.rng.choice(names.PHONE_PREFIXES)
        return f"{prefix} {self.rng.randint(200, 899)} {self.rng.randint(1000, 9999)}"

    def add(self, table: str, record: Record) -> Record:
        self.rows[table].append(record)
        return record
