"""Callback URL checks: errors that stop saving, warnings worth reading, trimmed input."""

from __future__ import annotations

import pytest

from desktop.webhooks.callback_url import check_callback_url, is_local_host


def test_a_public_https_url_passes_cleanly_and_is_trimmed() -> None:
    check = check_callback_url(
        "  https://hooks.example.com/calendly?x=1 \n", real_organization=True
    )
    assert check.ok and check.error is None
    assert check.warnings == []
    assert check.url == "https://hooks.example.com/calendly?x=1"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "enter the address"),
        ("   ", "enter the address"),
        ("hooks.example.com/calendly", "full address starting with https://"),
        ("ftp://hooks.example.com/x", "not ftp://"),
        ("https:///calendly", "no host name"),
        ("https://hooks.example.com/a b", "spaces"),
        ("https://user:secret@hooks.example.com/x", "user name or password"),
        ("https://token@hooks.example.com/x", "user name or password"),
        ("https://hooks.example.com:99999/x", "not a valid address"),
        ("https://hooks.example.com:0/x", "port 0"),
    ],
)
def test_unusable_urls_get_an_error_naming_the_field(text: str, words: str) -> None:
    check = check_callback_url(text, real_organization=True)
    assert check.error is not None
    assert "Callback URL" in check.error
    assert words in check.error
    assert not check.ok


def test_credentials_are_never_repeated_in_the_error() -> None:
    check = check_callback_url("https://ada:hunter2@hooks.example.com/x", real_organization=False)
    assert check.error is not None and "hunter2" not in check.error


def test_plain_http_is_a_warning_not_an_error() -> None:
    check = check_callback_url("http://hooks.example.com/calendly", real_organization=True)
    assert check.ok
    assert any("https://" in w and "unencrypted" in w for w in check.warnings)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/hooks",
        "http://127.0.0.1:5000/hooks",
        "https://127.10.0.3/hooks",
        "http://[::1]:8080/hooks",
        "https://192.168.1.20/hooks",
        "https://10.0.0.5/hooks",
        "https://172.20.1.1/hooks",
        "https://100.64.0.1/hooks",
        "https://169.254.10.10/hooks",
        "https://printer.local/hooks",
        "https://myserver/hooks",
        "https://[fd00::1]/hooks",
        "https://[::ffff:192.168.0.1]/hooks",
    ],
)
def test_local_addresses_warn_on_a_real_organization(url: str) -> None:
    real = check_callback_url(url, real_organization=True)
    assert real.ok
    assert any("Calendly cannot reach" in w and "tunnel" in w for w in real.warnings)
    sandbox = check_callback_url(url, real_organization=False)
    assert sandbox.ok
    assert not any("Calendly cannot reach" in w for w in sandbox.warnings)


def test_the_sandbox_takes_plain_http_to_this_computer_quietly() -> None:
    assert check_callback_url("http://127.0.0.1:9000/hooks", real_organization=False).warnings == []
    # ... but plain http elsewhere is still worth a word.
    remote = check_callback_url("http://hooks.example.com/x", real_organization=False)
    assert remote.warnings


def test_public_addresses_are_not_local() -> None:
    assert not is_local_host("hooks.example.com")
    assert not is_local_host("8.8.8.8")
    assert not is_local_host("[2001:4860:4860::8888]")
    assert is_local_host("LOCALHOST.")
    assert is_local_host("app.localhost")


def test_a_fragment_is_a_warning() -> None:
    check = check_callback_url("https://hooks.example.com/x#part", real_organization=True)
    assert check.ok and any("#" in w for w in check.warnings)
