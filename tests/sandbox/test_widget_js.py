"""The sandbox's ``widget.js``: served like Calendly's, and the iframe URLs it builds.

The script itself runs in node (when node is installed) against a minimal stand-in for the
DOM: the widgets' iframe ``src`` is read back and its query checked parameter by parameter.
The booking page's own script runs in QtWebEngine in the embed-lab tests; here node only
checks that it parses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from desktop.sandbox import SandboxServer
from tests.sandbox.helpers import plain_client

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed (apt: nodejs)")
STATIC = Path(__file__).parents[2] / "desktop" / "sandbox" / "embed" / "static"

# A stand-in for the few DOM calls widget.js makes, then the scenarios; prints JSON.
HARNESS = r"""
const fs = require("fs");
const vm = require("vm");

function element(tag) {
  const node = {
    tagName: tag.toUpperCase(), attributes: {}, children: [], style: {}, className: "",
    listeners: {}, parentNode: null, textContent: "",
    contentWindow: tag === "iframe" ? { frame: true } : undefined,
    setAttribute(k, v) { this.attributes[k] = String(v); },
    getAttribute(k) { return k in this.attributes ? this.attributes[k] : null; },
    appendChild(c) { c.parentNode = this; this.children.push(c); return c; },
    removeChild(c) {
      this.children = this.children.filter((x) => x !== c);
      c.parentNode = null;
      return c;
    },
    addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); },
    removeEventListener(t, f) {
      this.listeners[t] = (this.listeners[t] || []).filter((g) => g !== f);
    },
    click() { (this.listeners.click || []).forEach((f) => f({})); },
  };
  Object.defineProperty(node, "innerHTML", { set() { node.children = []; }, get() { return ""; } });
  return node;
}
const body = element("body");
const all = (node) => node.children.flatMap((c) => [c, ...all(c)]);
const classed = (name) => all(body).filter((n) => n.className.split(" ").includes(name));
const document = {
  readyState: "complete", body, createElement: element,
  addEventListener() {}, removeEventListener() {},
  querySelectorAll(selector) {
    if (selector === ".calendly-overlay") return classed("calendly-overlay");
    if (selector === ".calendly-inline-widget[data-url]")
      return classed("calendly-inline-widget").filter((n) => n.getAttribute("data-url") !== null);
    throw new Error("selector not faked: " + selector);
  },
};
const listeners = {};
const window = {
  location: { host: "shop.example:8443", protocol: "https:" },
  addEventListener(t, f) { (listeners[t] = listeners[t] || []).push(f); },
};
window.window = window;
const src = (node) => node.children[0].getAttribute("src");

// A declarative embed on the page before the script loads.
const declared = element("div");
declared.className = "calendly-inline-widget";
declared.setAttribute("data-url", "https://sandbox.test/ada/30min?hide_gdpr_banner=1");
declared.setAttribute("data-resize", "true");
body.appendChild(declared);

const context = vm.createContext({ window, document, URLSearchParams, Date, console });
vm.runInContext(fs.readFileSync(process.argv[process.argv.length - 1], "utf8"), context);
const Calendly = window.Calendly;
const out = { api: Object.keys(Calendly).sort(), declared: src(declared) };

// data-resize: the iframe's own page_height sets the height; other sources do not.
const frameWindow = declared.children[0].contentWindow;
const send = (source, data) => (listeners.message || []).forEach((f) => f({ source, data }));
send({ other: true }, { event: "calendly.page_height", payload: { height: "999px" } });
send(frameWindow, { event: "calendly.page_height", payload: { height: "812px" } });
send(frameWindow, { event: "calendly.page_height", payload: { height: "1px;background:red" } });
out.resized = declared.style.height;

const inline = element("div");
body.appendChild(inline);
Calendly.initInlineWidget({
  url: "https://sandbox.test/ada/30min?name=Old&month=2020-01#top",
  parentElement: inline,
  prefill: {
    name: "Ada Lovelace", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace",
    location: "+1 415 555 0199", guests: ["a@example.com", "b@example.com"],
    customAnswers: { a1: "First", a2: "Line one\nLine two", a10: "Tenth", a11: "ignored" },
    date: new Date(2026, 0, 5, 23, 30),
  },
  utm: {
    utmCampaign: "spring", utmSource: "newsletter", utmMedium: "email", utmContent: "banner",
    utmTerm: "booking", salesforceUuid: "0035e000001",
  },
  pageSettings: {
    hideEventTypeDetails: true, hideLandingPageDetails: false, hideGdprBanner: true,
    backgroundColor: "#ffeedd", textColor: "111111", primaryColor: "00a2ff",
  },
});
out.inline = src(inline);
out.inlineResizes = inline.style.height === undefined;

