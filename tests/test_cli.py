"""The command line: ``calendly-console sandbox`` serves, prints where, and stops cleanly."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from desktop import __version__


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_announcement(process: subprocess.Popen[str]) -> tuple[str, str]:
    assert process.stdout is not None
    url = token = ""
    for line in process.stdout:
        if match := re.search(r"serving at (http://127\.0\.0\.1:\d+)", line):
            url = match.group(1)
        if match := re.search(r"owner access token: (\S+)", line):
            token = match.group(1)
        if "Ctrl+C" in line:
            break
    return url, token


def test_sandbox_command_prints_a_working_url_and_owner_token(tmp_path: Path) -> None:
    process = _start("sandbox", "--events", "50", "--seed", "3", "--db", str(tmp_path / "s.db"))
    try:
        url, token = _read_announcement(process)
        assert url and token, "the command must print its base URL and an owner token"
        me = httpx.get(f"{url}/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        membership = httpx.get(
            f"{url}/_sandbox",
        ).json()
        assert membership["owner"] == me.json()["resource"]["uri"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Sandbox stopped." in out


def test_sandbox_database_survives_a_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "demo.db")
    owners = []
    for _ in range(2):
        process = _start("sandbox", "--events", "20", "--db", database)
        try:
            url, _token = _read_announcement(process)
            owners.append(httpx.get(f"{url}/_sandbox").json()["owner"].rsplit("/", 1)[1])
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    assert owners[0] == owners[1]


def test_version_and_bad_arguments() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and __version__ in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "desktop", "sandbox", "--events", "-5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0
    assert "--events must not be negative" in bad.stderr
