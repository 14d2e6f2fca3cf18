"""Meeting start times by weekday and hour: a 7 × 24 heat map with labels, numbers in the cells
where they fit, a tooltip on hover and arrow-key navigation that says each cell."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.overview.figures import Overview
from desktop.ui.overview.numbers import Cell, Numbers
from desktop.ui.overview.style import chart_background, heat_colour
from desktop.ui.theme import is_dark, readable_text_color

DAYS, HOURS = 7, 24
Role = QPalette.ColorRole


def day_name(day: int, long: bool = False) -> str:
    """Monday is 0 (as in the figures); QLocale counts Monday as 1."""
    form = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return QLocale().dayName(day + 1, form)


class Heatmap(QWidget):
    """Painted from ``Overview.heatmap[day][hour]``: darker (light scheme) or brighter (dark
    scheme) is busier. ``cell_changed(day, hour)`` when the keyboard or mouse moves to a cell."""

    cell_changed = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: tuple[tuple[int, ...], ...] = tuple((0,) * HOURS for _ in range(DAYS))
        self.current: tuple[int, int] | None = None
        self.setAccessibleName(
            QCoreApplication.translate("OverviewHeatmap", "Meeting start times by weekday and hour")
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(480, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- data -----------------------------------------------------------------------------------
    def show_overview(self, overview: Overview | None) -> None:
        if overview is None:
            self.grid = tuple((0,) * HOURS for _ in range(DAYS))
        else:
            self.grid = tuple(tuple(row) for row in overview.heatmap)
        self._describe()
        self.update()

    @property
    def highest(self) -> int:
        return max((max(row, default=0) for row in self.grid), default=0)

    def count(self, day: int, hour: int) -> int:
        return self.grid[day][hour] if day < len(self.grid) and hour < len(self.grid[day]) else 0

    def cell_text(self, day: int, hour: int) -> str:
        """What a tooltip and a screen reader say of one cell."""
        count = self.count(day, hour)
        return QCoreApplication.translate(
            "OverviewHeatmap", "{day} {start}–{end}: {count} meetings"
        ).format(
            day=day_name(day, long=True),
            start=f"{hour:02d}:00",
            end=f"{(hour + 1) % 24:02d}:00",
            count=QLocale().toString(count),
        )

    def numbers(self) -> Numbers:
        headers = (
            QCoreApplication.translate("OverviewHeatmap", "Weekday"),
            *(f"{hour:02d}:00" for hour in range(HOURS)),
        )
        rows: list[list[Cell]] = [
            [day_name(day, long=True), *self.grid[day]] for day in range(DAYS)
        ]
        return Numbers(headers, rows)

    def colour_at(self, day: int, hour: int) -> tuple[int, int, int]:
        """The fill of a cell as drawn now (RGB), for checks of the picture."""
        colour = self._fill(self.count(day, hour))
        return colour.red(), colour.green(), colour.blue()

    # -- geometry -------------------------------------------------------------------------------
    def _areas(self) -> tuple[float, float, float, float]:
        """(left margin, top margin, cell width, cell height)."""
        metrics = self.fontMetrics()
        left = max(metrics.horizontalAdvance(day_name(d)) for d in range(DAYS)) + 10
        top = metrics.height() + 6
        bottom = metrics.height() + 6  # the colour key
        width = max((self.width() - left - 4) / HOURS, 1.0)
        height = max((self.height() - top - bottom - 4) / DAYS, 1.0)
        return left, top, width, height

    def _cell_rect(self, day: int, hour: int) -> QRectF:
        left, top, width, height = self._areas()
        return QRectF(left + hour * width, top + day * height, width, height)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        left, top, width, height = self._areas()
        hour = int((point.x() - left) // width)
        day = int((point.y() - top) // height)
        if point.x() < left or point.y() < top or not (0 <= day < DAYS and 0 <= hour < HOURS):
            return None
        return day, hour

    def _fill(self, count: int) -> QColor:
        highest = self.highest
        dark = is_dark(self)
        if count == 0:
            return chart_background(self.palette())
        return heat_colour(0.15 + 0.85 * count / highest if highest else 0.0, dark)

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), chart_background(palette))
        text_colour = palette.color(Role.Text)
        grid_pen = QPen(palette.color(Role.Mid))
        left, top, width, height = self._areas()
        metrics = self.fontMetrics()
        widest = metrics.horizontalAdvance(QLocale().toString(self.highest))
        show_numbers = width >= widest + 4 and height >= metrics.height()
        painter.setPen(text_colour)
        for day in range(DAYS):
            row = QRectF(0, top + day * height, left - 6, height)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(row, align, day_name(day))
        step = 1 if width >= metrics.horizontalAdvance("00") + 4 else 3
        for hour in range(0, HOURS, step):
            label = QRectF(left + hour * width, 0, width * step, top - 2)
            painter.drawText(
                label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, f"{hour:02d}"
            )
        for day in range(DAYS):
            for hour in range(HOURS):
                rect = self._cell_rect(day, hour)
                count = self.count(day, hour)
                fill = self._fill(count)
                painter.fillRect(rect, fill)
                painter.setPen(grid_pen)
                painter.drawRect(rect)
                if show_numbers and count:
                    painter.setPen(readable_text_color(fill))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, QLocale().toString(count))
        if self.current is not None and self.hasFocus():
            focus = QPen(palette.color(Role.Highlight))
            focus.setWidthF(2.5)
            painter.setPen(focus)
            painter.drawRect(self._cell_rect(*self.current).adjusted(1, 1, -1, -1))
        self._paint_key(painter, left, top + DAYS * height + 4, text_colour)
        painter.end()

    def _paint_key(self, painter: QPainter, left: float, y: float, text: QColor) -> None:
        """A small ramp from "0" to the busiest hour's count, under the grid."""
        metrics = self.fontMetrics()
        height = metrics.height()
        painter.setPen(text)
        zero = "0"
        painter.drawText(QRectF(left, y, 40, height), Qt.AlignmentFlag.AlignLeft, zero)
        start = left + metrics.horizontalAdvance(zero) + 6
        steps = 10
        box = 14.0
        dark = is_dark(self)
        for step in range(steps):
            colour = heat_colour(0.15 + 0.85 * step / (steps - 1), dark)
            painter.fillRect(QRectF(start + step * box, y + 2, box, height - 4), colour)
        most = QLocale().toString(self.highest)
        painter.drawText(
            QRectF(start + steps * box + 6, y, 200, height),
            Qt.AlignmentFlag.AlignLeft,
            QCoreApplication.translate("OverviewHeatmap", "{count} meetings (busiest hour)").format(
                count=most
            ),
        )

    # -- interaction ----------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.cell_text(*cell), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None:
            self._move_to(*cell)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        move = moves.get(Qt.Key(event.key()))
        if move is None:
            super().keyPressEvent(event)
            return
        day, hour = self.current or (0, 0)
        if self.current is not None:
            day = min(max(day + move[0], 0), DAYS - 1)
            hour = min(max(hour + move[1], 0), HOURS - 1)
        self._move_to(day, hour)

    def _move_to(self, day: int, hour: int) -> None:
        self.current = (day, hour)
        self._describe()
        self.update()
        self.cell_changed.emit(day, hour)

    def _describe(self) -> str:
        if self.current is not None:
            text = self.cell_text(*self.current)
        else:
            text = QCoreApplication.translate(
                "OverviewHeatmap",
                "Busiest hour: {count} meetings. Use the arrow keys to read each hour.",
            )
            text = text.format(count=QLocale().toString(self.highest))
        self.setAccessibleDescription(text)
        return text
