"""The test harness itself: Qt and asyncio share one loop that reaches the real sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.sandbox import SandboxServer


def test_qt_loop_runs_httpx_against_the_sandbox_while_qt_paints(
    sandbox: SandboxServer, run_async: Callable[..., Any], qtbot: Any
) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel("waiting")
    qtbot.addWidget(label)
    token = sandbox.token_for("owner")

    async def fetch() -> str:
        async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
            response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        label.setText(response.json()["resource"]["email"])
        return label.text()

    email = run_async(fetch())
    assert email.endswith(".example")
    assert label.text() == email


@pytest.mark.asyncio
async def test_plain_asyncio_reaches_the_sandbox(sandbox: SandboxServer) -> None:
    token = sandbox.token_for("admin")
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        response = await client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "500"
