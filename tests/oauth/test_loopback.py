"""The one-shot loopback listener, driven over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from desktop.oauth import (
    AuthorizationDenied,
    AuthorizationFailed,
    LoopbackListener,
    SignInCancelled,
    SignInTimedOut,
)

STATE = "the-expected-state-value"


async def _port_is_closed(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return True
    writer.close()
    return False


async def _get(url: str, **params: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url, params=params)


@pytest.mark.asyncio
async def test_a_wrong_or_missing_state_is_refused_and_the_right_one_still_accepted() -> None:
    async with LoopbackListener(STATE) as listener:
        assert listener.redirect_uri == f"http://127.0.0.1:{listener.port}/callback"
        waiting = asyncio.create_task(listener.wait(30))
        wrong = await _get(listener.redirect_uri, code="forged", state="not-it")
        missing = await _get(listener.redirect_uri, code="forged")
        elsewhere = await _get(f"http://127.0.0.1:{listener.port}/favicon.ico")
        assert (wrong.status_code, missing.status_code, elsewhere.status_code) == (400, 400, 404)
        assert "does not belong" in wrong.text
        assert not waiting.done() and listener.rejected == 2
        right = await _get(listener.redirect_uri, code="the-code", state=STATE)
        assert right.status_code == 200
        assert right.headers["content-type"].startswith("text/html")
        assert "You can close this tab and return to Calendly Console" in right.text
        assert await waiting == "the-code"
        assert await _port_is_closed(listener.port)


@pytest.mark.asyncio
async def test_access_denied_ends_the_wait_with_a_denied_error() -> None:
    async with LoopbackListener(STATE) as listener:
        waiting = asyncio.create_task(listener.wait(30))
        page = await _get(listener.redirect_uri, error="access_denied", state=STATE)
        assert page.status_code == 200 and "declined" in page.text
        with pytest.raises(AuthorizationDenied) as raised:
            await waiting
        assert raised.value.error == "access_denied"
        assert await _port_is_closed(listener.port)


@pytest.mark.asyncio
async def test_other_errors_are_reported_and_their_text_is_escaped_on_the_page() -> None:
    async with LoopbackListener(STATE) as listener:
        waiting = asyncio.create_task(listener.wait(30))
        page = await _get(
            listener.redirect_uri,
            error="<script>x</script>",
            error_description="bad scope",
            state=STATE,
        )
        assert "<script>" not in page.text and "&lt;script&gt;" in page.text
        with pytest.raises(AuthorizationFailed) as raised:
            await waiting
        assert not isinstance(raised.value, AuthorizationDenied)
        assert "bad scope" in raised.value.message


@pytest.mark.asyncio
async def test_a_silent_connection_does_not_block_the_redirect() -> None:
    async with LoopbackListener(STATE) as listener:
        waiting = asyncio.create_task(listener.wait(30))
        _, idle = await asyncio.open_connection("127.0.0.1", listener.port)  # a preconnect
        right = await _get(listener.redirect_uri, code="c", state=STATE)
        assert right.status_code == 200
        assert await waiting == "c"
        assert await _port_is_closed(listener.port)
        idle.close()


@pytest.mark.asyncio
async def test_the_wait_times_out_and_closes_the_port() -> None:
    async with LoopbackListener(STATE) as listener:
        with pytest.raises(SignInTimedOut, match="did not return"):
            await listener.wait(0.05)
        assert not listener.is_open
        assert await _port_is_closed(listener.port)


@pytest.mark.asyncio
async def test_cancel_ends_the_wait_and_closes_the_port() -> None:
    async with LoopbackListener(STATE) as listener:
        waiting = asyncio.create_task(listener.wait(30))
        assert not await _port_is_closed(listener.port)
        listener.cancel()
        with pytest.raises(SignInCancelled):
            await waiting
        assert await _port_is_closed(listener.port)


@pytest.mark.asyncio
async def test_cancelling_the_waiting_task_closes_the_port() -> None:
    listener = await LoopbackListener(STATE).start()
    waiting = asyncio.create_task(listener.wait(30))
    reader, idle = await asyncio.open_connection("127.0.0.1", listener.port)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await _port_is_closed(listener.port)
    assert await reader.read() == b""  # the open connection was dropped too
    idle.close()
