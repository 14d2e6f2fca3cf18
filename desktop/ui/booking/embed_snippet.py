"""The embed URL, widget.js address, allowed origin and copyable HTML snippet, from the controls."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Literal
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

EmbedMode = Literal["inline", "popup"]

CALENDLY_HOST = "calendly.com"
CALENDLY_ORIGIN = "https://calendly.com"
# Calendly's own assets (facts §8.1); a sandbox serves its compatible copy at the same path.
CALENDLY_ASSETS = "https://assets.calendly.com"
WIDGET_PATH = "/assets/external/widget.js"
WIDGET_CSS_PATH = "/assets/external/widget.css"
ANSWER_COUNT = 10  # custom answers a1..a10, by the question's position
MAX_GUESTS = 10
INLINE_STYLE = "min-width:320px;height:700px;"
_COLOUR = re.compile(r"[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Prefill:
    """What the booking form starts with (Calendly's ``prefill``; URL names in facts §8.3)."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    guests: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # answers[0] is a1 ... answers[9] is a10
    date: Date | None = None


@dataclass(frozen=True)
class Utm:
    """UTM parameters: the five Calendly captures into an invitee's ``tracking``."""

    campaign: str = ""
    source: str = ""
    medium: str = ""
    content: str = ""
    term: str = ""


@dataclass(frozen=True)
class PageSettings:
    """How the booking page looks; colours are six hex digits without ``#``."""

    hide_event_type_details: bool = False
    hide_landing_page_details: bool = False
    hide_gdpr_banner: bool = False
    background_color: str = ""
    text_color: str = ""
    primary_color: str = ""


@dataclass(frozen=True)
class EmbedOptions:
    """Everything the embed lab's controls say: what to embed, how, with which parameters."""

    url: str  # a scheduling_url: an event type's or a member's page
    mode: EmbedMode = "inline"
    prefill: Prefill = field(default_factory=Prefill)
    utm: Utm = field(default_factory=Utm)
    page: PageSettings = field(default_factory=PageSettings)
    link_text: str = "Schedule time with me"  # the popup's link


def colour_problem(text: str) -> str | None:
    """Why ``text`` is no colour Calendly takes (``None`` when empty or fine); English, the UI
    translates its own message."""
    value = text.strip().removeprefix("#")
    if not value or _COLOUR.fullmatch(value):
        return None
    return "six hexadecimal digits, such as 00a2ff"


def colour_value(text: str) -> str:
    """A colour as the URL wants it: six lower-case hex digits without ``#``; "" if invalid."""
    value = text.strip().removeprefix("#")
    return value.lower() if _COLOUR.fullmatch(value) else ""


def split_guests(text: str) -> tuple[str, ...]:
    """Guests typed as a list separated by commas, semicolons, spaces or new lines."""
    return tuple(part for part in re.split(r"[,;\s]+", text) if part)


def query_parameters(options: EmbedOptions) -> list[tuple[str, str]]:
    """The booking page's URL parameters for these options, in a stable order; empty ones left
    out (Calendly's names, facts §8.3; ``guests`` is one comma-separated value)."""
    prefill, utm, page = options.prefill, options.utm, options.page
    params: list[tuple[str, str]] = []
    flags = (
        ("hide_event_type_details", page.hide_event_type_details),
        ("hide_landing_page_details", page.hide_landing_page_details),
        ("hide_gdpr_banner", page.hide_gdpr_banner),
    )
    params += [(name, "1") for name, on in flags if on]
    colours = (
        ("background_color", page.background_color),
        ("text_color", page.text_color),
        ("primary_color", page.primary_color),
    )
    params += [(name, colour_value(value)) for name, value in colours]
    guests = [guest.strip() for guest in prefill.guests if guest.strip()][:MAX_GUESTS]
    params += [
        ("name", prefill.name.strip()),
        ("first_name", prefill.first_name.strip()),
        ("last_name", prefill.last_name.strip()),
        ("email", prefill.email.strip()),
        ("guests", ",".join(guests)),
        ("date", prefill.date.isoformat() if prefill.date is not None else ""),
    ]
    answers = prefill.answers[:ANSWER_COUNT]
    params += [(f"a{position}", answer) for position, answer in enumerate(answers, start=1)]
    params += [
        ("utm_campaign", utm.campaign.strip()),
        ("utm_source", utm.source.strip()),
        ("utm_medium", utm.medium.strip()),
        ("utm_content", utm.content.strip()),
        ("utm_term", utm.term.strip()),
    ]
    return [(name, value) for name, value in params if value != ""]


def embed_url(options: EmbedOptions) -> str:
    """The scheduling URL with the options' parameters added (any it had are kept, ours win)."""
    parts = _checked_url(options.url)
    ours = query_parameters(options)
    names = {name for name, _ in ours}
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in names]
    # Percent-encoded as encodeURIComponent would (commas too), so the URL survives any context.
    query = urlencode(kept + ours, quote_via=quote, safe="")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def embed_origin(url: str) -> str:
    """The origin the embed's messages come from: the scheduling URL's scheme, host and port."""
    parts = _checked_url(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def is_calendly(url: str) -> bool:
    """Whether ``url`` is on Calendly itself (then widget.js comes from Calendly's assets)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == CALENDLY_HOST or host.endswith("." + CALENDLY_HOST)


def widget_script_url(url: str) -> str:
    """widget.js for a scheduling URL: Calendly's, or the sandbox's compatible one."""
    base = CALENDLY_ASSETS if is_calendly(url) else embed_origin(url)
    return base + WIDGET_PATH


def widget_css_url(url: str) -> str:
    """widget.css (the popup's styles) beside :func:`widget_script_url`."""
    base = CALENDLY_ASSETS if is_calendly(url) else embed_origin(url)
    return base + WIDGET_CSS_PATH


def snippet_html(options: EmbedOptions) -> str:
    """The HTML to paste into a web page: Calendly's own inline or popup snippet."""
    url = embed_url(options)
    script = html.escape(widget_script_url(options.url))
    if options.mode == "popup":
        css = html.escape(widget_css_url(options.url))
        # JSON is a valid JavaScript string literal; html.escape then makes it a safe attribute.
        call = html.escape(f"Calendly.initPopupWidget({{url: {json.dumps(url)}}});return false;")
        return (
            "<!-- Calendly link widget begin -->\n"
            f'<link href="{css}" rel="stylesheet">\n'
            f'<script src="{script}" type="text/javascript" async></script>\n'
            f'<a href="" onclick="{call}">{html.escape(options.link_text)}</a>\n'
            "<!-- Calendly link widget end -->\n"
        )
    return (
        "<!-- Calendly inline widget begin -->\n"
        f'<div class="calendly-inline-widget" data-url="{html.escape(url)}" '
        f'style="{INLINE_STYLE}"></div>\n'
        f'<script type="text/javascript" src="{script}" async></script>\n'
        "<!-- Calendly inline widget end -->\n"
    )


def _checked_url(url: str) -> SplitResult:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a web address to embed: {url!r}")
    return parts
