"""Settings: round-trip, defaults merged, damaged files recovered, atomic writes, no secrets."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import msgspec
import platformdirs
import pytest

from desktop import paths, profiles, settings
from desktop.settings import Settings, Window


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the platform config directory at tmp_path (env is the process boundary)."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    if not platformdirs.user_config_dir(paths.APP_NAME).startswith(str(home)):
        pytest.skip("this platform ignores XDG_CONFIG_HOME; refusing to touch the real config")
    return home


def _populated() -> Settings:
    base = profiles.ensure_sandbox(Settings())
    acme = profiles.make_profile(base, name="Acme", kind="oauth", oauth_client_id="cid-123")
    s = profiles.add(base, acme)
    return msgspec.structs.replace(
        s,
        window=Window(geometry="AdnQywADAAA=", state="AAAA/w==", last_page="webhooks"),
        webhooks=settings.Webhooks(watch=False, watch_minutes=15, receiver_port=9123),
    )


def test_the_file_lives_in_the_platform_config_directory(config_home: Path) -> None:
    assert settings.settings_path() == config_home / paths.APP_NAME / "settings.json"
    assert settings.settings_path().parent.is_dir()


def test_a_missing_file_gives_defaults_without_a_notice() -> None:
    loaded = settings.load()
    assert loaded.settings == Settings()
    assert loaded.notice is None and not loaded.recovered
    assert loaded.settings.profiles == () and loaded.settings.active_profile is None


def test_round_trip_keeps_everything() -> None:
    original = _populated()
    settings.save(original)
    loaded = settings.load()
    assert loaded.notice is None
    assert loaded.settings == original
    assert profiles.active(loaded.settings) is not None
    assert profiles.active(loaded.settings).name == "Acme"  # type: ignore[union-attr]


def test_missing_keys_take_defaults_and_unknown_keys_are_ignored() -> None:
    path = settings.settings_path()
    sandbox = profiles.sandbox_profile()
    path.write_text(
        json.dumps(
            {
                "from_a_newer_version": {"anything": [1, 2]},
                "profiles": [
                    {
                        "id": sandbox.id,
                        "name": "Demo",
                        "colour": "#112233",
                        "kind": "sandbox",
                        "base_url": None,
                        "future_field": 1,
                    }
                ],
                "active_profile": sandbox.id,
                "window": {"last_page": "members"},
            }
        )
    )
    loaded = settings.load()
    assert loaded.notice is None
    s = loaded.settings
    assert s.version == settings.VERSION
    assert s.window == Window(last_page="members")
    assert s.webhooks == settings.Webhooks()  # watched every 5 minutes, receiver on 8765
    assert (s.webhooks.watch, s.webhooks.watch_minutes, s.webhooks.receiver_port) == (True, 5, 8765)
    assert s.profiles[0].name == "Demo" and s.profiles[0].organization_name is None
    assert s.active_profile == sandbox.id


def test_a_dangling_active_profile_falls_back_to_the_first() -> None:
    s = _populated()
    settings.save(msgspec.structs.replace(s, active_profile="gone"))
    assert settings.load().settings.active_profile == s.profiles[0].id


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "damaged"),
        (b'{"profiles": [{"id": "x", "name": "A", "colour": "red", "kind": "sandbox"}]}', "colour"),
        (b'{"profiles": "nope"}', "profiles"),
        (b"\xff\xfe\x00garbage", "damaged"),
    ],
)
def test_a_damaged_file_gives_defaults_a_notice_and_a_kept_copy(
    content: bytes, reason: str
) -> None:
    path = settings.settings_path()
    path.write_bytes(content)
    loaded = settings.load()
    assert loaded.settings == Settings()
    assert loaded.recovered and loaded.notice is not None
    assert reason in loaded.notice
    assert loaded.corrupt_copy is not None
    assert re.fullmatch(r"settings\.json\.corrupt-\d{8}T\d{12}Z", loaded.corrupt_copy.name)
    assert loaded.corrupt_copy.parent == path.parent
    assert loaded.corrupt_copy.read_bytes() == content  # nothing lost
    assert str(loaded.corrupt_copy) in loaded.notice
    assert not path.exists()
    # The next save writes a fresh file and leaves the kept copy alone.
    settings.save(_populated())
    assert settings.load().notice is None
    assert loaded.corrupt_copy.read_bytes() == content


def test_an_unreadable_file_is_recovered_too() -> None:
    path = settings.settings_path()
    path.mkdir()  # reading a directory fails with an OSError
    loaded = settings.load()
    assert loaded.settings == Settings()
    assert loaded.notice is not None and "could not be read" in loaded.notice
    assert loaded.corrupt_copy is not None and loaded.corrupt_copy.is_dir()


def test_a_write_that_fails_at_the_rename_leaves_the_old_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = _populated()
    settings.save(old)
    path = settings.settings_path()
    before = path.read_bytes()

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError, match="No space left"):
        patched.setattr(os, "replace", broken_replace)
        settings.save(Settings())
    assert path.read_bytes() == before
    assert settings.load().settings == old
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp left


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_write_into_a_read_only_directory_fails_cleanly() -> None:
    settings.save(_populated())
    path = settings.settings_path()
    before = path.read_bytes()
    path.parent.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            settings.save(Settings())
    finally:
        path.parent.chmod(0o700)
    assert path.read_bytes() == before


def test_the_file_is_readable_json() -> None:
    settings.save(_populated())
    data = json.loads(settings.settings_path().read_text())
    assert data["window"]["last_page"] == "webhooks"
    assert [p["name"] for p in data["profiles"]] == ["Sandbox", "Acme"]


_SECRET_WORDS = {
    "token",
    "tokens",
    "secret",
    "secrets",
    "key",
    "keys",
    "password",
    "passwd",
    "credential",
    "credentials",
    "pat",
}


def _field_names(cls: type[msgspec.Struct], seen: set[type] | None = None) -> list[str]:
    seen = set() if seen is None else seen
    seen.add(cls)
    names: list[str] = []
    for name, hint in get_type_hints(cls, include_extras=True).items():
        names.append(f"{cls.__name__}.{name}")
        stack: list[Any] = [hint]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, msgspec.Struct) and t not in seen:
                names += _field_names(t, seen)
            elif get_origin(t) is not None:
                stack.extend(get_args(t))
    return names


def test_no_settings_field_can_hold_a_secret() -> None:
    names = _field_names(Settings)
    assert "Profile.oauth_client_id" in names  # the walk reaches nested structs
    suspicious = []
    for qualified in names:
        words = qualified.split(".")[1].lower().split("_")
        if words[-1] in {"url", "uri"}:
            continue  # an endpoint's address (e.g. oauth_token_url), not a value
        if _SECRET_WORDS & set(words):
            suspicious.append(qualified)
    assert suspicious == [], f"fields that look like secrets in the settings file: {suspicious}"
