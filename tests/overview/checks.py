"""Comparing an ``Overview`` with what the sandbox holds (``truth.Expected``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from desktop.overview.figures import Overview, Ranked
from tests.overview.truth import Expected


def week_table(overview: Overview) -> dict[object, dict[str, int]]:
    return {
        week.start: {kind.value: count for kind, count in week.counts.items()}
        for week in overview.weeks
    }


def assert_ranked(ranked: tuple[Ranked, ...], expected: Counter[str]) -> None:
    """The ten largest counts, most first, each the count the sandbox holds for that URI."""
    assert [item.count for item in ranked] == sorted(expected.values(), reverse=True)[:10]
    for item in ranked:
        assert item.count == expected[item.uri], item
        assert item.name  # a person's or event type's name, never blank


def assert_matches(overview: Overview, expected: Expected) -> None:
    assert week_table(overview) == expected.weeks
    assert sum(week.total for week in overview.weeks) == expected.total
    assert_ranked(overview.busiest_members, expected.hosts)
    assert_ranked(overview.busiest_event_types, expected.event_types)
    assert [list(day) for day in overview.heatmap] == expected.heatmap
    assert sum(map(sum, overview.heatmap)) == expected.not_canceled


def without_webhooks(overview: Overview | None) -> Overview:
    """The figures but the webhook cards: a cancel makes the sandbox deliver webhooks in the
    background, and a failing delivery can change a subscription's state at any moment."""
    assert overview is not None
    cards = replace(overview.cards, webhooks_active=0, webhooks_retrying=0, webhooks_disabled=0)
    return replace(overview, cards=cards)
