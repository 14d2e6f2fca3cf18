"""The pages' HTML shell (no external assets), the profile page and the not-found page.

Everything from the URL, the form or the store is escaped; the page's data for its script
travels as JSON in a ``<script type="application/json">`` block with ``<``, ``>`` and ``&``
escaped, so no value can close the block. The script and styles are the sandbox's own files
(``/assets/booking/``); the Content-Security-Policy allows nothing else to run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from starlette.responses import HTMLResponse

from desktop.sandbox.embed.params import Settings
from desktop.sandbox.store import Record

ASSETS = "/assets/booking"
MISSING = "This booking link is not valid."
HEADERS = {
    "Cache-Control": "no-store",
    # Calendly's pages are made to be framed by any site: no X-Frame-Options.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'; frame-ancestors *"
    ),
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def attr(value: object) -> str:
    """A value for a double-quoted attribute."""
    return escape(str(value), quote=True)


def data_json(data: dict[str, Any]) -> str:
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _style(settings: Settings) -> str:
    """CSS variables for the colours the URL chose (already checked to be ``#rrggbb``)."""
    pairs = [
        ("--cal-bg", settings.background_color),
        ("--cal-text", settings.text_color),
        ("--cal-primary", settings.primary_color),
    ]
    found = "; ".join(f"{name}: {value}" for name, value in pairs if value)
    return f' style="{attr(found)}"' if found else ""


def gdpr_banner(settings: Settings) -> str:
    if settings.hide_gdpr_banner:
        return ""
    return (
        '<div id="gdpr-banner" class="cal-gdpr" data-testid="gdpr-banner" role="region" '
        'aria-label="Cookie notice">'
        "<p>This page uses only the cookies it needs to work; this sandbox sets none. "
        "Nothing you enter here leaves this computer.</p>"
        '<button type="button" id="gdpr-close" data-testid="gdpr-close">Close</button></div>'
    )


def document(
    title: str,
    body: str,
    settings: Settings,
    data: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    """A whole page: ``body`` inside ``<main>``, the data block, the page's own script."""
    classes = "cal-page cal-embedded" if settings.embedded else "cal-page"
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{ASSETS}/booking.css">\n'
        "</head>\n"
        f'<body class="{classes}" data-phase="{attr(data.get("phase", ""))}"{_style(settings)}>\n'
        f'<main id="cal-main" class="cal-main">\n{body}\n</main>\n'
        f"{gdpr_banner(settings)}\n"
        f'<script type="application/json" id="cal-data">{data_json(data)}</script>\n'
        f'<script src="{ASSETS}/booking.js"></script>\n'
        "</body>\n</html>\n"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def not_found(settings: Settings, message: str = MISSING) -> HTMLResponse:
    body = (
        '<section id="not-found" class="cal-card cal-missing" data-testid="not-found">'
        f"<h1>Page not found</h1><p>{escape(message)}</p></section>"
    )
    return document("Page not found", body, settings, {"phase": "missing", "announce": []}, 404)


def profile(
    name: str,
    event_types: Sequence[tuple[Record, str]],
    settings: Settings,
    query: str,
) -> HTMLResponse:
    """A user's (or team's) landing page: its bookable event types, each a link to its page."""
    header = ""
    if not settings.hide_landing_page_details:
        header = (
            '<header id="profile-header" class="cal-profile-header" data-testid="profile-header">'
            f'<h1 id="profile-name" data-testid="profile-name">{escape(name)}</h1>'
            "<p>Welcome to my scheduling page. Please follow the instructions to add an "
            "event to my calendar.</p></header>"
        )
    items = []
    for record, url in event_types:
        slug = str(record.get("slug") or record["id"])
        items.append(
            f'<li><a class="cal-type" id="event-type-{attr(slug)}" '
            f'data-testid="event-type-{attr(slug)}" href="{attr(url + query)}" '
            f'style="--cal-type-color: {attr(record.get("color") or "#8247f5")}">'
            f'<span class="cal-type-name">{escape(str(record.get("name") or ""))}</span>'
            f'<span class="cal-type-duration">{int(record.get("duration") or 0)} min</span>'
            "</a></li>"
        )
    listing = (
        f'<ul id="event-types" class="cal-types" data-testid="event-types">{"".join(items)}</ul>'
        if items
        else '<p id="no-event-types" class="cal-note">No event types are available.</p>'
    )
    body = f'<section id="profile" class="cal-card cal-profile">{header}{listing}</section>'
    data = {
        "phase": "profile",
        "announce": [{"event": "calendly.profile_page_viewed", "payload": {}}],
    }
    return document(name or "Scheduling page", body, settings, data)
