"""Calendly identifies every object by its full URI; these helpers read ids out of one."""

from __future__ import annotations

from urllib.parse import urlsplit


def uuid_of(uri: str) -> str:
    """The last path segment of ``uri`` (Calendly's id), ignoring any query or trailing slash.

    Ids are opaque: nothing beyond "last path segment" may be assumed (facts §1.2).
    """
    path = urlsplit(uri).path if "://" in uri else uri.split("?", 1)[0].split("#", 1)[0]
    return path.rstrip("/").rsplit("/", 1)[-1]


def parent_uuid_of(uri: str) -> str:
    """The id of the enclosing object of a nested URI (the event of an invitee URI)."""
    path = urlsplit(uri).path if "://" in uri else uri
    parts = [part for part in path.split("/") if part]
    return parts[-3] if len(parts) >= 3 else ""
