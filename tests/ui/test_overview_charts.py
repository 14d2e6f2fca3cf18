"""The Overview's chart widgets on hand-built figures: they draw offscreen in the series'
colours, save PNGs, export the numbers they show as CSV, follow light/dark, and the filters."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import QChart
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.overview.figures import Cards, Filter, Outcome, Overview, Ranked, Week
from desktop.ui.overview.chart_panel import ChartPanel
from desktop.ui.overview.charts import ChartsGrid
from desktop.ui.overview.filter_bar import OverviewFilters, RangePreset
from desktop.ui.overview.heatmap import Heatmap
from desktop.ui.overview.numbers import week_label
from desktop.ui.overview.style import bar_colour, heat_colour, outcome_colour
from desktop.ui.overview.weekly_charts import OUTCOMES
from desktop.ui.theme import apply_appearance, contrast_ratio, readable_text_color
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

MONDAY = date(2026, 8, 31)
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def figures() -> Overview:
    """17 weeks with every outcome, ten members, three event types, office-hours starts."""
    weeks = []
    for index in range(17):
        past = index < 12
        weeks.append(
            Week(
                MONDAY + timedelta(weeks=index),
                {
                    Outcome.HELD: 8 + index % 5 if past else 0,
                    Outcome.CANCELED: 1 + index % 3,
                    Outcome.NO_SHOW: index % 2 if past else 0,
                    Outcome.UPCOMING: 0 if past else 6 + index % 4,
                },
            )
        )
    members = tuple(
        Ranked(f"https://api.test/users/U{i}", f"Member {i}", 40 - 3 * i) for i in range(10)
    )
    types = (
        Ranked("https://api.test/event_types/A", "Intro Call", 50),
        Ranked("https://api.test/event_types/B", 'Demo, "deep dive" =1+1', 20),
        Ranked("https://api.test/event_types/C", "Ümlaut Sync", 5),
    )
    heat = tuple(
        tuple((day + 1) * (hour - 8) if day < 5 and 9 <= hour < 17 else 0 for hour in range(24))
        for day in range(7)
    )
    return Overview(
        filter=Filter(MONDAY, MONDAY + timedelta(weeks=17)),
        cards=Cards(25, 5, 40, 12, 9, 3, 1, 2),
        weeks=tuple(weeks),
        busiest_members=members,
        busiest_event_types=types,
        heatmap=heat,
        refreshed_at=NOW,
    )


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, forced light, put back on the system appearance after the test."""
    apply_appearance(qapp, "light")
    yield qapp
    apply_appearance(qapp, "system")


@pytest.fixture
def grid(app: QApplication, qtbot: Any) -> ChartsGrid:
    charts = ChartsGrid()
    qtbot.addWidget(charts)
    charts.resize(1300, 1100)
    charts.show()
    charts.show_overview(figures())
    qtbot.waitExposed(charts)
    return charts


def switch(app: QApplication, qtbot: Any, grid: ChartsGrid, scheme: str) -> None:
    """Force ``scheme`` and wait for Qt to deliver the palette change to the charts."""
    apply_appearance(app, scheme)  # type: ignore[arg-type]
    theme = (
        QChart.ChartTheme.ChartThemeDark if scheme == "dark" else QChart.ChartTheme.ChartThemeLight
    )
    charts = [grid.weekly, grid.rates, grid.members, grid.event_types]
    qtbot.waitUntil(lambda: all(c.figure_chart.theme() == theme for c in charts))


