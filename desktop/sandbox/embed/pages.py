"""The routes of the booking pages and the embed's assets, beside (not inside) the API.

``<base>/<user slug>`` is a user's landing page, ``<base>/<user slug>/<event slug>`` an event
type's booking page (``/team/<team slug>/...`` for team event types: their
``scheduling_url``), ``.../<start time>`` the deep link ``/event_type_available_times``
gives for one slot; a POST to the event type's page books. ``/assets/external/widget.js``
and ``widget.css`` are the embed script, ``/assets/booking/`` the pages' own script and
styles.

These paths share the API's host, so a page route never matches a path whose first segment
is one of the API's (``/users/...``, ``/_sandbox/...``): those keep their JSON answers
(404, 405). ``Pages.beside`` sends page requests around the API's fault and rate-limit
layers, as calendly.com is not api.calendly.com.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from desktop.sandbox import booking
from desktop.sandbox.embed import event_html, form, html, lookup, params, times
from desktop.sandbox.errors import ApiError
from desktop.sandbox.render.event_types import scheduling_url
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record
from desktop.sandbox.wire import iso, parse_time

STATIC = Path(__file__).parent / "static"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
ASSETS = {
    "/assets/external/widget.js": "widget.js",
    "/assets/external/widget.css": "widget.css",
    "/assets/booking/booking.js": "booking.js",
    "/assets/booking/booking.css": "booking.css",
}
GONE = "This event type is not available."

Endpoint = Callable[[Request], Awaitable[Response]]


def first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


def reserved_segments(routes: Iterable[BaseRoute]) -> frozenset[str]:
    """The first path segments the API (and the control surface) own."""
    found = {"_sandbox"}
    for route in routes:
        path = getattr(route, "path", None)
        if isinstance(path, str):
            first = first_segment(path)
            if first and "{" not in first:
                found.add(first)
    return frozenset(found)


class PageRoute(Route):
    """A page route that stands aside for the API's own paths."""

    def __init__(
        self, path: str, endpoint: Endpoint, methods: list[str], reserved: frozenset[str]
    ) -> None:
        super().__init__(path, endpoint, methods=methods)
        self.reserved = reserved

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and first_segment(str(scope["path"])) in self.reserved:
            return Match.NONE, {}
        return super().matches(scope)


