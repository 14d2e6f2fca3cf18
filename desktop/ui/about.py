"""The About box: name, version, description, and the bundled components with their licences."""

from __future__ import annotations

import html
import importlib.metadata
import platform
import sys
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import desktop
from desktop.ui.icons import app_icon

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | (
    Qt.TextInteractionFlag.TextSelectableByKeyboard
)


@dataclass(frozen=True)
class Component:
    """A third-party component the app ships, as shown in the About box."""

    name: str
    licence: str  # an SPDX licence expression
    distribution: str | None = None  # the Python distribution to read the version from
    platforms: tuple[str, ...] = ()  # sys.platform values it ships on; () = everywhere
    python_below: tuple[int, int] | None = None  # shipped only on Pythons older than this


# The runtime dependency closure of calendly-console (tests/ui/test_about.py checks it stays so).
COMPONENTS: tuple[Component, ...] = (
    Component("Qt", "LGPL-3.0-only"),
    Component("PySide6 (Qt for Python)", "LGPL-3.0-only", "PySide6_Essentials"),
    Component("PySide6 Add-ons", "LGPL-3.0-only", "PySide6_Addons"),
    Component(
        "Qt WebEngine (with Chromium)",
        "LGPL-3.0-only; Chromium: BSD-3-Clause and others",
        "PySide6_Addons",  # part of the add-ons wheel in PySide6 6.11
    ),
    Component("Shiboken6", "LGPL-3.0-only", "shiboken6"),
    Component("Python", "PSF-2.0"),
    Component("qasync", "BSD-2-Clause", "qasync"),
    Component("HTTPX", "BSD-3-Clause", "httpx"),
    Component("HTTP Core", "BSD-3-Clause", "httpcore"),
    Component("h11", "MIT", "h11"),
    Component("AnyIO", "MIT", "anyio"),
    Component("idna", "BSD-3-Clause", "idna"),
    Component("certifi", "MPL-2.0", "certifi"),
    Component("typing_extensions", "PSF-2.0", "typing_extensions"),
    Component("msgspec", "BSD-3-Clause", "msgspec"),
    Component("keyring", "MIT", "keyring"),
    Component("jaraco.classes", "MIT", "jaraco.classes"),
    Component("jaraco.context", "MIT", "jaraco.context"),
    Component("jaraco.functools", "MIT", "jaraco.functools"),
    Component("more-itertools", "MIT", "more-itertools"),
    Component("backports.tarfile", "MIT", "backports.tarfile", python_below=(3, 12)),
    Component("importlib_metadata", "Apache-2.0", "importlib_metadata", python_below=(3, 12)),
    Component("zipp", "MIT", "zipp", python_below=(3, 12)),
    Component("lazy-importer", "Apache-2.0", "lazy-importer", python_below=(3, 12)),
    Component("SecretStorage", "BSD-3-Clause", "SecretStorage", platforms=("linux",)),
    Component("Jeepney", "MIT", "jeepney", platforms=("linux",)),
    Component("cryptography", "Apache-2.0 OR BSD-3-Clause", "cryptography", platforms=("linux",)),
    Component("cffi", "MIT-0", "cffi", platforms=("linux",)),
    Component("pycparser", "BSD-3-Clause", "pycparser", platforms=("linux",)),
    Component("pywin32-ctypes", "BSD-3-Clause", "pywin32-ctypes", platforms=("win32",)),
    Component("platformdirs", "MIT", "platformdirs"),
    Component("Starlette", "BSD-3-Clause", "starlette"),
    Component("Uvicorn", "BSD-3-Clause", "uvicorn"),
    Component("Click", "BSD-3-Clause", "click"),
    Component("tzdata", "Apache-2.0", "tzdata"),
)


def bundled_components() -> list[tuple[Component, str]]:
    """The components this build ships on this platform, each with its version.

    A version comes from the installed distribution's metadata; in a frozen app, where that
    metadata may be absent, it reads "bundled".
    """
    shown: list[tuple[Component, str]] = []
    for component in COMPONENTS:
        if component.platforms and sys.platform not in component.platforms:
            continue
        if component.python_below is not None and sys.version_info[:2] >= component.python_below:
            continue
        shown.append((component, _version_of(component)))
    return shown