def colours_in(image: QImage) -> set[int]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return {
        image.pixel(x, y) & 0xFFFFFF
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def has_colour(found: set[int], colour: QColor, tolerance: int = 6) -> bool:
    r, g, b = colour.red(), colour.green(), colour.blue()
    return any(
        abs((p >> 16) - r) <= tolerance
        and abs((p >> 8 & 0xFF) - g) <= tolerance
        and abs((p & 0xFF) - b) <= tolerance
        for p in found
    )


def series_colours(panel: ChartPanel, dark: bool) -> list[QColor]:
    stem = panel.file_stem
    if stem == "meetings-per-week":
        return [outcome_colour(o, dark) for o in OUTCOMES]
    if stem == "rates-per-week":
        return [outcome_colour(Outcome.CANCELED, dark), outcome_colour(Outcome.NO_SHOW, dark)]
    if stem.startswith("busiest-"):
        return [bar_colour(dark)]
    heatmap = panel.figure
    assert isinstance(heatmap, Heatmap)
    return [QColor(*heatmap.colour_at(4, 16)), QColor(*heatmap.colour_at(0, 9))]


# -- drawing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_draws_its_series_colours(
    grid: ChartsGrid, app: QApplication, qtbot: Any, scheme: str
) -> None:
    switch(app, qtbot, grid, scheme)
    dark = scheme == "dark"
    for panel in grid.panels:
        image = panel.figure.grab().toImage()
        found = colours_in(image)
        assert len(found) > 10, panel.file_stem  # not blank
        for colour in series_colours(panel, dark):
            assert has_colour(found, colour), (panel.file_stem, colour.name())


def test_the_weekly_chart_shows_the_weeks_and_a_legend(grid: ChartsGrid) -> None:
    chart = grid.weekly
    axis = chart.figure_chart.axes(Qt.Orientation.Horizontal)[0]
    assert axis.categories() == [week_label(w.start) for w in figures().weeks]  # type: ignore[attr-defined]
    legend = chart.figure_chart.legend()
    assert legend.isVisible()
    assert [m.label() for m in legend.markers()] == ["Held", "Canceled", "No-show", "Upcoming"]
    assert [chart.sets[Outcome.HELD].at(i) for i in range(3)] == [8, 9, 10]
    rates = grid.rates
    assert rates.cancel_line is not None and rates.no_show_line is not None
    assert rates.no_show_line.pen().style() == Qt.PenStyle.DashLine  # told apart without colour
    # Week 0: 1 canceled of 9; no-shows 0 of 8 held.
    assert rates.cancel_line.at(0).y() == pytest.approx(100 / 9)
    assert rates.no_show_line.at(0).y() == 0
    assert rates.no_show_line.count() == 12  # future weeks have no no-show rate yet


def test_busiest_are_ranked_top_down(grid: ChartsGrid) -> None:
    axis = grid.members.figure_chart.axes(Qt.Orientation.Vertical)[0]
    # The first category is drawn at the bottom: the busiest is last, so it is on top.
    assert axis.categories()[-1] == "Member 0"  # type: ignore[attr-defined]
    assert grid.members.describe() == "Busiest: Member 0 with 40 meetings"


def test_switching_light_and_dark_rethemes_every_chart(
    grid: ChartsGrid, app: QApplication, qtbot: Any
) -> None:
    charts = [grid.weekly, grid.rates, grid.members, grid.event_types]
    assert all(c.figure_chart.theme() == QChart.ChartTheme.ChartThemeLight for c in charts)
    light_bar = grid.weekly.sets[Outcome.HELD].color()

    switch(app, qtbot, grid, "dark")
    for chart in charts:
        assert chart.figure_chart.theme() == QChart.ChartTheme.ChartThemeDark
        background = chart.figure_chart.backgroundBrush().color()
        assert background.lightness() < 60
        labels = chart.figure_chart.axes()[0].labelsColor()
        assert contrast_ratio(labels, background) >= 4.5
    assert grid.weekly.sets[Outcome.HELD].color() == outcome_colour(Outcome.HELD, True)
    assert grid.weekly.sets[Outcome.HELD].color() != light_bar
    dark_cell = grid.heatmap.colour_at(4, 16)

    switch(app, qtbot, grid, "light")
    assert all(c.figure_chart.theme() == QChart.ChartTheme.ChartThemeLight for c in charts)
    assert grid.weekly.sets[Outcome.HELD].color() == light_bar
    assert grid.heatmap.colour_at(4, 16) != dark_cell


def test_series_colours_keep_3_to_1_against_the_background() -> None:
    for dark, background in ((False, "#ffffff"), (True, "#1e1f22")):
        for colour in [*(outcome_colour(o, dark) for o in OUTCOMES), bar_colour(dark)]:
            assert contrast_ratio(colour, QColor(background)) >= 3, colour.name()
    # The heat map's numbers: black or white, whichever reads better, on every step of the ramp.
    for dark in (False, True):
        for step in range(21):
            fill = heat_colour(step / 20, dark)
            assert contrast_ratio(readable_text_color(fill), fill) >= 4.5, fill.name()


