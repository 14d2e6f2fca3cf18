"""The OAuth tests' browser: follows the authorization flow over real HTTP, reads the consent form.

Nothing here knows the sandbox's internals: it reads the HTML page like a browser would (the
form's action, hidden fields, the user picker and the submit buttons), posts the chosen
button and hands back the redirect the application would receive.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

NATIVE = "calendly-console-sandbox"
WEB = "calendly-console-sandbox-web"
WEB_REDIRECT = "http://localhost:3000/oauth/callback"
LOOPBACK = "http://127.0.0.1:53682/callback"


def pkce() -> tuple[str, str]:
    """A fresh (code_verifier, S256 code_challenge), computed independently of the sandbox."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class ConsentForm:
    """What a browser sees of the consent page's form."""

    action: str = ""
    method: str = ""
    hidden: dict[str, str] = field(default_factory=dict)
    select_name: str = ""
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # value, text, selected
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # text -> (name, value)
    scopes: list[str] = field(default_factory=list)  # the <code> items of the scope list
    labels: dict[str, str] = field(default_factory=dict)  # control id -> label text

    @property
    def selected(self) -> str:
        return next(v for v, _, chosen in self.options if chosen)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = ConsentForm()
        self._option: tuple[str, bool] | None = None
        self._button: tuple[str, str] | None = None
        self._label_for: str | None = None
        self._in_list = self._in_code = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form.action, self.form.method = a.get("action", ""), a.get("method", "")
        elif tag == "input" and a.get("type") == "hidden":
            self.form.hidden[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.form.select_name = a.get("name", "")
        elif tag == "option":
            self._option = (a.get("value", ""), "selected" in a)
        elif tag == "button":
            self._button = (a.get("name", ""), a.get("value", ""))
        elif tag == "label":
            self._label_for = a.get("for", "")
        elif tag == "ul":
            self._in_list = True
        elif tag == "code" and self._in_list:
            self._in_code = True
        self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if tag == "option" and self._option is not None:
            self.form.options.append((self._option[0], text, self._option[1]))
            self._option = None
        elif tag == "button" and self._button is not None:
            self.form.buttons[text] = self._button
            self._button = None
        elif tag == "label" and self._label_for is not None:
            self.form.labels[self._label_for] = text
            self._label_for = None
        elif tag == "code" and self._in_code:
            self.form.scopes.append(text)
            self._in_code = False
        elif tag == "ul":
            self._in_list = False


def read_consent(page: httpx.Response) -> ConsentForm:
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    reader = _Reader()
    reader.feed(page.text)
    return reader.form


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect's Location (each given once)."""
    values = parse_qs(urlsplit(location).query, keep_blank_values=True)
    assert all(len(v) == 1 for v in values.values()), location
    return {k: v[0] for k, v in values.items()}


class Browser:
    """A user agent on the sandbox that never follows redirects: the test is the application."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def authorize(self, **params: str) -> httpx.Response:
        return self.http.get("/oauth/authorize", params=params)

    def decide(self, form: ConsentForm, button: str = "Allow", user: str | None = None) -> Any:
        name, value = form.buttons[button]
        data = {**form.hidden, form.select_name: user or form.selected, name: value}
        return self.http.request(form.method.upper(), form.action, data=data)

    def consent(
        self,
        client_id: str = NATIVE,
        redirect_uri: str = LOOPBACK,
        challenge: str | None = None,
        **extra: str,
    ) -> ConsentForm:
        params = {"client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code"}
        if challenge is not None:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return read_consent(self.authorize(**params, **extra))

    def code(
        self,
        client_id: str = NATIVE,
        redirect_uri: str = LOOPBACK,
        user: str | None = None,
        **extra: str,
    ) -> tuple[str, str]:
        """Run the browser part for a PKCE client: (code, code_verifier)."""
        verifier, challenge = pkce()
        state = secrets.token_urlsafe(12)
        form = self.consent(client_id, redirect_uri, challenge, state=state, **extra)
        answer = self.decide(form, "Allow", user)
        assert answer.status_code == 302, answer.text
        assert answer.headers["location"].startswith(redirect_uri + "?")
        back = query_of(answer.headers["location"])
        assert back["state"] == state
        return back["code"], verifier


def token(
    http: httpx.Client,
    data: dict[str, str],
    auth: tuple[str | bytes, str | bytes] | None = None,
) -> httpx.Response:
    """POST /oauth/token as a form (optionally with HTTP Basic client authentication)."""
    if auth is None:
        return http.post("/oauth/token", data=data)
    return http.post("/oauth/token", data=data, auth=auth)


def exchange(http: httpx.Client, code: str, verifier: str, **extra: str) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": LOOPBACK,
        "client_id": NATIVE,
        "code_verifier": verifier,
    }
    return token(http, {**data, **extra})


def refresh(http: httpx.Client, refresh_token: str, **extra: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": NATIVE}
    return token(http, {**data, **extra})


def me(base_url: str, access_token: str) -> httpx.Response:
    """GET /users/me with a bearer token."""
    headers = {"Authorization": f"Bearer {access_token}"}
    return httpx.get(f"{base_url}/users/me", headers=headers, timeout=30)
