"""The weekly charts: meetings per week stacked by outcome, and the cancellation and no-show
rates per week."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QLocale, QPointF, Qt
from PySide6.QtGui import QCursor, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.overview.figures import Outcome, Overview, Week
from desktop.ui.overview.chart_base import ChartFigure, nice_counts
from desktop.ui.overview.numbers import Cell, Numbers, percent, week_label
from desktop.ui.overview.style import chart_background, outcome_colour

OUTCOMES = (Outcome.HELD, Outcome.CANCELED, Outcome.NO_SHOW, Outcome.UPCOMING)
Align = Qt.AlignmentFlag
CROWDED = 8  # more weeks than this: their labels are turned


def outcome_name(outcome: Outcome) -> str:
    names = {
        Outcome.HELD: QCoreApplication.translate("OverviewCharts", "Held"),
        Outcome.CANCELED: QCoreApplication.translate("OverviewCharts", "Canceled"),
        Outcome.NO_SHOW: QCoreApplication.translate("OverviewCharts", "No-show"),
        Outcome.UPCOMING: QCoreApplication.translate("OverviewCharts", "Upcoming"),
    }
    return names[outcome]


def week_axis() -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.setTitleText(QCoreApplication.translate("OverviewCharts", "Week starting"))
    axis.setTruncateLabels(False)
    return axis


def week_labels(chart: ChartFigure, axis: QBarCategoryAxis, weeks: tuple[Week, ...]) -> None:
    chart.set_labels(axis, [week_label(week.start) for week in weeks])
    # Upright, many would be cut to "2…"; slanted, the first is lost: turned a quarter.
    axis.setLabelsAngle(-90 if len(weeks) > CROWDED else 0)


class MeetingsPerWeekChart(ChartFigure):
    """Meetings per week, one stacked bar per week: held, canceled, no-show, upcoming."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("OverviewCharts", "Meetings per week by outcome"), parent
        )

    def _setup(self) -> None:
        self.series = QStackedBarSeries()
        self.sets = {outcome: QBarSet(outcome_name(outcome)) for outcome in OUTCOMES}
        for bar_set in self.sets.values():
            self.series.append(bar_set)
        self.series.hovered.connect(self._hovered)
        self.weeks_axis = week_axis()
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        self.values.setTitleText(QCoreApplication.translate("OverviewCharts", "Meetings"))
        self.add(self.series, (self.weeks_axis, Align.AlignBottom), (self.values, Align.AlignLeft))

    def _fill(self, overview: Overview | None) -> None:
        weeks = overview.weeks if overview is not None else ()
        for outcome, bar_set in self.sets.items():
            bar_set.remove(0, bar_set.count())
            bar_set.append([float(week.counts.get(outcome, 0)) for week in weeks])
        week_labels(self, self.weeks_axis, weeks)
        highest = max((week.total for week in weeks), default=0)
        nice_counts(self.values, highest)

    def _colour(self, dark: bool) -> None:
        edge = QPen(chart_background(self.palette()))  # a thin gap between stacked parts
        edge.setWidthF(1.0)
        for outcome, bar_set in self.sets.items():
            bar_set.setColor(outcome_colour(outcome, dark))
            bar_set.setBorderColor(edge.color())
            bar_set.setPen(edge)

    def _hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        if not status or self.overview is None or not 0 <= index < len(self.overview.weeks):
            QToolTip.hideText()
            return
        week = self.overview.weeks[index]
        text = QCoreApplication.translate(
            "OverviewCharts", "Week of {week}: {count} {outcome} of {total}"
        ).format(
            week=week_label(week.start),
            count=QLocale().toString(int(bar_set.at(index))),
            outcome=bar_set.label().lower(),
            total=QLocale().toString(week.total),
        )
        QToolTip.showText(QCursor.pos(), text, self)

    def numbers(self) -> Numbers:
        headers = (
            QCoreApplication.translate("OverviewCharts", "Week starting"),
            *(outcome_name(o) for o in OUTCOMES),
            QCoreApplication.translate("OverviewCharts", "Total"),
        )
        weeks = self.overview.weeks if self.overview is not None else ()
        rows: list[list[Cell]] = [
            [week.start.isoformat(), *(week.counts.get(o, 0) for o in OUTCOMES), week.total]
            for week in weeks
        ]
        return Numbers(headers, rows)

    def describe(self) -> str:
        if self.overview is None:
            return ""
        weeks = self.overview.weeks
        return QCoreApplication.translate(
            "OverviewCharts", "{count} meetings over {weeks} weeks, stacked by outcome"
        ).format(
            count=QLocale().toString(sum(week.total for week in weeks)),
            weeks=QLocale().toString(len(weeks)),
        )


class RatesChart(ChartFigure):
    """Cancellation and no-show rates per week, in percent (a week with nothing to count has
    no point)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("OverviewCharts", "Cancellation and no-show rates per week"),
            parent,
        )

    def _setup(self) -> None:
        self.weeks_axis = week_axis()
        rates = QValueAxis()
        rates.setRange(0, 100)
        rates.setLabelFormat("%d %%")
        rates.setTickCount(6)
        rates.setTitleText(QCoreApplication.translate("OverviewCharts", "Percent"))
        self.cancel_line = QLineSeries()
        self.cancel_line.setName(QCoreApplication.translate("OverviewCharts", "Cancellation rate"))
        self.no_show_line = QLineSeries()
        self.no_show_line.setName(QCoreApplication.translate("OverviewCharts", "No-show rate"))
        for line in (self.cancel_line, self.no_show_line):
            line.setPointsVisible(True)
            self.add(line, (self.weeks_axis, Align.AlignBottom), (rates, Align.AlignLeft))

    def _fill(self, overview: Overview | None) -> None:
        weeks = overview.weeks if overview is not None else ()
        week_labels(self, self.weeks_axis, weeks)
        for line, rates in (
            (self.cancel_line, [w.cancel_rate for w in weeks]),
            (self.no_show_line, [w.no_show_rate for w in weeks]),
        ):
            line.replace(
                [QPointF(i, rate * 100) for i, rate in enumerate(rates) if rate is not None]
            )

    def _colour(self, dark: bool) -> None:
        # Dashes as well as hues: the two lines differ without colour too.
        for line, outcome, style in (
            (self.cancel_line, Outcome.CANCELED, Qt.PenStyle.SolidLine),
            (self.no_show_line, Outcome.NO_SHOW, Qt.PenStyle.DashLine),
        ):
            pen = QPen(outcome_colour(outcome, dark))
            pen.setWidthF(3.0)
            pen.setStyle(style)
            line.setPen(pen)
            line.setColor(outcome_colour(outcome, dark))

    def numbers(self) -> Numbers:
        headers = (
            QCoreApplication.translate("OverviewCharts", "Week starting"),
            QCoreApplication.translate("OverviewCharts", "Cancellation rate (%)"),
            QCoreApplication.translate("OverviewCharts", "No-show rate (%)"),
        )
        weeks = self.overview.weeks if self.overview is not None else ()
        rows = [
            (week.start.isoformat(), percent(week.cancel_rate), percent(week.no_show_rate))
            for week in weeks
        ]
        return Numbers(headers, rows)

    def describe(self) -> str:
        return QCoreApplication.translate(
            "OverviewCharts",
            "Cancellation rate (solid line) and no-show rate (dashed) per week, percent",
        )
