"""One chart in a frame: its title, the figure, and "Save as PNG…" / "Export numbers as CSV…"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSaveFile, Qt
from PySide6.QtGui import QFont, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.overview.figures import Overview
from desktop.ui.overview.chart_base import ChartFigure
from desktop.ui.overview.heatmap import Heatmap
from desktop.ui.overview.numbers import Numbers, write_numbers
from desktop.ui.overview.style import chart_background

log = logging.getLogger(__name__)
Role = QPalette.ColorRole


class ChartPanel(QFrame):
    """Holds one figure (a ``ChartFigure`` or the heat map): both export the same way."""

    def __init__(
        self,
        title: str,
        figure: ChartFigure | Heatmap,
        file_stem: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"chart-{file_stem}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = title
        self.figure = figure
        self.file_stem = file_stem
        self.dialog: QFileDialog | None = None  # the open save dialog, if any
        heading = QLabel(title)
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        self.png_button = QPushButton(self.tr("Save as PN&G…"))
        self.png_button.setAccessibleName(self.tr("Save {chart} as PNG").format(chart=title))
        self.png_button.setToolTip(self.tr("Save this chart as a picture"))
        self.png_button.clicked.connect(self.choose_png)
        self.csv_button = QPushButton(self.tr("Export numbers as &CSV…"))
        self.csv_button.setAccessibleName(
            self.tr("Export the numbers of {chart} as CSV").format(chart=title)
        )
        self.csv_button.setToolTip(self.tr("Save the numbers behind this chart for a spreadsheet"))
        self.csv_button.clicked.connect(self.choose_csv)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(figure, 1)
        layout.addWidget(self.status)

    # -- the figure -----------------------------------------------------------------------------
    def show_overview(self, overview: Overview | None) -> None:
        self.figure.show_overview(overview)
        enabled = overview is not None
        self.png_button.setEnabled(enabled)
        self.csv_button.setEnabled(enabled)

    def numbers(self) -> Numbers:
        return self.figure.numbers()

    def picture(self) -> QPixmap:
        """The title above the figure as drawn now, on the chart's background."""
        shot = self.figure.grab()
        ratio = shot.devicePixelRatio()
        metrics = self.fontMetrics()
        title_height = metrics.height() + 12
        width = round(shot.width() / ratio)
        height = round(shot.height() / ratio) + title_height
        picture = QPixmap(round(width * ratio), round(height * ratio))
        picture.setDevicePixelRatio(ratio)
        palette = self.figure.palette()
        picture.fill(chart_background(palette))
        painter = QPainter(picture)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(palette.color(Role.Text))
        painter.drawText(
            QRect(8, 0, width - 16, title_height), Qt.AlignmentFlag.AlignVCenter, self.title
        )
        painter.drawPixmap(0, title_height, shot)
        painter.end()
        return picture

    # -- saving ---------------------------------------------------------------------------------
    def save_png(self, path: Path | str) -> bool:
        """Write the picture to ``path`` (atomically); say where, or why not, under the chart."""
        target = QSaveFile(str(path))
        saved = (
            target.open(QSaveFile.OpenModeFlag.WriteOnly)
            and self.picture().save(target, "PNG")
            and target.commit()
        )
        if not saved:
            target.cancelWriting()
            self._say(self.tr("The picture could not be saved to {path}.").format(path=str(path)))
            return False
        self._say(self.tr("Saved the picture to {path}.").format(path=str(path)))
        return True

    def export_csv(self, path: Path | str) -> int | None:
        """Write the chart's numbers as CSV to ``path``; the rows written (None on failure)."""
        try:
            rows = write_numbers(path, self.numbers())
        except OSError as error:
            log.warning("chart numbers not written to %s: %s", path, error)
            self._say(
                self.tr("The numbers could not be saved to {path}: {why}").format(
                    path=str(path), why=error.strerror or type(error).__name__
                )
            )
            return None
        self._say(self.tr("Saved the numbers to {path}.").format(path=str(path)))
        return rows

    def choose_png(self) -> None:
        self._choose(
            self.tr("Save Chart as PNG"), self.tr("PNG pictures (*.png)"), "png", self.save_png
        )

    def choose_csv(self) -> None:
        self._choose(
            self.tr("Export Chart Numbers as CSV"),
            self.tr("CSV files (*.csv)"),
            "csv",
            self.export_csv,
        )

    def _choose(
        self, caption: str, name_filter: str, suffix: str, save: Callable[[str], object]
    ) -> None:
        """A non-modal save dialog; the file is written when one is chosen."""
        if self.dialog is not None:
            self.dialog.close()
        dialog = QFileDialog(self, caption)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(name_filter)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(f"{self.file_stem}.{suffix}")
        dialog.fileSelected.connect(save)
        dialog.finished.connect(lambda _: self._forget(dialog))
        self.dialog = dialog
        dialog.open()

    def _forget(self, dialog: QFileDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(True)