# -- helpers ------------------------------------------------------------------------------------
def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _query(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def _event_type(state: SandboxState, request: Request) -> Record | None:
    found = request.path_params
    if "team" in found:
        return lookup.team_event_type(state, found["team"], found["slug"])
    user = lookup.user_by_slug(state, found["user"])
    return lookup.user_event_type(state, user, found["slug"]) if user is not None else None


def _open(record: Record | None) -> bool:
    return record is not None and bool(record.get("active")) and not record.get("deleted_at")


def _start(value: str) -> datetime | None:
    try:
        return parse_time(value, "start_time")
    except ApiError:
        return None


def _page_month(state: SandboxState, record: Record, month: str | None) -> tuple[str, list[str]]:
    chosen = times.clamp(state, month)
    if chosen is None:
        return times.opening_month(state, record)
    return chosen, times.month_slots(state, record, chosen)


# -- pages --------------------------------------------------------------------------------------
async def user_profile(request: Request) -> Response:
    state, query = _state(request), _query(request)
    settings = params.settings(query)
    user = lookup.user_by_slug(state, request.path_params["user"])
    if user is None:
        return html.not_found(settings)
    types = [(r, scheduling_url(state, r)) for r in lookup.user_event_types(state, user)]
    return html.profile(str(user["name"]), types, settings, params.carried(query))


async def team_profile(request: Request) -> Response:
    state, query = _state(request), _query(request)
    settings = params.settings(query)
    slug = request.path_params["team"]
    name = lookup.team_name(state, slug)
    if name is None:
        return html.not_found(settings)
    types = [(r, scheduling_url(state, r)) for r in lookup.team_event_types(state, slug)]
    return html.profile(name, types, settings, params.carried(query))


async def event_page(request: Request) -> Response:
    """The booking page; with ``{start}`` (a slot's deep link) the form for that start."""
    state, query = _state(request), _query(request)
    settings = params.settings(query)
    record = _event_type(state, request)
    if record is None or not _open(record):
        return html.not_found(settings, GONE if record is not None else html.MISSING)
    view = lookup.event_view(state, record)
    values = form.prefilled(view, query)
    state_form = form.FormState(values=values)
    month = params.preselected_month(query)
    day = params.preselected_date(query)
    asked = request.path_params.get("start")
    if asked is not None:
        start = _start(asked)
        if start is not None and month is None:
            month = f"{start:%Y-%m}"
        if (
            start is not None
            and start > state.clock.now()
            and booking.seats_left(state, record, start) > 0
        ):
            state_form.start_time = iso(start)
    shown, slots = _page_month(state, record, month)
    action = view.path + params.carried(query)
    selected = f"{day:%Y-%m-%d}" if day is not None else None
    return event_html.event_page(state, view, settings, state_form, action, shown, slots, selected)


async def book(request: Request) -> Response:
    """The form's POST: books as ``POST /invitees`` would, or shows the form with its errors."""
    state, query = _state(request), _query(request)
    settings = params.settings(query)
    record = _event_type(state, request)
    if record is None or not _open(record):
        return html.not_found(settings, GONE if record is not None else html.MISSING)
    view = lookup.event_view(state, record)
    values = form.read_body(await request.body())
    outcome = form.submit(state, view, values)
    if isinstance(outcome, form.Booked):
        return event_html.confirmation_page(state, view, settings, outcome.event, outcome.invitee)
    posted = form.FormState(
        values=values,
        start_time=form.first_value(values, "start_time") or None,
        timezone=form.first_value(values, "timezone") or None,
        errors=outcome,
        reposted=True,
    )
    start = _start(posted.start_time or "")
    shown, slots = _page_month(state, record, f"{start:%Y-%m}" if start else None)
    action = view.path + params.carried(query)
    return event_html.event_page(state, view, settings, posted, action, shown, slots, None)


async def slots_json(request: Request) -> Response:
    """``{month, slots}``: the open starts (UTC) of a month, for the picker's month arrows."""
    state = _state(request)
    record = _event_type(state, request)
    if record is None or not _open(record):
        return JSONResponse({"message": GONE}, status_code=404)
    month = times.clamp(state, request.query_params.get("month"))
    if month is None or not params.MONTH.match(month):
        message = (
            f"month must be YYYY-MM from {times.this_month(state)} to {times.last_month(state)}"
        )
        return JSONResponse({"message": message}, status_code=400)
    slots = times.month_slots(state, record, month)
    return JSONResponse({"month": month, "slots": slots}, headers={"Cache-Control": "no-store"})


def _asset(name: str) -> Endpoint:
    async def serve(request: Request) -> Response:
        media = MEDIA_TYPES[Path(name).suffix]
        headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
        return Response((STATIC / name).read_bytes(), media_type=media, headers=headers)

    return serve


# -- the routes ---------------------------------------------------------------------------------
class Pages:
    """The page routes, given the API's routes (whose first path segments they leave alone)."""

    def __init__(self, api_routes: Iterable[BaseRoute]) -> None:
        self.reserved = reserved_segments(api_routes)

        def page(path: str, endpoint: Endpoint, methods: tuple[str, ...] = ("GET",)) -> Route:
            return PageRoute(path, endpoint, list(methods), self.reserved)

        self.routes: list[BaseRoute] = [
            *(Route(path, _asset(name), methods=["GET"]) for path, name in ASSETS.items()),
            page("/team/{team}", team_profile),
            page("/team/{team}/{slug}", event_page),
            page("/team/{team}/{slug}", book, ("POST",)),
            page("/team/{team}/{slug}/slots.json", slots_json),
            page("/team/{team}/{slug}/{start}", event_page),
            page("/{user}", user_profile),
            page("/{user}/{slug}", event_page),
            page("/{user}/{slug}", book, ("POST",)),
            page("/{user}/{slug}/slots.json", slots_json),
            page("/{user}/{slug}/{start}", event_page),
        ]

    def is_page(self, path: str) -> bool:
        first = first_segment(path)
        return bool(first) and first not in self.reserved

    def beside(self, api: ASGIApp, app: ASGIApp) -> ASGIApp:
        """``api`` (the app inside the API's layers) for API paths, ``app`` itself for pages."""

        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and self.is_page(str(scope["path"])):
                await app(scope, receive, send)
            else:
                await api(scope, receive, send)

        return serve
