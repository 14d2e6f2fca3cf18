"""Translations: lupdate extracts, a compiled catalogue translates; numbers, dates via QLocale."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

import desktop
from desktop.ui.about import AboutDialog
from desktop.ui.i18n import (
    format_count,
    format_date,
    format_datetime,
    format_duration_seconds,
    install_translations,
)

CHECKOUT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent


def _messages(ts_file: Path) -> dict[str, dict[str, ET.Element]]:
    """{context: {source text: <message>}} of a Qt .ts file."""
    found: dict[str, dict[str, ET.Element]] = {}
    # Our own lupdate output, not untrusted input.
    for context in ET.parse(ts_file).getroot().iter("context"):  # noqa: S314
        messages = found.setdefault(context.findtext("name") or "", {})
        for message in context.iter("message"):
            messages[message.findtext("source") or ""] = message
    return found


def extract(source: str, ts_file: Path) -> dict[str, dict[str, ET.Element]]:
    """What pyside6-lupdate offers translators from ``source`` (a folder of the checkout)."""
    subprocess.run(
        [TOOLS / "pyside6-lupdate", "-extensions", "py", source, "-ts", ts_file],
        cwd=CHECKOUT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return _messages(ts_file)


def test_lupdate_extracts_the_ui_strings(tmp_path: Path) -> None:
    messages = extract("desktop/ui", tmp_path / "calendly-console_xx.ts")

    about = messages["AboutDialog"]
    for source in [
        "About Calendly Console",
        "Version %1",
        "&Bundled components:",
        "Component",
        "Licence",
        "&Copy details",
        "About &Qt",
        "&Close",
        "bundled",
    ]:
        assert source in about, source
    assert set(messages["Appearance"]) >= {"Follow &system", "&Light", "&Dark"}
    minutes = messages["Duration"]["%1 min"]
    assert minutes.get("numerus") == "yes"  # translators get plural forms
    assert minutes.findtext("comment") == "minutes"


@pytest.fixture
def installed(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """Translators a test installs; removed again afterwards."""
    translators: list[QTranslator] = []
    yield translators
    for translator in translators:
        if shiboken6.isValid(translator):  # a later install may have deleted it already
            qapp.removeTranslator(translator)


SPANISH_TS = textwrap.dedent(
    """\
    <?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE TS>
    <TS version="2.1" language="es_ES">
    <context>
        <name>AboutDialog</name>
        <message>
            <source>About Calendly Console</source>
            <translation>Acerca de Calendly Console</translation>
        </message>
        <message>
            <source>Version %1</source>
            <translation>Versión %1</translation>
        </message>
    </context>
    <context>
        <name>Duration</name>
        <message numerus="yes">
            <source>%1 min</source>
            <comment>minutes</comment>
            <translation>
                <numerusform>%1 minuto</numerusform>
                <numerusform>%1 minutos</numerusform>
            </translation>
        </message>
    </context>
    </TS>
    """
)


def test_a_compiled_catalogue_translates_the_about_box(
    tmp_path: Path, qapp: QApplication, qtbot: Any, installed: list[QTranslator]
) -> None:
    source = tmp_path / "calendly-console_es.ts"
    source.write_text(SPANISH_TS, encoding="utf-8")
    subprocess.run(
        [TOOLS / "pyside6-lrelease", source, "-qm", tmp_path / "calendly-console_es.qm"],
        check=True,
        capture_output=True,
        timeout=120,
    )

    installed += install_translations(qapp, QLocale("es_ES"), directory=tmp_path)

    assert len(installed) == 2  # Qt's own Spanish and ours
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.windowTitle() == "Acerca de Calendly Console"
    assert dialog.version_label.text() == f"Versión {desktop.__version__}"
    assert dialog.close_button.text() == "&Close"  # not in the tiny catalogue: stays English
    assert format_duration_seconds(60) == "1 minuto"
    assert format_duration_seconds(180) == "3 minutos"
    # Qt's own strings come from its qtbase catalogue.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"


def test_installing_again_replaces_the_previous_language(
    tmp_path: Path, qapp: QApplication, installed: list[QTranslator]
) -> None:
    installed += install_translations(qapp, QLocale("de_DE"), directory=tmp_path)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"

    installed += install_translations(qapp, QLocale("en_US"), directory=tmp_path)

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_language_without_a_catalogue_stays_english(
    tmp_path: Path, qapp: QApplication, installed: list[QTranslator]
) -> None:
    installed += install_translations(qapp, QLocale("fr_FR"), directory=tmp_path / "none")
    assert [Path(t.filePath()).name for t in installed] == ["qtbase_fr.qm"]  # Qt's own only
    assert format_duration_seconds(180) == "3 min"


def test_numbers_follow_the_locale() -> None:
    assert format_count(1234567, QLocale("en_US")) == "1,234,567"
    assert format_count(1234567, QLocale("de_DE")) == "1.234.567"
    assert format_count(12_000_000_000, QLocale("en_US")) == "12,000,000,000"
    assert format_date(datetime(2026, 3, 14).date(), QLocale("de_DE")) == "14.03.26"


@pytest.mark.parametrize(
    ("seconds", "english"),
    [
        (0, "0 s"),
        (-3, "0 s"),
        (42, "42 s"),
        (59.4, "59 s"),
        (200, "3 min"),
        (3600, "1 h"),
        (7500, "2 h 5 min"),
        (3 * 86400 + 4 * 3600, "3 d 4 h"),
        (2 * 86400, "2 d"),
    ],
)
def test_durations(seconds: float, english: str) -> None:
    assert format_duration_seconds(seconds, QLocale("en_US")) == english


def test_long_durations_group_digits_by_locale() -> None:
    assert format_duration_seconds(1500 * 86400, QLocale("de_DE")) == "1.500 d"


def test_datetimes_are_shown_in_local_time(tmp_path: Path) -> None:
    """Run where the local zone is known (UTC+05:30, no DST): an API time in UTC, shown local."""
    script = textwrap.dedent(
        """
        from datetime import UTC, datetime
        from PySide6.QtCore import QCoreApplication, QLocale
        from desktop.ui.i18n import format_datetime
        app = QCoreApplication([])
        print(format_datetime(datetime(2026, 3, 14, 15, 9, tzinfo=UTC), QLocale("de_DE")))
        print(format_datetime(datetime(2026, 3, 14, 20, 39), QLocale("de_DE")))  # naive: local
        print(format_datetime(datetime(2026, 3, 14, 15, 9, tzinfo=UTC), QLocale("en_US")))
        """
    )
    env = {**os.environ, "TZ": "Asia/Kolkata", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    aware, naive, english = result.stdout.splitlines()
    assert aware == "14.03.26 20:39"
    assert naive == aware
    assert english.replace("\u202f", " ") == "3/14/26 8:39 PM"


def test_format_datetime_uses_the_default_locale() -> None:
    moment = datetime(2026, 3, 14, 15, 9, tzinfo=UTC)
    assert format_datetime(moment) == format_datetime(moment, QLocale())
