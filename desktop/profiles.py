"""Connection profiles (sandbox, OAuth, personal token) and the pure rules that edit them."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

import msgspec

if TYPE_CHECKING:
    from desktop.settings import Settings

CALENDLY_API = "https://api.calendly.com"
CALENDLY_AUTHORIZE_URL = "https://auth.calendly.com/oauth/authorize"
CALENDLY_TOKEN_URL = "https://auth.calendly.com/oauth/token"  # noqa: S105 - an endpoint, not a secret
SANDBOX_NAME = "Sandbox"
SANDBOX_COLOUR = "#2e7d32"

# Shown in a colour picker's first row; new profiles take the first one not yet in use.
PALETTE: tuple[str, ...] = (
    "#006bff",
    "#c62828",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#ad1457",
    "#4e342e",
    "#37474f",
)

Kind: TypeAlias = Literal["sandbox", "oauth", "token"]
Colour: TypeAlias = Annotated[str, msgspec.Meta(pattern=r"^#[0-9a-fA-F]{6}$")]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NAME_MAX = 60


class ProfileError(ValueError):
    """A profile edit the rules refuse; ``field`` names the offending input.

    ``template`` and ``values`` let the UI translate the sentence (``message`` is English).
    """

    def __init__(self, field: str, template: str, **values: object) -> None:
        self.field = field
        self.template = template
        self.values = values
        self.message = template.format(**values)
        super().__init__(f"{field}: {self.message}")


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    """Where to connect and how to sign in; never the credentials themselves (see secrets)."""

    id: str
    name: str
    colour: Colour
    kind: Kind
    # None for the sandbox: the embedded server picks its port at every start.
    base_url: str | None = CALENDLY_API
    oauth_client_id: str | None = None
    oauth_authorize_url: str | None = None
    oauth_token_url: str | None = None
    # Filled in after the first successful sign-in, for titles and status bars.
    organization_uri: str | None = None
    organization_name: str | None = None
    user_uri: str | None = None
    user_name: str | None = None


def new_id() -> str:
    return uuid.uuid4().hex


def sandbox_profile(name: str = SANDBOX_NAME) -> Profile:
    """The built-in demo organization: the profile a newcomer starts with."""
    return Profile(id=new_id(), name=name, colour=SANDBOX_COLOUR, kind="sandbox", base_url=None)


def make_profile(
    settings: Settings,
    *,
    name: str,
    kind: Kind,
    colour: str | None = None,
    base_url: str | None = CALENDLY_API,
    oauth_client_id: str | None = None,
    oauth_authorize_url: str | None = CALENDLY_AUTHORIZE_URL,
    oauth_token_url: str | None = CALENDLY_TOKEN_URL,
) -> Profile:
    """A validated new profile (not yet added); the colour defaults to an unused palette one."""
    name = _checked_name(settings, name, exclude_id=None)
    if colour is None:
        colour = next_colour(settings)
    _check_colour(colour)
    if kind == "sandbox":
        return Profile(id=new_id(), name=name, colour=colour, kind=kind, base_url=None)
    _check_url("base_url", base_url)
    if kind == "token":
        return Profile(id=new_id(), name=name, colour=colour, kind=kind, base_url=base_url)
    if not (oauth_client_id and oauth_client_id.strip()):
        raise ProfileError("oauth_client_id", "An OAuth client ID is required.")
    _check_url("oauth_authorize_url", oauth_authorize_url)
    _check_url("oauth_token_url", oauth_token_url)
    return Profile(
        id=new_id(),
        name=name,
        colour=colour,
        kind=kind,
        base_url=base_url,
        oauth_client_id=oauth_client_id.strip(),
        oauth_authorize_url=oauth_authorize_url,
        oauth_token_url=oauth_token_url,
    )


def next_colour(settings: Settings) -> str:
    used = {p.colour.lower() for p in settings.profiles}
    for colour in PALETTE:
        if colour not in used:
            return colour
    return PALETTE[len(settings.profiles) % len(PALETTE)]


def find(settings: Settings, profile_id: str) -> Profile:
    for profile in settings.profiles:
        if profile.id == profile_id:
            return profile
    raise ProfileError("profile", "No profile with id {id!r}.", id=profile_id)


def active(settings: Settings) -> Profile | None:
    """The active profile, or None when there is none (the welcome screen's case)."""
    for profile in settings.profiles:
        if profile.id == settings.active_profile:
            return profile
    return None


def add(settings: Settings, profile: Profile, *, activate: bool = True) -> Settings:
    if any(p.id == profile.id for p in settings.profiles):
        raise ProfileError("id", "A profile with id {id!r} already exists.", id=profile.id)
    _checked_name(settings, profile.name, exclude_id=None)
    _check_colour(profile.colour)
    chosen = profile.id if activate or settings.active_profile is None else settings.active_profile
    return msgspec.structs.replace(
        settings, profiles=(*settings.profiles, profile), active_profile=chosen
    )


def rename(settings: Settings, profile_id: str, name: str) -> Settings:
    find(settings, profile_id)
    name = _checked_name(settings, name, exclude_id=profile_id)
    return _replace_profile(settings, profile_id, name=name)


def recolour(settings: Settings, profile_id: str, colour: str) -> Settings:
    find(settings, profile_id)
    _check_colour(colour)
    return _replace_profile(settings, profile_id, colour=colour)


def update_identity(
    settings: Settings,
    profile_id: str,
    *,
    organization_uri: str,
    organization_name: str,
    user_uri: str,
    user_name: str,
) -> Settings:
    """Remember who a profile signs in as, once the API has said so."""
    find(settings, profile_id)
    return _replace_profile(
        settings,
        profile_id,
        organization_uri=organization_uri,
        organization_name=organization_name,
        user_uri=user_uri,
        user_name=user_name,
    )


def update_sign_in(
    settings: Settings,
    profile_id: str,
    *,
    name: str,
    base_url: str,
    oauth_client_id: str | None = None,
    oauth_authorize_url: str | None = None,
    oauth_token_url: str | None = None,
) -> Settings:
    """A profile signed in again with edited values: its name, API address and, for OAuth,
    client and hosts follow what was checked (the profile keeps its id, colour and kind)."""
    profile = find(settings, profile_id)
    name = _checked_name(settings, name, exclude_id=profile_id)
    if profile.kind == "sandbox":
        return _replace_profile(settings, profile_id, name=name)
    _check_url("base_url", base_url)
    changes = {"name": name, "base_url": base_url}
    if profile.kind == "oauth":
        if not (oauth_client_id and oauth_client_id.strip()):
            raise ProfileError("oauth_client_id", "An OAuth client ID is required.")
        _check_url("oauth_authorize_url", oauth_authorize_url)
        _check_url("oauth_token_url", oauth_token_url)
        assert oauth_authorize_url is not None and oauth_token_url is not None
        changes.update(
            oauth_client_id=oauth_client_id.strip(),
            oauth_authorize_url=oauth_authorize_url,
            oauth_token_url=oauth_token_url,
        )
    return _replace_profile(settings, profile_id, **changes)


def remove(settings: Settings, profile_id: str) -> Settings:
    """Drop a profile; if it was active, the first remaining one becomes active (or none).

    The caller also deletes its keyring entries (``SecretStore.delete_profile``).
    """
    find(settings, profile_id)
    remaining = tuple(p for p in settings.profiles if p.id != profile_id)
    chosen = settings.active_profile
    if chosen == profile_id:
        chosen = remaining[0].id if remaining else None
    return msgspec.structs.replace(settings, profiles=remaining, active_profile=chosen)


def switch(settings: Settings, profile_id: str) -> Settings:
    find(settings, profile_id)
    return msgspec.structs.replace(settings, active_profile=profile_id)


def ensure_sandbox(settings: Settings) -> Settings:
    """Settings with a sandbox profile, added and activated if there is none yet."""
    for profile in settings.profiles:
        if profile.kind == "sandbox":
            return settings
    name = SANDBOX_NAME
    taken = {p.name.casefold() for p in settings.profiles}
    suffix = 2
    while name.casefold() in taken:
        name = f"{SANDBOX_NAME} {suffix}"
        suffix += 1
    return add(settings, sandbox_profile(name), activate=settings.active_profile is None)


def _replace_profile(settings: Settings, profile_id: str, **changes: str) -> Settings:
    profiles = tuple(
        msgspec.structs.replace(p, **changes) if p.id == profile_id else p
        for p in settings.profiles
    )
    return msgspec.structs.replace(settings, profiles=profiles)


def _checked_name(settings: Settings, name: str, *, exclude_id: str | None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ProfileError("name", "A profile needs a name.")
    if len(cleaned) > _NAME_MAX:
        raise ProfileError("name", "A profile name has at most {n} characters.", n=_NAME_MAX)
    for profile in settings.profiles:
        if profile.id != exclude_id and profile.name.casefold() == cleaned.casefold():
            raise ProfileError(
                "name", "A profile named “{name}” already exists.", name=profile.name
            )
    return cleaned


def _check_colour(colour: str) -> None:
    if not _COLOUR.match(colour):
        raise ProfileError("colour", "{colour!r} is not a colour like #1a2b3c.", colour=colour)


def _check_url(field: str, url: str | None) -> None:
    if not url or not re.match(r"^https?://[^\s/]+", url):
        raise ProfileError(field, "An http(s) address is required.")
