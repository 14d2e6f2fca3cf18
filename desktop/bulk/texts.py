"""Sentences the bulk engine shows, kept translatable, and Calendly's words for an error."""

from __future__ import annotations

from datetime import datetime

from desktop.api import APIStatusError, CalendlyError


class Text(str):
    """An English sentence that keeps its ``template`` and ``values``, so the UI can translate
    it: ``QCoreApplication.translate`` the template, format the values with ``QLocale``
    (datetimes stay datetimes in ``values``), then ``template.format(**values)``."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Text:
        english = {name: english_value(value) for name, value in values.items()}
        text = super().__new__(cls, template.format(**english))
        text.template = template
        text.values = dict(values)
        return text


def english_value(value: object) -> object:
    """A value as the English text shows it: times in this computer's zone, "Thu 3 Dec 10:00"."""
    if isinstance(value, datetime):
        local = value.astimezone()
        return f"{local:%a} {local.day} {local:%b %H:%M}"
    return value


def explain(error: BaseException) -> str:
    """Calendly's words for an error: title, message and the fields it named."""
    if isinstance(error, APIStatusError):
        text = error.message
        if error.title and error.title != error.message:
            text = f"{error.title}: {error.message}"
        named = [f"{p.parameter} {p.message}" if p.parameter else p.message for p in error.details]
        return f"{text} ({'; '.join(named)})" if named else text
    if isinstance(error, CalendlyError):
        return error.message
    return str(error) or type(error).__name__


def says(error: APIStatusError, words: str) -> bool:
    """Whether Calendly's answer contains ``words`` (lower case), e.g. "already canceled"."""
    return words in explain(error).casefold()
