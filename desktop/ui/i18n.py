"""Translations (Qt's and the app's .qm catalogues) and QLocale formatting of numbers and dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
)

from desktop.resources import resource_dir

CATALOGUE = "calendly-console"  # resources/translations/calendly-console_<lang>.qm
_TRANSLATOR_NAME = "calendlyConsoleTranslator"


def install_translations(
    app: QCoreApplication,
    locale: QLocale | None = None,
    directory: Path | str | None = None,
) -> list[QTranslator]:
    """Install Qt's own (qtbase) and the app's translations for ``locale`` (default: QLocale()).

    The app's catalogue is ``calendly-console_<lang>.qm`` in ``directory`` (default: the
    ``resources/translations`` folder); a language without one simply stays in English. Calling it
    again (say, after the user picked another language) replaces the translators it installed
    before. Returns the translators installed (each parented to ``app``).
    """
    locale = QLocale() if locale is None else locale
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)  # no longer the app's: freed once no one refers to it
    if directory is None:
        found = resource_dir("translations")
        app_dir = str(found) if found is not None else None
    else:
        app_dir = str(directory)
    catalogues = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    if app_dir is not None:
        catalogues.append((CATALOGUE, app_dir))
    installed: list[QTranslator] = []
    for name, folder in catalogues:
        translator = QTranslator()
        translator.setObjectName(_TRANSLATOR_NAME)
        if translator.load(locale, name, "_", folder) and app.installTranslator(translator):
            translator.setParent(app)
            installed.append(translator)
    return installed


def format_count(n: int, locale: QLocale | None = None) -> str:
    """A whole number with the locale's digit grouping, e.g. "12,345" or "12.345"."""
    return _locale(locale).toString(n)


def format_datetime(moment: datetime, locale: QLocale | None = None) -> str:
    """An instant in the user's local time, in the locale's short date-and-time format.

    Aware datetimes (the API's UTC times) are converted; naive ones are taken as local time.
    """
    msecs = round(moment.timestamp() * 1000)
    local = QDateTime.fromMSecsSinceEpoch(msecs)
    return _locale(locale).toString(local, QLocale.FormatType.ShortFormat)


def format_date(day: date, locale: QLocale | None = None) -> str:
    """A calendar date in the locale's short date format."""
    qdate = QDate(day.year, day.month, day.day)
    return _locale(locale).toString(qdate, QLocale.FormatType.ShortFormat)


def format_duration_seconds(seconds: float, locale: QLocale | None = None) -> str:
    """A short, rounded duration: "42 s", "3 min", "2 h 5 min", "3 d 4 h"."""
    loc = _locale(locale)
    whole = max(0, round(seconds))
    if whole < 60:
        return _seconds(whole, loc)
    minutes = round(whole / 60)
    if minutes < 60:
        return _minutes(minutes, loc)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _pair(_hours(hours, loc), _minutes(minutes, loc)) if minutes else _hours(hours, loc)
    days, hours = divmod(round(whole / 3600), 24)
    return _pair(_days(days, loc), _hours(hours, loc)) if hours else _days(days, loc)


class Duration(QObject):
    """The duration units. ``self.tr`` with a count, because pyside6-lupdate marks only that
    form as plural (``QCoreApplication.translate`` with a count is extracted as singular);
    the class name is the catalogue context, "Duration"."""

    def seconds(self, n: int) -> str:
        return self.tr("%1 s", "seconds", n)

    def minutes(self, n: int) -> str:
        return self.tr("%1 min", "minutes", n)

    def hours(self, n: int) -> str:
        return self.tr("%1 h", "hours", n)

    def days(self, n: int) -> str:
        return self.tr("%1 d", "days", n)


_UNITS = Duration()


def _seconds(n: int, locale: QLocale) -> str:
    return _number(_UNITS.seconds(n), n, locale)


def _minutes(n: int, locale: QLocale) -> str:
    return _number(_UNITS.minutes(n), n, locale)


def _hours(n: int, locale: QLocale) -> str:
    return _number(_UNITS.hours(n), n, locale)


def _days(n: int, locale: QLocale) -> str:
    return _number(_UNITS.days(n), n, locale)


def _number(template: str, value: int, locale: QLocale) -> str:
    # The catalogue picks the plural form from n; the number itself is written by QLocale.
    return template.replace("%1", locale.toString(value))


def _pair(big: str, small: str) -> str:
    template = QCoreApplication.translate(
        "Duration", "%1 %2", "a duration: the larger unit, then the smaller one (2 h 5 min)"
    )
    return template.replace("%1", big, 1).replace("%2", small, 1)


def _locale(locale: QLocale | None) -> QLocale:
    return QLocale() if locale is None else locale
