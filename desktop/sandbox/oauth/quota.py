"""The token endpoint's budget: N token requests per user per minute on the sandbox clock.

Calendly documents "8 tokens per user per minute" (facts §5.3). Each token request that
names a known authorization code or refresh token counts for that code's or token's user,
whatever its outcome; a sliding 60-second window is kept in the ``meta`` table, so a reset
clears it. A request over the budget is refused before its code or refresh token is looked at
further, so neither is spent.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from desktop.sandbox.oauth.protocol import OAuthError
from desktop.sandbox.store import Store
from desktop.sandbox.wire import iso

WINDOW = timedelta(minutes=1)


def _key(user_id: str) -> str:
    return f"oauth_token_requests:{user_id}"


def hit(store: Store, user_id: str, limit: int, now: datetime) -> None:
    """Count one token request for ``user_id``; 429 when the last minute already had ``limit``.

    The 429 carries ``Retry-After`` (seconds until a request leaves the window); the API's own
    ``X-RateLimit-*`` headers are added to every response by the middleware already.
    """
    with store.transaction():
        record = store.get("meta", _key(user_id))
        since = iso(now - WINDOW)
        times = [t for t in (record or {}).get("times", []) if t > since]
        if len(times) >= limit:
            oldest = datetime.fromisoformat(times[0].replace("Z", "+00:00"))
            wait = max(1, math.ceil((oldest + WINDOW - now).total_seconds()))
            raise OAuthError(
                "too_many_requests",
                f"At most {limit} token requests per user per minute; retry in {wait} s.",
                429,
                {"Retry-After": str(wait)},
            )
        times.append(iso(now))
        store.delete("meta", _key(user_id))
        store.insert("meta", {"id": _key(user_id), "times": times})
