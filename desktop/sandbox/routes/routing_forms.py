"""``/routing_forms`` and ``/routing_form_submissions`` (facts §2.6): read-only, any member."""

from __future__ import annotations

from typing import TypeVar

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.endpoint import Call, collection, endpoint, resource
from desktop.sandbox.errors import gather, invalid_many
from desktop.sandbox.pagination import parse_count, parse_sort
from desktop.sandbox.render import routing as render
from desktop.sandbox.store import Record

SORTS = {"created_at": "created_at"}
DEFAULT_SORT = "created_at:asc"

T = TypeVar("T")


def _check_listing(call: Call, problems: list[dict[str, str]]) -> None:
    """Add ``count`` and ``sort`` problems; raise every collected problem at once."""
    gather(problems, lambda: parse_count(call.text("count")))
    gather(problems, lambda: parse_sort(call.text("sort"), SORTS, DEFAULT_SORT))
    if problems:
        raise invalid_many(problems)


def _form(call: Call, ident: str) -> Record:
    """A routing form of the caller's organization (404 unknown, 403 another org's)."""
    record = call.lookup("routing_forms", ident)
    call.caller.require_org(record["organization"])
    return record


@endpoint("routing_forms:read")
def list_forms(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org = gather(problems, lambda: call.uri("organization", "organizations", required=True))
    _check_listing(call, problems)
    assert org is not None
    call.caller.require_org(org)
    page = call.page("routing_forms", "organization = ?", [org], SORTS, DEFAULT_SORT)
    items = [render.routing_form(call.state, record) for record in page.records]
    return collection(items, page.pagination)


@endpoint("routing_forms:read")
def get_form(call: Call) -> Response:
    return resource(render.routing_form(call.state, _form(call, call.path("uuid"))))


@endpoint("routing_forms:read")
def list_submissions(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    form_id = gather(problems, lambda: call.uri("form", "routing_forms", required=True))
    _check_listing(call, problems)
    assert form_id is not None
    form = _form(call, form_id)
    page = call.page("routing_submissions", "routing_form = ?", [form["id"]], SORTS, DEFAULT_SORT)
    items = [render.submission(call.state, record) for record in page.records]
    return collection(items, page.pagination)


@endpoint("routing_forms:read")
def get_submission(call: Call) -> Response:
    record = call.found("routing_submissions")
    form = call.lookup("routing_forms", record["routing_form"])
    call.caller.require_org(form["organization"])
    return resource(render.submission(call.state, record))


ROUTES: list[BaseRoute] = [
    Route("/routing_forms", list_forms, methods=["GET"]),
    Route("/routing_forms/{uuid}", get_form, methods=["GET"]),
    Route("/routing_form_submissions", list_submissions, methods=["GET"]),
    Route("/routing_form_submissions/{uuid}", get_submission, methods=["GET"]),
]
