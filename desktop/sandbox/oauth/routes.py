"""The OAuth 2.0 endpoints (facts §7): authorize + consent, token, revoke, introspect, metadata.

Calendly serves these on ``auth.calendly.com``; the sandbox serves them on its own host beside
the API, and its RFC 8414 metadata names that host as the issuer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from desktop.sandbox.auth import SCOPES
from desktop.sandbox.oauth import clients, codes, grants, pages, scopes
from desktop.sandbox.oauth.control import ROUTES as CONTROL_ROUTES
from desktop.sandbox.oauth.protocol import (
    NO_STORE,
    OAuthError,
    answering_errors,
    invalid_request,
    invalid_scope,
    json_answer,
    read_form,
    redirect,
    required,
    single,
)
from desktop.sandbox.state import SandboxState
from desktop.sandbox.store import Record

GRANT_TYPES = ("authorization_code", "refresh_token")
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


# -- authorization endpoint -------------------------------------------------------------------
async def authorize(request: Request) -> Response:
    """Validate the request; an untrusted client or redirect URI gets an error page, anything
    else wrong goes back to the client as ``error=...`` (RFC 6749 §4.1.2.1)."""
    state = _state(request)
    pairs = list(request.query_params.multi_items())
    for name in ("client_id", "redirect_uri"):
        if sum(1 for key, _ in pairs if key == name) > 1:
            return pages.error_page(f"The {name} parameter was given more than once.")
    query = dict(pairs)
    client_id = query.get("client_id", "")
    client = clients.find(state.store, client_id, state.clock.now()) if client_id else None
    if client is None:
        return pages.error_page(
            f"Unknown client_id {client_id!r}." if client_id else "The client_id is missing."
        )
    redirect_uri = query.get("redirect_uri", "")
    if not redirect_uri:
        return pages.error_page("The redirect_uri is missing.")
    if not clients.redirect_allowed(client, redirect_uri):
        return pages.error_page(
            f"The redirect_uri {redirect_uri!r} is not registered for {client['name']}."
        )
    try:
        wanted = _authorization_request(client, redirect_uri, single(pairs))
    except OAuthError as error:
        params = {"error": error.error, "error_description": error.description}
        return redirect(redirect_uri, {**params, "state": query.get("state") or None})
    handle = codes.start(state, wanted)
    pending = codes.pending(state, handle)
    assert pending is not None
    people = pages.members(state.store)
    return pages.consent_page(client, pending, handle, people, wanted.login_hint)


def _authorization_request(
    client: Record, redirect_uri: str, query: dict[str, str]
) -> codes.AuthorizationRequest:
    response_type = query.get("response_type")
    if not response_type:
        raise invalid_request("The 'response_type' parameter is required.")
    if response_type != "code":
        raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
    challenge = query.get("code_challenge") or None
    method = query.get("code_challenge_method") or None
    if challenge is None:
        if method is not None:
            raise invalid_request("code_challenge_method was sent without a code_challenge.")
        if client["require_pkce"]:
            raise invalid_request("The 'code_challenge' parameter is required (PKCE, S256).")
    else:
        if method != "S256":
            raise invalid_request("code_challenge_method must be S256 (plain is not supported).")
        if not codes.valid_challenge(challenge):
            raise invalid_request("code_challenge must be 43 base64url characters (S256).")
    return codes.AuthorizationRequest(
        client_id=str(client["id"]),
        redirect_uri=redirect_uri,
        scopes=_requested_scopes(client, query.get("scope")),
        state=query.get("state") or None,
        code_challenge=challenge,
        login_hint=(query.get("login_hint") or "").lower() or None,
    )


def _requested_scopes(client: Record, text: str | None) -> list[str]:
    """Space-separated; none asked means everything the client is registered for."""
    if not text or not text.strip():
        return scopes.ordered(client["scopes"])
    wanted = scopes.split(text)
    bad = scopes.unknown(wanted)
    if bad:
        raise invalid_scope(f"Unknown scope: {' '.join(bad)}.")
    beyond = [s for s in wanted if s not in client["scopes"]]
    if beyond:
        raise invalid_scope(f"Not allowed for this client: {' '.join(beyond)}.")
    return scopes.ordered(wanted)


async def decide(request: Request) -> Response:
    """The consent form's answer: Allow issues a code, Deny answers ``access_denied``."""
    state = _state(request)
    try:
        form = await read_form(request)
    except OAuthError as error:
        return pages.error_page(error.description)
    pending = codes.pending(state, form.get("request", ""))
    if pending is None:
        return pages.error_page("This authorization request has expired or was already answered.")
    decision = form.get("decision")
    back = {"state": pending["state"]}
    if decision == "deny":
        codes.decide(state, pending, None)
        description = "The user denied the request."
        return redirect(
            pending["redirect_uri"],
            {"error": "access_denied", "error_description": description, **back},
        )
    if decision != "allow":
        return pages.error_page("Choose Allow or Deny.")
    email = form.get("user", "").strip().lower()
    chosen = next((u for _, u in pages.members(state.store) if u["email"] == email), None)
    if chosen is None:
        return pages.error_page("Choose one of the listed users.")
    code = codes.decide(state, pending, str(chosen["id"]))
    return redirect(pending["redirect_uri"], {"code": code, **back})


# -- token, revocation, introspection ---------------------------------------------------------
async def _client_form(request: Request) -> tuple[SandboxState, Record, dict[str, str]]:
    state = _state(request)
    form = await read_form(request)
    client = clients.authenticate(
        state.store, request.headers.get("authorization"), form, state.clock.now()
    )
    return state, client, form


@answering_errors
async def token(request: Request) -> Response:
    state, client, form = await _client_form(request)
    grant_type = required(form, "grant_type")
    if grant_type == "authorization_code":
        return json_answer(grants.exchange_code(state, client, form))
    if grant_type == "refresh_token":
        return json_answer(grants.refresh(state, client, form))
    raise OAuthError("unsupported_grant_type", f"Unsupported grant_type {grant_type!r}.")


@answering_errors
async def revoke(request: Request) -> Response:
    """RFC 7009: 200 with no body, also for tokens that are unknown or already revoked."""
    state, client, form = await _client_form(request)
    if not grants.revoke(state, client, required(form, "token")):
        raise OAuthError("unauthorized_client", "The token was not issued to this client.", 403)
    return Response(status_code=200, headers=NO_STORE)


@answering_errors
async def introspect(request: Request) -> Response:
    state, client, form = await _client_form(request)
    return json_answer(grants.introspect(state, client, required(form, "token")))


async def metadata(request: Request) -> Response:
    """RFC 8414 authorization server metadata, on the sandbox's own host."""
    base = _state(request).base_url
    return JSONResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "introspection_endpoint": f"{base}/oauth/introspect",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": list(GRANT_TYPES),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "revocation_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "introspection_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "scopes_supported": list(SCOPES),
        }
    )


ROUTES: list[BaseRoute] = [
    Route("/oauth/authorize", authorize, methods=["GET"]),
    Route(pages.DECISION_PATH, decide, methods=["POST"]),
    Route("/oauth/token", token, methods=["POST"]),
    Route("/oauth/revoke", revoke, methods=["POST"]),
    Route("/oauth/introspect", introspect, methods=["POST"]),
    Route("/.well-known/oauth-authorization-server", metadata, methods=["GET"]),
    *CONTROL_ROUTES,
]
