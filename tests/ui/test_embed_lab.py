"""The Embed lab in the real QtWebEngine (offscreen) over the sandbox: booking, bridge, policy."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEnginePage, QWebEngineScript

from desktop.sandbox import SandboxServer
from desktop.ui.booking.embed_lab import EmbedLab
from desktop.ui.booking.embed_snippet import embed_url, snippet_html
from desktop.ui.booking.embed_view import may_load_in_view, page_height
from desktop.ui.page_context import PageContext
from tests.ui.accessibility import unnamed_interactive, unreachable_by_keyboard

pytestmark = pytest.mark.webengine

LOAD_MS = 30_000
_APP_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
_MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld


class Browser:
    """The system browser, faked at the process boundary: it only notes what it was given."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True


def _run_js(
    qtbot: Any, target: QWebEnginePage | QWebEngineFrame, script: str, world: int = 0
) -> Any:
    """Run ``script`` in a page's main frame or in one frame, and return its value."""
    results: list[Any] = []
    if isinstance(target, QWebEngineFrame):
        target.runJavaScript(script, world, results.append)
    else:
        target.runJavaScript(script, world, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=LOAD_MS)
    return results[0]


def _json(qtbot: Any, target: QWebEnginePage | QWebEngineFrame, expression: str) -> Any:
    """The value of a JavaScript expression, through JSON (arrays and objects do not cross
    runJavaScript's conversion from a frame)."""
    return json.loads(_run_js(qtbot, target, f"JSON.stringify({expression})"))


def _open_lab(
    page_context: Callable[..., PageContext], qtbot: Any, role: str = "owner"
) -> tuple[EmbedLab, PageContext, Browser]:
    browser = Browser()
    lab = EmbedLab(open_external=browser.open)
    page_context.adopt(lab)  # type: ignore[attr-defined]
    lab.resize(1400, 900)
    lab.show()
    context = page_context(role)
    with qtbot.waitSignal(lab.view.loadFinished, timeout=LOAD_MS):
        lab.bind(context)
    assert lab.sources, lab.status.text()
    return lab, context, browser


def _sandbox_frame(qtbot: Any, lab: EmbedLab, sandbox: SandboxServer) -> QWebEngineFrame:
    """An iframe on the sandbox's origin (the embed's), added to the host page by the test."""
    src = json.dumps(sandbox.base_url + "/no-such-page")
    _run_js(
        qtbot,
        lab.view.page(),
        f"var f = document.createElement('iframe'); f.name = 'probe'; f.src = {src};"
        "document.body.appendChild(f); true",
    )

    def probe() -> QWebEngineFrame | None:
        for frame in lab.view.page().mainFrame().children():
            if frame.name() == "probe" and frame.url().toString().startswith(sandbox.base_url):
                return frame
        return None

    qtbot.waitUntil(lambda: probe() is not None, timeout=LOAD_MS)
    frame = probe()
    assert frame is not None
    return frame