# -- the heat map ---------------------------------------------------------------------------------
def test_the_heat_map_says_each_hour(grid: ChartsGrid, qtbot: Any) -> None:
    heatmap = grid.heatmap
    assert heatmap.highest == 5 * 8
    # Friday 16:00 (the busiest) is darker than Monday 09:00 in the light scheme.
    assert (
        QColor(*heatmap.colour_at(4, 16)).lightness() < QColor(*heatmap.colour_at(0, 9)).lightness()
    )
    cell = heatmap._cell_rect(4, 16).center().toPoint()
    assert heatmap.cell_at(cell) == (4, 16)
    assert heatmap.cell_text(4, 16) == "Friday 16:00–17:00: 40 meetings"
    heatmap.setFocus()
    qtbot.mouseClick(heatmap, Qt.MouseButton.LeftButton, pos=cell)
    with qtbot.waitSignal(heatmap.cell_changed) as moved:
        qtbot.keyClick(heatmap, Qt.Key.Key_Up)
    assert moved.args == [3, 16]
    assert heatmap.accessibleDescription() == "Thursday 16:00–17:00: 32 meetings"
    assert heatmap.cell_at(QPoint(1, 1)) is None  # the labels are no cell

    # Hovering shows the number too (the colour alone is not enough).
    QApplication.sendEvent(
        heatmap, QHelpEvent(QEvent.Type.ToolTip, cell, heatmap.mapToGlobal(cell))
    )
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == "Friday 16:00–17:00: 40 meetings"
    QToolTip.hideText()


# -- saving ---------------------------------------------------------------------------------------
def test_save_as_png_writes_a_picture_of_the_chart(grid: ChartsGrid, tmp_path: Path) -> None:
    for panel in grid.panels:
        path = tmp_path / f"{panel.file_stem}.png"
        assert panel.save_png(path)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= panel.figure.width()
        found = colours_in(image)
        assert len(found) > 10
        assert all(has_colour(found, c) for c in series_colours(panel, dark=False))
        assert panel.status.text() == f"Saved the picture to {path}."


def test_a_failed_save_says_so_and_leaves_nothing(grid: ChartsGrid, tmp_path: Path) -> None:
    panel = grid.panels[0]
    missing = tmp_path / "no-such-folder" / "chart.png"
    assert not panel.save_png(missing)
    assert not missing.exists()
    assert panel.status.text() == f"The picture could not be saved to {missing}."
    assert panel.export_csv(missing.with_suffix(".csv")) is None
    assert panel.status.text().startswith("The numbers could not be saved to ")


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_export_holds_the_numbers_shown(grid: ChartsGrid, tmp_path: Path) -> None:
    weekly = tmp_path / "weekly.csv"
    assert grid.panel("meetings-per-week").export_csv(weekly) == 17
    rows = read_csv(weekly)
    assert rows[0] == ["Week starting", "Held", "Canceled", "No-show", "Upcoming", "Total"]
    for row, (index, week) in zip(rows[1:], enumerate(figures().weeks), strict=True):
        assert date.fromisoformat(row[0]) == week.start
        drawn = [int(grid.weekly.sets[o].at(index)) for o in OUTCOMES]
        assert [int(v) for v in row[1:5]] == drawn
        assert int(row[5]) == sum(drawn)

    rates = tmp_path / "rates.csv"
    grid.panel("rates-per-week").export_csv(rates)
    rows = read_csv(rates)[1:]
    line = grid.rates.cancel_line
    assert line is not None
    assert [float(r[1]) for r in rows] == [pytest.approx(p.y(), abs=0.05) for p in line.points()]
    assert rows[-1][2] == ""  # no no-show rate for a week ahead

    types = tmp_path / "types.csv"
    grid.panel("busiest-event-types").export_csv(types)
    rows = read_csv(types)
    assert rows[0] == ["Rank", "Event type", "Meetings", "Calendly URI"]
    assert rows[2] == ["2", 'Demo, "deep dive" =1+1', "20", "https://api.test/event_types/B"]

    heat = tmp_path / "heat.csv"
    grid.panel("start-times").export_csv(heat)
    rows = read_csv(heat)
    assert rows[0][:2] == ["Weekday", "00:00"] and len(rows[0]) == 25
    assert [[int(v) for v in r[1:]] for r in rows[1:]] == [list(d) for d in grid.heatmap.grid]


