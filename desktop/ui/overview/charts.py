"""The Overview's charts in their panels, laid out in a grid; all drawn from one ``Overview``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGridLayout, QWidget

from desktop.overview.figures import Overview
from desktop.ui.overview.chart_panel import ChartPanel
from desktop.ui.overview.heatmap import Heatmap
from desktop.ui.overview.ranking_chart import RankingChart
from desktop.ui.overview.weekly_charts import MeetingsPerWeekChart, RatesChart


class ChartsGrid(QWidget):
    """Weekly meetings and rates, busiest members and event types, then the heat map."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weekly = MeetingsPerWeekChart()
        self.rates = RatesChart()
        self.members = RankingChart(
            QCoreApplication.translate("OverviewCharts", "Busiest members"),
            QCoreApplication.translate("OverviewCharts", "Member"),
            lambda o: o.busiest_members,
        )
        self.event_types = RankingChart(
            QCoreApplication.translate("OverviewCharts", "Busiest event types"),
            QCoreApplication.translate("OverviewCharts", "Event type"),
            lambda o: o.busiest_event_types,
        )
        self.heatmap = Heatmap()
        self.panels = [
            ChartPanel(
                QCoreApplication.translate("OverviewCharts", "Meetings per week"),
                self.weekly,
                "meetings-per-week",
            ),
            ChartPanel(
                QCoreApplication.translate("OverviewCharts", "Cancellation and no-show rates"),
                self.rates,
                "rates-per-week",
            ),
            ChartPanel(
                QCoreApplication.translate("OverviewCharts", "Busiest members"),
                self.members,
                "busiest-members",
            ),
            ChartPanel(
                QCoreApplication.translate("OverviewCharts", "Busiest event types"),
                self.event_types,
                "busiest-event-types",
            ),
            ChartPanel(
                QCoreApplication.translate("OverviewCharts", "Meeting start times (your time)"),
                self.heatmap,
                "start-times",
            ),
        ]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for index, panel in enumerate(self.panels[:4]):
            grid.addWidget(panel, index // 2, index % 2)
        grid.addWidget(self.panels[4], 2, 0, 1, 2)
        for column in (0, 1):
            grid.setColumnStretch(column, 1)

    def show_overview(self, overview: Overview | None) -> None:
        for panel in self.panels:
            panel.show_overview(overview)

    def panel(self, file_stem: str) -> ChartPanel:
        return next(panel for panel in self.panels if panel.file_stem == file_stem)
