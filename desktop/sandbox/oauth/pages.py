"""The HTML the authorization endpoint shows: the consent page and its error page."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

from desktop.sandbox.oauth import scopes as scope_text
from desktop.sandbox.store import Record, Store

DECISION_PATH = "/oauth/authorize/decision"
_ROLE_ORDER = {"owner": 0, "admin": 1, "user": 2}
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # No form-action: browsers apply it to the redirect after the form, to any loopback port.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
}
_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1a1a1a; }
main { max-width: 34rem; margin: 3rem auto; background: #fff; padding: 2rem;
       border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.4rem; margin-top: 0; } h2 { font-size: 1.1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
select, button { font: inherit; padding: .5rem .75rem; }
select { width: 100%; }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
button { border-radius: 6px; border: 2px solid #0b5cd5; cursor: pointer; }
button[value=allow] { background: #0b5cd5; color: #fff; }
button[value=deny] { background: #fff; color: #0b5cd5; }
button:focus-visible, select:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.note { color: #4a4a4a; font-size: .9rem; }
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def error_page(message: str, status: int = 400) -> HTMLResponse:
    """Shown instead of redirecting when the client or its redirect URI can't be trusted
    (RFC 6749 §4.1.2.1)."""
    body = (
        "<h1>Authorization failed</h1>\n"
        f'<p role="alert">{escape(message)}</p>\n'
        '<p class="note">You were not sent back to the application: its request could not '
        "be verified. Close this page and try again from the application.</p>"
    )
    return _page("Authorization failed — Calendly sandbox", body, status)


def members(store: Store) -> list[tuple[Record, Record]]:
    """(membership, user) of the seeded organization: the people who may sign in here."""
    meta = store.get("meta", "seed")
    if meta is not None:
        org = str(meta["summary"]["organization"])
        found = store.find("memberships", "organization = ?", (org,))
    else:
        found = store.find("memberships")
    people = []
    for membership in found:
        user = store.get("users", membership["user"])
        if user is not None:
            people.append((membership, user))
    people.sort(key=lambda mu: (_ROLE_ORDER.get(mu[0]["role"], 3), mu[1]["email"]))
    return people


def consent_page(
    client: Record,
    request: Record,
    handle: str,
    people: list[tuple[Record, Record]],
    chosen_email: str | None,
) -> HTMLResponse:
    """Who signs in (default: the owner or ``login_hint``), what is asked, Allow / Deny."""
    name = escape(str(client["name"]))
    emails = {user["email"] for _, user in people}
    selected = chosen_email if chosen_email in emails else None
    options: list[str] = []
    for membership, user in people:
        mark = ""
        if selected == user["email"] or (selected is None and not options):
            mark = " selected"
        label = f"{user['name']} <{user['email']}> — {membership['role']}"
        options.append(f'<option value="{escape(user["email"])}"{mark}>{escape(label)}</option>')
    items = "\n".join(
        f"<li><code>{escape(s)}</code>: {escape(scope_text.describe(s))}</li>"
        for s in request["scopes"]
    )
    body = f"""<h1>{name} wants to access your Calendly account</h1>
<p class="note">This is the local Calendly sandbox: instead of signing in, choose whose
account to use.</p>
<form method="post" action="{DECISION_PATH}">
<input type="hidden" name="request" value="{escape(handle)}">
<label for="user">Sign in as</label>
<select id="user" name="user">
{chr(10).join(options)}
</select>
<h2 id="scopes-heading">{name} will be able to</h2>
<ul aria-labelledby="scopes-heading">
{items}
</ul>
<p class="note">Afterwards you return to <code>{escape(str(request["redirect_uri"]))}</code>.</p>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>"""
    return _page(f"Authorize {client['name']} — Calendly sandbox", body)
