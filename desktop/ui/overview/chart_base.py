"""What the Qt Charts figures share: a chart view that follows the palette and refills its
series from an ``Overview``."""

from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractSeries,
    QBarCategoryAxis,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.overview.figures import Overview
from desktop.ui.overview.numbers import Numbers
from desktop.ui.overview.style import chart_background, theme_chart

COUNT_TICKS = 5


def nice_counts(axis: QValueAxis, highest: int) -> None:
    """A count axis from 0 to at least ``highest`` in whole, round steps (0–4 when empty, so no
    tick falls between whole numbers)."""
    axis.setTickCount(COUNT_TICKS)
    axis.setRange(0, max(highest, COUNT_TICKS - 1))
    axis.applyNiceNumbers()


_THEME_EVENTS = frozenset({QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange})


class ChartFigure(QChartView):
    """A chart drawn from the figures; subclasses provide ``_setup``, ``_fill`` and ``_colour``.

    Series and axes are made once and refilled in place: removing series from a chart deletes
    them in C++ behind Python's back. The chart takes the light or dark theme of the palette
    now and again when the palette changes (the OS switched scheme, or the user forced one).
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        self.figure_chart = QChart()
        super().__init__(self.figure_chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName(name)
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        chart = self.figure_chart
        chart.setMargins(QMargins(4, 4, 4, 4))
        layout = chart.layout()
        if layout is not None:
            layout.setContentsMargins(0, 0, 0, 0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.overview: Overview | None = None
        self.dark = False
        self._theming = False
        self._setup()
        self._fill(None)
        self.retheme()

    # -- what subclasses provide ------------------------------------------------------------------
    def _setup(self) -> None:
        """Make the series and axes (once) and add them with ``add``."""

    def _fill(self, overview: Overview | None) -> None:
        """Put ``overview``'s numbers (or none) into the series and axes."""

    def _colour(self, dark: bool) -> None:
        """Colour the series for the light or the dark scheme."""

    def numbers(self) -> Numbers:
        raise NotImplementedError

    def describe(self) -> str:
        """One sentence for screen readers on what the chart shows now."""
        return ""

    # -- drawing ---------------------------------------------------------------------------------
    def show_overview(self, overview: Overview | None) -> None:
        self.overview = overview
        self._fill(overview)
        self.setAccessibleDescription(self.describe())

    def add(self, series: QAbstractSeries, *axes: tuple[QAbstractAxis, Qt.AlignmentFlag]) -> None:
        chart = self.figure_chart
        chart.addSeries(series)
        for axis, where in axes:
            if axis not in chart.axes():
                chart.addAxis(axis, where)
            series.attachAxis(axis)

    def set_labels(self, axis: QBarCategoryAxis, labels: list[str]) -> None:
        """Replace a category axis's labels (an empty axis keeps one blank category, so the
        chart still lays out)."""
        axis.clear()
        axis.append(labels or [""])

    def retheme(self) -> None:
        """Theme from the palette (``setTheme`` resets colours: the series get theirs again)."""
        if self._theming:
            return
        self._theming = True
        try:
            self.dark = theme_chart(self.figure_chart, self)
            self.setBackgroundBrush(chart_background(self.palette()))
            self._colour(self.dark)
        finally:
            self._theming = False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _THEME_EVENTS:
            self.retheme()
