"""Chart colours for the light and the dark scheme: outcomes, bars, the heat ramp, chart theme."""

from __future__ import annotations

from PySide6.QtCharts import QChart
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from desktop.overview.figures import Outcome
from desktop.ui.theme import is_dark

Role = QPalette.ColorRole

# Okabe–Ito hues (told apart with the common colour-vision deficiencies), darkened for the
# light scheme and lightened for the dark one so each keeps at least 3:1 against the chart's
# background (WCAG 1.4.11 for graphical objects).
_OUTCOMES_LIGHT: dict[Outcome, str] = {
    Outcome.HELD: "#00806a",
    Outcome.CANCELED: "#c23b00",
    Outcome.NO_SHOW: "#9e6a00",
    Outcome.UPCOMING: "#0072b2",
}
_OUTCOMES_DARK: dict[Outcome, str] = {
    Outcome.HELD: "#3cc8a0",
    Outcome.CANCELED: "#ff8a5b",
    Outcome.NO_SHOW: "#f0c040",
    Outcome.UPCOMING: "#6cb8f0",
}
_BAR_LIGHT, _BAR_DARK = "#2f6fbf", "#6fa8ff"
# The heat map's ramp: from almost the background (few meetings) to strong (many).
_HEAT_LIGHT = ("#eef3fa", "#08306b")
_HEAT_DARK = ("#25303d", "#9ecbff")


def outcome_colour(outcome: Outcome, dark: bool) -> QColor:
    return QColor((_OUTCOMES_DARK if dark else _OUTCOMES_LIGHT)[outcome])


def bar_colour(dark: bool) -> QColor:
    return QColor(_BAR_DARK if dark else _BAR_LIGHT)


def heat_colour(fraction: float, dark: bool) -> QColor:
    """The ramp's colour at ``fraction`` (0 = none, 1 = the busiest hour)."""
    low, high = (QColor(c) for c in (_HEAT_DARK if dark else _HEAT_LIGHT))
    t = min(max(fraction, 0.0), 1.0)
    return QColor.fromRgbF(
        low.redF() + (high.redF() - low.redF()) * t,
        low.greenF() + (high.greenF() - low.greenF()) * t,
        low.blueF() + (high.blueF() - low.blueF()) * t,
    )


def chart_background(palette: QPalette) -> QColor:
    return palette.color(Role.Base)


def theme_chart(chart: QChart, widget: QWidget) -> bool:
    """Give ``chart`` the light or dark Qt Charts theme of ``widget``'s palette, with the
    palette's own background and text colours; returns whether it is dark.

    ``setTheme`` resets the series' colours: callers colour their series again after it.
    """
    dark = is_dark(widget)
    palette = widget.palette()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    text = palette.color(Role.Text)
    background = chart_background(palette)
    chart.setBackgroundBrush(background)
    chart.setBackgroundRoundness(0)
    chart.setTitleBrush(text)
    chart.legend().setLabelColor(text)
    grid = palette.color(Role.Mid)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setTitleBrush(text)
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)
    return dark
