"""``GET /activity_log_entries``: the organization's audit trail (Enterprise; facts §2.9).

Only an owner or admin of an Enterprise organization may read it; other plans get 403
"Please upgrade your Calendly account to Enterprise.". Array parameters (``actor``,
``namespace``, ``action``, ``sort``) come as repeated keys (comma-separated values are read
too). ``min_occurred_at`` is inclusive and ``max_occurred_at`` exclusive, like the
scheduled events' window. ``search_term`` is described in ``search_terms``. The answer adds
``total_count`` (capped at 10,000, with ``exceeds_max_total_count`` telling when the cap
was hit), and ``last_event_time``, the newest ``occurred_at`` in the page (null if empty).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop.sandbox import search_terms
from desktop.sandbox.endpoint import Call, endpoint
from desktop.sandbox.errors import ApiError, denied, detail, gather, invalid, invalid_many
from desktop.sandbox.pagination import paginate, parse_count, parse_sort
from desktop.sandbox.render import activity as render
from desktop.sandbox.wire import iso

SORTS = {
    "occurred_at": "occurred_at",
    "action": "action",
    "namespace": "namespace",
    "actor.display_name": "actor_name",
    "actor.uri": "actor",
}
DEFAULT_SORT = "occurred_at:desc"
MAX_TOTAL_COUNT = 10_000
UPGRADE = "Please upgrade your Calendly account to Enterprise."
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def require_enterprise_admin(call: Call, org_id: str) -> None:
    """The caller's own Enterprise organization, and an owner or admin asking (403 otherwise)."""
    call.caller.require_org(org_id)
    org = call.state.store.get("organizations", org_id)
    if org is None or org.get("plan") != "enterprise":
        raise denied(UPGRADE)
    if not call.caller.is_admin:
        raise denied()


def listed(call: Call, name: str) -> list[str]:
    """An array query parameter: repeated keys and/or comma-separated values."""
    values = call.request.query_params.getlist(name)
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _names(call: Call, name: str, problems: list[dict[str, str]]) -> list[str]:
    values = listed(call, name)
    if any(not _NAME.match(v) for v in values):
        problems.append(detail(name, "must contain only letters, digits, '-' and '_'"))
    return values


def _actors(call: Call, problems: list[dict[str, str]]) -> list[str]:
    found = []
    for value in listed(call, "actor"):
        try:
            found.append(call.state.uris.parse(value, "users", "actor"))
        except ApiError as error:
            problems.extend(error.details or [])
    return found


def _search(call: Call) -> search_terms.Node | None:
    text = call.text("search_term")
    if text is None:
        return None
    if len(text) > search_terms.MAX_LENGTH:
        raise invalid("search_term", f"must be at most {search_terms.MAX_LENGTH} characters")
    return search_terms.parse(text)


def _link(call: Call, count: int, token: str | None) -> str | None:
    """A page URL repeating every query parameter (repeated keys too) with ``page_token``."""
    if token is None:
        return None
    items = [
        (k, v)
        for k, v in call.request.query_params.multi_items()
        if k not in ("count", "page_token")
    ]
    items += [("count", str(count)), ("page_token", token)]
    return f"{call.state.base_url}{call.request.url.path}?{urlencode(items)}"


@endpoint("activity_log:read")
def list_entries(call: Call) -> Response:
    problems: list[dict[str, str]] = []
    org_id = gather(problems, lambda: call.uri("organization", "organizations", required=True))
    search = gather(problems, lambda: _search(call))
    actors = _actors(call, problems)
    namespaces = _names(call, "namespace", problems)
    actions = _names(call, "action", problems)
    low = gather(problems, lambda: call.time("min_occurred_at"))
    high = gather(problems, lambda: call.time("max_occurred_at"))
    if low is not None and high is not None and high <= low:
        problems.append(detail("max_occurred_at", "must be after min_occurred_at"))
    count = gather(problems, lambda: parse_count(call.text("count")))
    sort = ",".join(listed(call, "sort")) or None
    keys = gather(problems, lambda: parse_sort(sort, SORTS, DEFAULT_SORT))
    if problems or org_id is None or count is None or keys is None:
        raise invalid_many(problems)
    require_enterprise_admin(call, org_id)

    clauses = ["organization = ?"]
    params: list[Any] = [org_id]
    for column, values in (("actor", actors), ("namespace", namespaces), ("action", actions)):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += values
    if low is not None:
        clauses.append("occurred_at >= ?")
        params.append(iso(low))
    if high is not None:
        clauses.append("occurred_at < ?")
        params.append(iso(high))
    if search is not None:
        sql, more = search_terms.to_sql(search, "search")
        clauses.append(sql)
        params += more
    where = " AND ".join(clauses)
    store = call.state.store
    url = f"{call.state.base_url}{call.request.url.path}"
    with store.lock:
        page = paginate(
            store, "activity_log", where, params, keys, count, call.text("page_token"), url, {}
        )
        total = store.count("activity_log", where, params)
    pagination = dict(page.pagination)
    pagination["next_page"] = _link(call, count, pagination["next_page_token"])
    pagination["previous_page"] = _link(call, count, pagination["previous_page_token"])
    stamps = [r["occurred_at"] for r in page.records]
    return JSONResponse(
        {
            "collection": [render.entry(call.state, r) for r in page.records],
            "pagination": pagination,
            "last_event_time": max(stamps) if stamps else None,
            "total_count": min(total, MAX_TOTAL_COUNT),
            "exceeds_max_total_count": total > MAX_TOTAL_COUNT,
        }
    )


ROUTES = [Route("/activity_log_entries", list_entries, methods=["GET"])]