Calendly.initPopupWidget({
  url: "https://sandbox.test/ada/30min", prefill: { email: "p@example.com" },
  utm: { utmSource: "popup" },
});
out.popup = src(classed("calendly-popup-content")[0]);
out.overlaysOpen = classed("calendly-overlay").length;
Calendly.closePopupWidget();
out.overlaysAfterClose = classed("calendly-overlay").length;

const badge = Calendly.initBadgeWidget({ url: "https://sandbox.test/ada", text: "Book me" });
out.badgeText = badge.children[0].textContent;
badge.children[0].click();
out.badgePopup = src(classed("calendly-popup-content")[0]);
classed("calendly-popup-close")[0].click();
out.overlaysAfterCloseButton = classed("calendly-overlay").length;

console.log(JSON.stringify(out));
"""


@pytest.fixture
def browser(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with plain_client(sandbox.base_url) as client:
        yield client


def query(url: str) -> dict[str, str]:
    found = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert all(len(v) == 1 for v in found.values()), found
    return {k: v[0] for k, v in found.items()}


def test_widget_assets_are_served_like_calendlys(browser: httpx.Client) -> None:
    script = browser.get("/assets/external/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    for name in ("initInlineWidget", "initPopupWidget", "closePopupWidget", "initBadgeWidget"):
        assert f"Calendly.{name} = function" in script.text
    style = browser.get("/assets/external/widget.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert ".calendly-overlay" in style.text and ".calendly-badge-widget" in style.text
    page_script = browser.get("/assets/booking/booking.js")
    assert page_script.headers["content-type"].startswith("text/javascript")
    assert "calendly.event_scheduled" not in page_script.text  # the server names what to announce
    assert 'window.parent.postMessage(message, "*")' in page_script.text
    assert browser.get("/assets/booking/booking.css").status_code == 200
    assert browser.get("/assets/external/nothing.js").status_code == 404


@pytest.fixture(scope="module")
def run() -> dict[str, Any]:
    """widget.js's scenarios, run once in node."""
    if NODE is None:
        pytest.skip("node is not installed (apt: nodejs)")
    result = subprocess.run(
        [NODE, "-e", HARNESS, str(STATIC / "widget.js")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


@needs_node
def test_the_api_is_calendlys(run: dict[str, Any]) -> None:
    for name in ("initInlineWidget", "initPopupWidget", "closePopupWidget", "initBadgeWidget"):
        assert name in run["api"]


@needs_node
def test_inline_prefill_utm_and_page_settings_become_query_parameters(run: dict[str, Any]) -> None:
    url = run["inline"]
    assert url.startswith("https://sandbox.test/ada/30min?") and url.endswith("#top")
    assert query(url) == {
        "name": "Ada Lovelace",  # the option replaces the URL's own value
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "location": "+1 415 555 0199",
        "guests": "a@example.com,b@example.com",
        "a1": "First",
        "a2": "Line one\nLine two",
        "a10": "Tenth",
        "month": "2026-01",
        "date": "2026-01-05",  # the Date's own (local) day
        "utm_campaign": "spring",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_content": "banner",
        "utm_term": "booking",
        "salesforce_uuid": "0035e000001",
        "hide_event_type_details": "1",
        "hide_gdpr_banner": "1",
        "background_color": "ffeedd",
        "text_color": "111111",
        "primary_color": "00a2ff",
        "embed_domain": "shop.example:8443",
        "embed_type": "Inline",
    }


@needs_node
def test_declared_inline_widgets_load_and_resize(run: dict[str, Any]) -> None:
    assert query(run["declared"]) == {
        "hide_gdpr_banner": "1",
        "embed_domain": "shop.example:8443",
        "embed_type": "Inline",
    }
    assert run["resized"] == "812px"  # its own iframe's height; a foreign or bad one ignored
    assert run["inlineResizes"] is True  # without data-resize the height is left alone


@needs_node
def test_popup_and_badge_open_and_close(run: dict[str, Any]) -> None:
    assert query(run["popup"]) == {
        "email": "p@example.com",
        "utm_source": "popup",
        "embed_domain": "shop.example:8443",
        "embed_type": "PopupWidget",
    }
    assert run["overlaysOpen"] == 1 and run["overlaysAfterClose"] == 0
    assert run["badgeText"] == "Book me"
    assert query(run["badgePopup"])["embed_type"] == "PopupWidget"
    assert run["overlaysAfterCloseButton"] == 0


@needs_node
@pytest.mark.parametrize("name", ["widget.js", "booking.js"])
def test_the_scripts_parse(name: str) -> None:
    assert NODE is not None
    result = subprocess.run(
        [NODE, "--check", str(STATIC / name)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