def test_the_buttons_open_non_modal_save_dialogs(grid: ChartsGrid, qtbot: Any) -> None:
    panel = grid.panels[0]
    panel.png_button.click()  # returns at once: the dialog is opened, not exec()'d
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    assert dialog.selectedFiles()[0].endswith("meetings-per-week.png")
    dialog.reject()
    qtbot.waitUntil(lambda: panel.dialog is None)


def test_without_figures_the_exports_are_off(app: QApplication, qtbot: Any) -> None:
    charts = ChartsGrid()
    qtbot.addWidget(charts)
    charts.show_overview(None)
    assert not any(p.png_button.isEnabled() or p.csv_button.isEnabled() for p in charts.panels)
    assert unnamed_interactive(charts) == []
    assert unreachable_by_keyboard(charts) == []


# -- the filters ----------------------------------------------------------------------------------
@pytest.fixture
def filters(app: QApplication, qtbot: Any) -> OverviewFilters:
    bar = OverviewFilters(lambda: (UTC, NOW))
    qtbot.addWidget(bar)
    bar.show()
    return bar


def test_range_presets(filters: OverviewFilters) -> None:
    monday = date(2026, 11, 23)
    assert filters.current() == Filter(monday - timedelta(weeks=12), monday + timedelta(weeks=5))
    filters.set_preset(RangePreset.LAST_4_WEEKS)
    assert filters.days() == (monday - timedelta(weeks=3), monday + timedelta(weeks=1))
    filters.set_preset(RangePreset.THIS_QUARTER)
    assert filters.days() == (date(2026, 10, 1), date(2027, 1, 1))


def test_a_custom_range_ending_before_it_starts_is_refused_next_to_the_dates(
    filters: OverviewFilters, qtbot: Any
) -> None:
    with qtbot.waitSignal(filters.changed):
        filters.set_custom(date(2026, 10, 5), date(2026, 10, 25))
    assert filters.days() == (date(2026, 10, 5), date(2026, 10, 26))
    assert filters.from_edit.isVisible() and filters.to_edit.isVisible()

    with qtbot.assertNotEmitted(filters.changed):
        filters.set_custom(date(2026, 10, 20), date(2026, 10, 10))
    assert filters.message.isVisible()
    assert filters.message.text().startswith("To date: the last day must not be before the first")
    assert filters.to_edit.accessibleDescription() == filters.message.text()
    assert filters.days() == (date(2026, 10, 5), date(2026, 10, 26))  # the last valid range

    filters.to_edit.setDate(filters.to_edit.date().addDays(20))  # typed: applied after a pause
    with qtbot.waitSignal(filters.changed, timeout=3000):
        pass
    assert not filters.message.isVisible()
    assert filters.days() == (date(2026, 10, 20), date(2026, 10, 31))


def test_whose_meetings_offers_groups_and_members(filters: OverviewFilters, qtbot: Any) -> None:
    filters.set_choices(
        [("Zoe", "https://api.test/users/Z"), ("ann", "https://api.test/users/A")],
        [("Sales", "https://api.test/groups/S")],
    )
    texts = [filters.whose.itemText(i) for i in range(filters.whose.count())]
    assert [t for t in texts if t] == ["Everyone", "Group: Sales", "ann", "Zoe"]
    with qtbot.waitSignal(filters.changed):
        assert filters.choose_group("https://api.test/groups/S")
    assert filters.current().group == "https://api.test/groups/S"
    assert filters.current().member is None
    with qtbot.waitSignal(filters.changed):
        assert filters.choose_member("https://api.test/users/Z")
    assert (filters.current().member, filters.current().group) == ("https://api.test/users/Z", None)
    # The member leaves: back to everyone, and the charts are told.
    with qtbot.waitSignal(filters.changed):
        filters.set_choices([("ann", "https://api.test/users/A")], [])
    assert filters.current().member is None
    assert unnamed_interactive(filters) == []
