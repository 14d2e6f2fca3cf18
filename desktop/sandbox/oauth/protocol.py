"""OAuth wire details: form bodies, RFC 6749 error answers, redirects back to the client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

# RFC 6749 §5.1: token answers must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FORM = "application/x-www-form-urlencoded"


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``{"error": ..., "error_description": ...}`` with a status."""

    def __init__(
        self,
        error: str,
        description: str,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"error": self.error, "error_description": self.description}
        return JSONResponse(body, self.status, headers={**NO_STORE, **self.headers})


def invalid_request(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


def invalid_scope(description: str) -> OAuthError:
    return OAuthError("invalid_scope", description)


def invalid_client(description: str = "Client authentication failed.") -> OAuthError:
    # RFC 6749 §5.2: a 401 names the scheme the client may authenticate with.
    return OAuthError(
        "invalid_client", description, 401, {"WWW-Authenticate": 'Basic realm="Calendly sandbox"'}
    )


def single(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Parameters as a dict; a parameter given twice is an error (RFC 6749 §3.1, §3.2)."""
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in found:
            raise invalid_request(f"The '{name}' parameter was given more than once.")
        found[name] = value
    return found


async def read_form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (the only kind the token endpoint takes)."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != FORM:
        raise invalid_request(f"The request body must be {FORM}.")
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_request("The request body must be UTF-8.") from None
    return single(parse_qsl(text, keep_blank_values=True))


def value(form: Mapping[str, str], name: str) -> str | None:
    """A parameter, ``None`` when absent or empty (RFC 6749 §3.1: empty means omitted)."""
    found = form.get(name)
    return found if found else None


def required(form: Mapping[str, str], name: str) -> str:
    found = value(form, name)
    if found is None:
        raise invalid_request(f"The '{name}' parameter is required.")
    return found


def with_query(uri: str, params: Mapping[str, str | None]) -> str:
    """``uri`` with ``params`` added to its query (keeping a registered query, RFC 6749 §3.1.2)."""
    parts = urlsplit(uri)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def redirect(uri: str, params: Mapping[str, str | None]) -> Response:
    """A 302 back to the client's redirect URI (RFC 6749 §4.1.2)."""
    return RedirectResponse(with_query(uri, params), status_code=302, headers=NO_STORE)


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


def answering_errors(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """Render an ``OAuthError`` raised by ``handler`` as its JSON answer."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except OAuthError as error:
            return error.response()

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def json_answer(body: dict[str, Any], status: int = 200) -> Response:
    return JSONResponse(body, status, headers=NO_STORE)
