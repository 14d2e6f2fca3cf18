"""Checking a callback URL before Calendly sees it: errors that stop a save, warnings that don't."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

FIELD = "Callback URL"
# Host names that never reach a machine from the public internet.
_LOCAL_NAMES = ("localhost",)
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")
UNREACHABLE = (
    "Calendly cannot reach your computer or private network at {host}; use a tunnel "
    "(for example ngrok or cloudflared) that gives your receiver a public https address."
)
PLAIN_HTTP = (
    "The callback URL uses http://, so deliveries (with invitees' names and e-mail "
    "addresses) travel unencrypted; use https://."
)
FRAGMENT = "The part after # is never sent to your server; Calendly posts to the URL without it."


@dataclass(frozen=True, slots=True)
class UrlCheck:
    """``error`` stops saving; ``warnings`` are worth reading; ``url`` is the trimmed text."""

    error: str | None
    warnings: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def is_local_host(host: str) -> bool:
    """Whether ``host`` names this computer or a private network (not reachable by Calendly)."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "." not in name  # a bare name (``myserver``) only resolves on a local network
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # Private, loopback, link-local, shared (CGNAT), documentation and reserved ranges.
    return not address.is_global or address.is_multicast


def _is_loopback(host: str) -> bool:
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_callback_url(text: str, *, real_organization: bool) -> UrlCheck:
    """Whether ``text`` can be a subscription's callback URL, and what to know about it.

    ``real_organization`` is False on the built-in sandbox, which runs on this computer and so
    reaches local receivers (plain http to this computer is normal there).
    """
    url = text.strip()
    if not url:
        return UrlCheck(f"{FIELD}: enter the address Calendly should post deliveries to.", url=url)
    if any(ch.isspace() for ch in url):
        return UrlCheck(
            f"{FIELD} must not contain spaces or line breaks (encode a space as %20).", url=url
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return UrlCheck(f"{FIELD} must not contain control characters.", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as error:
        return UrlCheck(f"{FIELD} is not a valid address ({error}).", url=url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if not scheme or "://" not in url:
            return UrlCheck(
                f"{FIELD} must be a full address starting with https://, for example "
                "https://example.com/calendly/webhooks.",
                url=url,
            )
        return UrlCheck(f"{FIELD} must start with https:// or http://, not {scheme}://.", url=url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return UrlCheck(
            f"{FIELD} must not contain a user name or password (user:password@host): Calendly "
            "would keep them in the subscription for every admin to see. Protect the receiver "
            "by checking the signature of each delivery instead.",
            url=url,
        )
    if not host:
        return UrlCheck(f"{FIELD} has no host name after {scheme}://.", url=url)
    if port == 0:
        return UrlCheck(f"{FIELD} has port 0, which nothing can listen on.", url=url)
    warnings: list[str] = []
    local = is_local_host(host)
    if real_organization and local:
        warnings.append(UNREACHABLE.format(host=host))
    if scheme == "http" and (real_organization or not _is_loopback(host)):
        warnings.append(PLAIN_HTTP)
    if parts.fragment or url.endswith("#"):
        warnings.append(FRAGMENT)
    return UrlCheck(None, warnings, url)