def _version_of(component: Component) -> str:
    if component.name == "Qt":
        return qVersion()
    if component.name == "Python":
        return platform.python_version()
    if component.distribution is not None:
        try:
            return importlib.metadata.version(component.distribution)
        except importlib.metadata.PackageNotFoundError:
            pass
    return QCoreApplication.translate("AboutDialog", "bundled")


class AboutDialog(QDialog):
    """Who we are, which version, and what we ship under which licence. Show with open()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Calendly Console"))
        self.setWindowIcon(app_icon())
        self.setAccessibleName(self.tr("About Calendly Console"))
        self.resize(620, 560)

        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAccessibleName(self.tr("Calendly Console icon"))
        title = QLabel(self.tr("Calendly Console"), self)
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.version_label = QLabel(self.tr("Version %1").replace("%1", desktop.__version__), self)
        self.version_label.setObjectName("aboutVersion")
        self.version_label.setTextInteractionFlags(_SELECTABLE)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version_label)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.details_label = QLabel(self._details_html(), self)
        self.details_label.setObjectName("aboutDetails")
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(_SELECTABLE)

        self.components = self._components_table()
        components_label = QLabel(self.tr("&Bundled components:"), self)
        components_label.setBuddy(self.components)

        self.copy_button = QPushButton(self.tr("&Copy details"), self)
        self.copy_button.setObjectName("aboutCopyDetails")
        self.copy_button.setAccessibleName(self.tr("Copy details"))
        self.copy_button.setAccessibleDescription(
            self.tr("Copies the version and the list of components, for a bug report")
        )
        self.copy_button.clicked.connect(self.copy_details)
        self.about_qt_button = QPushButton(self.tr("About &Qt"), self)
        self.about_qt_button.setObjectName("aboutQt")
        self.about_qt_button.setAccessibleName(self.tr("About Qt"))
        self.about_qt_button.setAccessibleDescription(
            self.tr("Shows Qt's version and the licences Qt is available under")
        )
        self.about_qt_button.clicked.connect(self._about_qt)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.about_qt_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setObjectName("aboutClose")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setAccessibleDescription(self.tr("Closes the About box"))
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_label)
        layout.addWidget(components_label)
        layout.addWidget(self.components, 1)
        layout.addWidget(buttons)
        self.setTabOrder(self.components, self.copy_button)
        self.setTabOrder(self.copy_button, self.about_qt_button)
        self.setTabOrder(self.about_qt_button, self.close_button)
        self.close_button.setFocus()

    def _details_html(self) -> str:
        paragraphs = [
            self.tr(
                "A desktop admin console for Calendly organizations, with a built-in local sandbox."
            ),
            self.tr("Built with Qt %1 and PySide6 %2 on Python %3 (%4).")
            .replace("%1", qVersion())
            .replace("%2", _version_of(COMPONENTS[1]))
            .replace("%3", platform.python_version())
            .replace("%4", platform.system() or sys.platform),
            self.tr("Calendly Console is free software under the MIT licence."),
            self.tr("Calendly is a trademark of Calendly LLC; this app is not affiliated with it."),
        ]
        return "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)

    def _components_table(self) -> QTableWidget:
        rows = bundled_components()
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("aboutComponents")
        table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence")]
        )
        table.setAccessibleName(self.tr("Bundled components"))
        table.setAccessibleDescription(
            self.tr("Each third-party component the app ships, with its version and licence")
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, (component, version) in enumerate(rows):
            for column, text in enumerate((component.name, version, component.licence)):
                table.setItem(row, column, QTableWidgetItem(text))
        return table

    def details_text(self) -> str:
        """Plain text of what the box shows, for a bug report."""
        lines = [
            f"Calendly Console {desktop.__version__}",
            f"Qt {qVersion()}, Python {platform.python_version()}, {platform.platform()}",
            "",
        ]
        lines += [f"{c.name} {version} ({c.licence})" for c, version in bundled_components()]
        return "\n".join(lines) + "\n"

    def copy_details(self) -> None:
        """Put ``details_text()`` on the clipboard."""
        QGuiApplication.clipboard().setText(self.details_text())

    def _about_qt(self) -> None:
        # Qt's own box (its version and licences); modal, from a plain slot, never a coroutine.
        QMessageBox.aboutQt(self, self.tr("About Qt"))