def test_messages_from_any_origin_but_the_embeds_are_ignored(
    page_context: Callable[..., PageContext], qtbot: Any, sandbox: SandboxServer
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    view = lab.view
    assert view.embed_origin == sandbox.base_url
    frame = _sandbox_frame(qtbot, lab, sandbox)

    # The host page itself (a script on it, such as widget.js or anything it loaded) ...
    with qtbot.waitSignal(view.message_ignored, timeout=LOAD_MS) as ignored:
        _run_js(
            qtbot,
            view.page(),
            "window.postMessage({event: 'calendly.event_scheduled', payload: {event: "
            "{uri: 'x'}, invitee: {uri: 'y'}}}, '*'); true",
        )
    assert ignored.args == ["https://calendly-console.local", "calendly.event_scheduled"]
    # ... a frame of another origin (an opaque sandboxed frame) ...
    with qtbot.waitSignal(view.message_ignored, timeout=LOAD_MS) as ignored:
        _run_js(
            qtbot,
            view.page(),
            "var f = document.createElement('iframe'); f.setAttribute('sandbox', 'allow-scripts');"
            "f.srcdoc = \"<script>parent.postMessage({event: 'calendly.date_and_time_selected',"
            ' payload: {}}, \'*\')</scr" + "ipt>"; document.body.appendChild(f); true',
        )
    assert ignored.args == ["null", "calendly.date_and_time_selected"]
    # ... and a caller that reaches the bridge with a forged origin: Python checks it again.
    forged = {"event": "calendly.event_scheduled", "payload": {"event": {"uri": "x"}}}
    with qtbot.waitSignal(view.message_ignored, timeout=LOAD_MS) as ignored:
        view._bridge.receive("https://evil.example", json.dumps(forged))
    assert ignored.args[0] == "https://evil.example"
    # The embed's own origin is heard.
    with qtbot.waitSignal(
        view.message_received,
        timeout=LOAD_MS,
        check_params_cb=lambda message: message.event == "calendly.profile_page_viewed",
    ):
        _run_js(
            qtbot,
            frame,
            "parent.postMessage({event: 'calendly.profile_page_viewed', payload: {}}, '*'); true",
        )
    logged = lab.log.events()
    assert "calendly.profile_page_viewed" in logged
    assert "calendly.event_scheduled" not in logged
    assert "calendly.date_and_time_selected" not in logged
    assert lab.ignored_note.isVisible()
    assert "3" in lab.ignored_note.text()
    assert lab.booking_note.text() == ""  # the forged event_scheduled was never acted on


def test_the_bridge_is_out_of_reach_of_the_pages_scripts(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    page = lab.view.page()
    assert _run_js(qtbot, page, "typeof qt", _MAIN_WORLD) == "undefined"
    assert _run_js(qtbot, page, "typeof qt.webChannelTransport", _APP_WORLD) == "object"


def test_page_height_resizes_the_view(
    page_context: Callable[..., PageContext], qtbot: Any, sandbox: SandboxServer
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    frame = _sandbox_frame(qtbot, lab, sandbox)
    with qtbot.waitSignal(lab.view.height_changed, timeout=LOAD_MS) as resized:
        _run_js(
            qtbot,
            frame,
            "parent.postMessage({event: 'calendly.page_height', payload: {height: '1234px'}}, '*');"
            "true",
        )
    assert resized.args == [1234]
    assert lab.view.minimumHeight() == 1234
    qtbot.waitUntil(lambda: lab.view.height() >= 1234, timeout=LOAD_MS)
    assert lab.log.events()[-1] == "calendly.page_height"
    if lab.form.mode_value() == "inline":  # the inline widget in the host page follows too
        height = _run_js(
            qtbot,
            lab.view.page(),
            "document.querySelector('.calendly-inline-widget').style.height",
        )
        assert height == "1234px"


def test_navigation_off_the_booking_hosts_is_refused_in_the_view(
    page_context: Callable[..., PageContext], qtbot: Any, sandbox: SandboxServer
) -> None:
    lab, _, browser = _open_lab(page_context, qtbot)
    view = lab.view
    page = view.page()
    host_url = page.url()
    frame = _sandbox_frame(qtbot, lab, sandbox)  # a frame of the booking page's origin

    # Frames a page loads by itself (another site, a sign-in page on the sandbox's own host)
    # are refused quietly; a link followed in the booking page, a new window and the whole
    # view sent away are refused too, and open in the system browser instead.
    oauth = sandbox.base_url + "/oauth/authorize?client_id=x&response_type=code"
    attempts: list[tuple[QWebEnginePage | QWebEngineFrame, str, str, bool]] = [
        (
            page,
            "var f = document.createElement('iframe'); f.src = 'https://example.org/widget';"
            "document.body.appendChild(f); true",
            "https://example.org/widget",
            False,
        ),
        (
            page,
            f"var f = document.createElement('iframe'); f.src = {json.dumps(oauth)};"
            "document.body.appendChild(f); true",
            oauth,
            False,
        ),
        (
            frame,
            "location.href = 'https://example.org/privacy'; true",
            "https://example.org/privacy",
            True,
        ),
        (
            page,
            "window.open('https://example.com/new-window'); true",
            "https://example.com/new-window",
            True,
        ),
        (
            page,
            "location.href = 'https://example.net/away'; true",
            "https://example.net/away",
            True,
        ),
    ]
    for target, script, address, opened in attempts:
        with qtbot.waitSignal(view.navigation_refused, timeout=LOAD_MS) as refused:
            _run_js(qtbot, target, script)
        assert [refused.args[0].toString(), refused.args[1]] == [address, opened]
    assert [url.toString() for url in view.refused_urls] == [a[2] for a in attempts]
    assert browser.opened == [a[2] for a in attempts if a[3]]
    assert page.url() == host_url  # still the host page
    assert frame.url().toString().startswith(sandbox.base_url)  # the frame stayed put
    children = [child.url().toString() for child in page.mainFrame().children()]
    assert not any("example" in url or "/oauth/" in url for url in children)
    assert "example.net opens in your web browser" in lab.status.text()


def test_controls_are_named_and_reachable_by_keyboard(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    assert unnamed_interactive(lab) == []
    assert unreachable_by_keyboard(lab) == []


def test_a_bad_colour_is_explained_next_to_its_field_and_left_out(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    form = lab.form
    form.primary_color.setText("blue")
    assert form.primary_error.isVisible()
    assert "Primary colour" in form.primary_error.text()
    assert "primary_color" not in lab.url_edit.text()
    form.primary_color.setText("#00A2FF")
    assert not form.primary_error.isVisible()
    assert "primary_color=00a2ff" in lab.url_edit.text()
    assert "primary_color=00a2ff" in lab.snippet.toPlainText()


def test_edits_rebuild_the_snippet_at_once_and_the_embed_after_a_pause(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    form = lab.form
    loads: list[bool] = []
    lab.view.loadFinished.connect(loads.append)
    for text in ("A", "An", "Ann"):  # typing: one rebuild once the user pauses
        form.name.setText(text)
    form.utm_source.setText("lab")
    options = lab.current_options()
    assert options is not None
    assert lab.url_edit.text() == embed_url(options)
    assert "name=Ann" in lab.snippet.toPlainText()
    assert loads == []  # not yet: debounced
    qtbot.waitUntil(lambda: bool(loads), timeout=LOAD_MS)
    assert lab.view.options == options
    assert len(loads) == 1
    assert _run_js(
        qtbot, lab.view.page(), "document.querySelector('.calendly-inline-widget').dataset.url"
    ) == embed_url(options)
    qtbot.mouseClick(lab.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == lab.snippet.toPlainText() == snippet_html(options)
    assert lab.status.text() == "The HTML snippet is on the clipboard."


def test_only_the_embeds_hosts_load_in_the_view() -> None:
    sandbox = "http://127.0.0.1:8123"
    assert may_load_in_view(sandbox + "/acme/30min?embed_domain=x", sandbox)
    assert may_load_in_view("about:blank", sandbox)
    assert not may_load_in_view(sandbox + "/oauth/authorize?client_id=x", sandbox)
    assert not may_load_in_view("http://127.0.0.1:9999/acme/30min", sandbox)  # another port
    assert not may_load_in_view("https://calendly.com/acme", sandbox)
    assert not may_load_in_view("data:text/html,<p>x</p>", sandbox)
    calendly = "https://calendly.com"
    assert may_load_in_view("https://calendly.com/acme/30min", calendly)
    assert may_load_in_view("https://assets.calendly.com/assets/x.js", calendly)
    assert not may_load_in_view("http://calendly.com/acme", calendly)  # not over https
    assert not may_load_in_view("https://calendly.com.evil.example/acme", calendly)
    assert not may_load_in_view("https://auth.calendly.com/oauth/authorize", calendly)
    assert not may_load_in_view("https://example.org/", calendly)


def test_page_height_is_read_in_pixels_and_bounded() -> None:
    assert page_height({"height": "812px"}) == 812
    assert page_height({"height": "812.6px"}) == 813
    assert page_height({"height": "10px"}) == 200
    assert page_height({"height": "99999px"}) == 5000
    assert page_height({"height": "tall"}) is None
    assert page_height({}) is None


# -- the whole flow over the sandbox's booking pages ---------------------------------------------
_COMPLETE_FORM = """(function () {
  var form = document.getElementById('booking-form');
  var values = {};
  form.querySelectorAll('[required]').forEach(function (field) {
    if (field.value) return;
    values[field.name] = field.type === 'email' ? 'guest@example.com'
      : field.type === 'tel' ? '+14155550100' : 'An answer';
  });
  form.querySelectorAll('fieldset.cal-field').forEach(function (set) {
    if (!set.querySelector('.cal-required')) return;
    var boxes = set.querySelectorAll('input[type=radio], input[type=checkbox]');
    if (boxes.length && !set.querySelector('input:checked')) {
      values[boxes[0].name] = [boxes[0].value];
    }
  });
  var place = document.getElementById('field-location-text');
  if (place && !place.hidden && !document.getElementById('location').value) {
    values.location = '+14155550100';
  }
  CalendlySandbox.fill(values);
  return Object.keys(values);
})()"""


def _booking_frame(qtbot: Any, lab: EmbedLab, needle: str) -> QWebEngineFrame:
    """The booking page's frame whose address contains ``needle``, once its script is ready."""
    state: dict[str, Any] = {"ready": False, "asking": False}

    def find() -> QWebEngineFrame | None:
        for frame in lab.view.page().mainFrame().children():
            if needle in frame.url().toString():
                return frame
        return None

    def ready() -> bool:
        frame = find()
        if frame is None or state["ready"]:
            return frame is not None
        if not state["asking"]:
            state["asking"] = True

            def answer(value: Any) -> None:
                state.update(ready=value == "true", asking=False)

            frame.runJavaScript(
                "document.documentElement.getAttribute('data-cal-ready')", 0, answer
            )
        return False

    qtbot.waitUntil(ready, timeout=LOAD_MS)
    frame = find()
    assert frame is not None
    return frame


def _text_first_question(lab: EmbedLab) -> int:
    """An event type whose first question takes free text (a1 is prefilled); its index."""
    for index, source in enumerate(lab.sources):
        asked = sorted((q for q in source.questions if q.enabled), key=lambda q: q.position)
        if asked and asked[0].type in ("string", "text"):
            return index
    raise AssertionError("the seed has no event type with a text question first")


def test_a_booking_made_in_the_embed_reaches_the_app(
    page_context: Callable[..., PageContext],
    qtbot: Any,
    sandbox: SandboxServer,
    run_async: Callable[..., Any],
) -> None:
    lab, context, browser = _open_lab(page_context, qtbot)
    source = lab.sources[_text_first_question(lab)]
    if lab.current_source() != source:
        with qtbot.waitSignal(lab.view.loadFinished, timeout=LOAD_MS):
            assert lab.choose(source.url)
    frame = _booking_frame(qtbot, lab, source.url + "?")
    days = _json(qtbot, frame, "CalendlySandbox.availableDays()")
    assert days, "the event type has no open day this month"
    day = days[-1]

    # The scheduler fills the lab's controls; the embed is rebuilt once they pause.
    form = lab.form
    form.name.setText("Ann O'Lee")
    form.email.setText("ann.olee@example.com")
    form.guests.setText("bob@example.com, cy@example.com")
    form.answers[0].setText("Acme & Sons <b>")
    form.use_date.setChecked(True)
    form.date.setDate(QDate.fromString(day, "yyyy-MM-dd"))
    form.utm_campaign.setText("spring sale")
    form.utm_source.setText("embed-lab")
    form.hide_gdpr_banner.setChecked(True)
    with qtbot.waitSignal(lab.view.loadFinished, timeout=LOAD_MS):
        pass  # the debounce timer fires, the host page reloads with the new embed
    frame = _booking_frame(qtbot, lab, "name=Ann")
    assert "embed_domain=calendly-console.local" in frame.url().toString()
    assert "embed_type=Inline" in frame.url().toString()

    # The booking page shows the prefill (read back from its own form) and the settings.
    shown = _json(
        qtbot,
        frame,
        "(function () { var f = document.getElementById('booking-form').elements;"
        " return {name: f.name.value, email: f.email.value, guests: f.guests.value,"
        " a1: f.a1.value, embedded: CalendlySandbox.embedded, day: CalendlySandbox.selectedDay(),"
        " banner: document.getElementById('gdpr-banner') !== null}; })()",
    )
    guests = [guest.strip() for guest in shown.pop("guests").split(",")]
    assert guests == ["bob@example.com", "cy@example.com"]
    assert shown == {
        "name": "Ann O'Lee",
        "email": "ann.olee@example.com",
        "a1": "Acme & Sons <b>",
        "embedded": True,
        "day": day,
        "banner": False,
    }

    # Pick the day's first time, complete what the prefill left open, and book.
    changed: list[tuple[str, str]] = []
    context.changes.changed.connect(lambda kind, uri: changed.append((kind, uri)))
    with qtbot.waitSignal(
        lab.view.message_received,
        timeout=LOAD_MS,
        check_params_cb=lambda m: m.event == "calendly.date_and_time_selected",
    ):
        start = _run_js(
            qtbot,
            frame,
            "(function () { var s = CalendlySandbox.slots()[0];"
            " CalendlySandbox.pickSlot(s); return s; })()",
        )
    _run_js(qtbot, frame, _COMPLETE_FORM)
    with qtbot.waitSignal(lab.booking_fetched, timeout=LOAD_MS) as fetched:
        assert _run_js(qtbot, frame, "CalendlySandbox.submit()") is True
    event, invitee = fetched.args

    # The app read the new event and invitee through the client, from the URIs the embed sent.
    scheduled = [m for m in lab.log.events() if m == "calendly.event_scheduled"]
    assert scheduled == ["calendly.event_scheduled"]
    assert invitee.name == "Ann O'Lee" and invitee.email == "ann.olee@example.com"
    assert invitee.event == event.uri and event.start_time.isoformat().startswith(start[:16])
    assert invitee.tracking is not None
    assert invitee.tracking.utm_campaign == "spring sale"
    assert invitee.tracking.utm_source == "embed-lab"
    assert [qa.answer for qa in invitee.questions_and_answers][:1] == ["Acme & Sons <b>"]
    assert sorted(g.email for g in event.event_guests) == ["bob@example.com", "cy@example.com"]
    client = context.connection.client
    again = run_async(client.scheduled_events.get_invitee(invitee.uri))
    assert again.uri == invitee.uri and again.status == "active"
    assert invitee.uri.startswith(sandbox.base_url + "/scheduled_events/")
    # ... told the Scheduled events page, showed it, and logged who booked.
    assert ("scheduled_event", event.uri) in changed
    assert ("invitee", invitee.uri) in changed
    assert "Ann O'Lee" in lab.booking_note.text()
    assert context.action_log is not None
    entries = run_async(context.action_log.query(actions=["invitee.book"]))
    assert [(e.action, e.target_uri, e.outcome) for e in entries] == [
        ("invitee.book", invitee.uri, "ok")
    ]
    assert browser.opened == []  # booking never left the view


def test_the_popup_opens_over_the_host_page_and_reports_too(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    source = lab.sources[0]
    with qtbot.waitSignal(lab.view.loadFinished, timeout=LOAD_MS):
        lab.form.mode.setCurrentIndex(lab.form.mode.findData("popup"))
    assert "Calendly.initPopupWidget" in lab.snippet.toPlainText()
    page = lab.view.page()
    assert _run_js(qtbot, page, "document.querySelectorAll('iframe').length") == 0
    with qtbot.waitSignal(
        lab.view.message_received,
        timeout=LOAD_MS,
        check_params_cb=lambda m: m.event == "calendly.event_type_viewed",
    ):
        _run_js(qtbot, page, "document.querySelector('.embed a').click(); true")
    frame = _booking_frame(qtbot, lab, source.url + "?")
    assert "embed_type=PopupWidget" in frame.url().toString()


def test_the_web_engine_waits_until_the_lab_is_seen(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab = EmbedLab(open_external=Browser().open)
    page_context.adopt(lab)  # type: ignore[attr-defined]
    lab.bind(page_context("owner"))
    qtbot.waitUntil(lambda: bool(lab.sources), timeout=LOAD_MS)
    assert lab._view is None  # bound on a hidden tab: no browser yet
    assert lab.url_edit.text().startswith(lab.sources[0].url)  # the snippet is ready already
    lab.show()
    qtbot.waitUntil(lambda: lab._view is not None, timeout=LOAD_MS)
    assert lab.view.options == lab.current_options()


def test_refresh_keeps_the_chosen_page_and_unbind_forgets_everything(
    page_context: Callable[..., PageContext], qtbot: Any
) -> None:
    lab, _, _ = _open_lab(page_context, qtbot)
    chosen = lab.sources[-1]
    with qtbot.waitSignal(lab.view.loadFinished, timeout=LOAD_MS):
        assert lab.choose(chosen.url)
    shown = lab.view.options
    lab.refresh()
    assert lab.status.text() == "Loading booking pages…"
    qtbot.waitUntil(lambda: lab.status.text() == "", timeout=LOAD_MS)
    assert lab.current_source() == chosen
    assert lab.view.options is shown  # not reloaded: what the user is doing in it stays
    lab.unbind()
    assert lab.sources == [] and lab.source.count() == 0
    assert lab.view.options is None and lab.view.embed_origin == ""
    assert lab.snippet.toPlainText() == "" and not lab.copy_button.isEnabled()


def test_a_member_embeds_only_their_own_pages(
    page_context: Callable[..., PageContext], qtbot: Any, run_async: Callable[..., Any]
) -> None:
    lab, context, _ = _open_lab(page_context, qtbot, "user")
    client = context.connection.client
    me = run_async(client.users.me())

    async def theirs() -> set[str]:
        return {t.scheduling_url async for t in client.event_types.iterate(user=me.uri)}

    pages = [source.url for source in lab.sources]
    assert pages[-1] == me.scheduling_url  # their landing page, after the event types
    assert set(pages[:-1]) <= run_async(theirs())  # event types they own or host; no one else's
    assert len(pages) > 1


def test_a_booking_report_naming_another_host_is_not_fetched(
    page_context: Callable[..., PageContext], qtbot: Any, sandbox: SandboxServer
) -> None:
    """The embed's word does not send the app's token anywhere: only this connection's API."""
    lab, context, _ = _open_lab(page_context, qtbot)
    frame = _sandbox_frame(qtbot, lab, sandbox)
    changed: list[tuple[str, str]] = []
    context.changes.changed.connect(lambda kind, uri: changed.append((kind, uri)))
    payload = {
        "event": {"uri": "https://evil.example/scheduled_events/E1"},
        "invitee": {"uri": "https://evil.example/scheduled_events/E1/invitees/I1"},
    }
    message = json.dumps({"event": "calendly.event_scheduled", "payload": payload})
    _run_js(qtbot, frame, f"parent.postMessage({message}, '*'); true")
    qtbot.waitUntil(
        lambda: (
            lab.booking_note.text() == "The embed reported a booking this connection cannot read."
        ),
        timeout=LOAD_MS,
    )
    assert "calendly.event_scheduled" in lab.log.events()
    assert changed == [] and lab.last_booking is None
