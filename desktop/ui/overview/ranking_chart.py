"""The busiest members or event types in the range: horizontal bars, the busiest on top."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.overview.figures import Overview, Ranked
from desktop.ui.overview.chart_base import ChartFigure, nice_counts
from desktop.ui.overview.numbers import Numbers
from desktop.ui.overview.style import bar_colour

NAME_CHARS = 28  # longer names are cut on the axis (the tooltip and the CSV have them whole)
Align = Qt.AlignmentFlag


def short_name(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


class RankingChart(ChartFigure):
    """Up to ten names and their meetings (canceled ones excluded)."""

    def __init__(
        self,
        name: str,
        heading: str,
        pick: Callable[[Overview], tuple[Ranked, ...]],
        parent: QWidget | None = None,
    ) -> None:
        self.heading = heading  # "Member", "Event type": the CSV's name column
        self._pick = pick
        self.ranked: tuple[Ranked, ...] = ()
        super().__init__(name, parent)
        self.figure_chart.legend().setVisible(False)

    def _setup(self) -> None:
        self.bar_set = QBarSet(QCoreApplication.translate("OverviewCharts", "Meetings"))
        series = QHorizontalBarSeries()
        series.append(self.bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
        series.hovered.connect(self._hovered)
        self.series = series
        self.names = QBarCategoryAxis()
        self.names.setTruncateLabels(False)  # already cut to NAME_CHARS; "…" alone says nothing
        self.counts = QValueAxis()
        self.counts.setLabelFormat("%d")
        self.add(series, (self.names, Align.AlignLeft), (self.counts, Align.AlignBottom))

    def _fill(self, overview: Overview | None) -> None:
        self.ranked = self._pick(overview) if overview is not None else ()
        shown = list(reversed(self.ranked))  # the first category is drawn at the bottom
        self.bar_set.remove(0, self.bar_set.count())
        self.bar_set.append([float(r.count) for r in shown])
        self.set_labels(self.names, _unique([short_name(r.name) for r in shown]))
        nice_counts(self.counts, max((r.count for r in shown), default=0))

    def _colour(self, dark: bool) -> None:
        colour = bar_colour(dark)
        self.bar_set.setColor(colour)
        self.bar_set.setBorderColor(colour)
        # The count inside the bar's end: white on the light scheme's bar, black on the dark's.
        self.bar_set.setLabelColor(Qt.GlobalColor.black if dark else Qt.GlobalColor.white)

    def _hovered(self, status: bool, index: int, _: QBarSet) -> None:
        shown = list(reversed(self.ranked))
        if not status or not 0 <= index < len(shown):
            QToolTip.hideText()
            return
        ranked = shown[index]
        text = QCoreApplication.translate("OverviewCharts", "{name}: {count} meetings").format(
            name=ranked.name, count=QLocale().toString(ranked.count)
        )
        QToolTip.showText(QCursor.pos(), text, self)

    def numbers(self) -> Numbers:
        headers = (
            QCoreApplication.translate("OverviewCharts", "Rank"),
            self.heading,
            QCoreApplication.translate("OverviewCharts", "Meetings"),
            QCoreApplication.translate("OverviewCharts", "Calendly URI"),
        )
        rows = [(i, r.name, r.count, r.uri) for i, r in enumerate(self.ranked, start=1)]
        return Numbers(headers, list(rows))

    def describe(self) -> str:
        if not self.ranked:
            return QCoreApplication.translate("OverviewCharts", "No meetings in this range")
        top = self.ranked[0]
        return QCoreApplication.translate(
            "OverviewCharts", "Busiest: {name} with {count} meetings"
        ).format(name=top.name, count=QLocale().toString(top.count))


def _unique(names: list[str]) -> list[str]:
    """Category labels must differ: two members with the same (cut) name get a counter."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique
