"""The embed URL and HTML snippet carry exactly the chosen prefill, UTM and page settings."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from desktop.ui.booking.embed_snippet import (
    EmbedOptions,
    PageSettings,
    Prefill,
    Utm,
    colour_problem,
    embed_origin,
    embed_url,
    snippet_html,
    split_guests,
    widget_css_url,
    widget_script_url,
)

SANDBOX_URL = "http://127.0.0.1:8123/acme-owner/30min"
CALENDLY_URL = "https://calendly.com/acme/intro"


class _Tags(HTMLParser):
    """Tags and their (unescaped) attributes, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_nothing_chosen_is_the_bare_scheduling_url() -> None:
    assert embed_url(EmbedOptions(SANDBOX_URL)) == SANDBOX_URL
    assert embed_url(EmbedOptions(CALENDLY_URL)) == CALENDLY_URL


def test_every_choice_lands_under_calendlys_parameter_names_and_nothing_else() -> None:
    options = EmbedOptions(
        SANDBOX_URL,
        prefill=Prefill(
            name="Ann Lee",
            first_name="Ann",
            last_name="Lee",
            email="ann@example.com",
            guests=("bob@example.com", "cy@example.com"),
            answers=("Acme", "", "Three"),
            date=date(2027, 3, 9),
        ),
        utm=Utm(campaign="spring", source="newsletter", medium="email", content="top", term="x"),
        page=PageSettings(
            hide_event_type_details=True,
            hide_landing_page_details=True,
            hide_gdpr_banner=True,
            background_color="#FFFFFF",
            text_color="4d5055",
            primary_color="00A2FF",
        ),
    )
    assert dict(_query(embed_url(options))) == {
        "hide_event_type_details": "1",
        "hide_landing_page_details": "1",
        "hide_gdpr_banner": "1",
        "background_color": "ffffff",
        "text_color": "4d5055",
        "primary_color": "00a2ff",
        "name": "Ann Lee",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@example.com",
        "guests": "bob@example.com,cy@example.com",
        "date": "2027-03-09",
        "a1": "Acme",
        "a3": "Three",  # an empty a2 is left out; a3 stays the third question's answer
        "utm_campaign": "spring",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_content": "top",
        "utm_term": "x",
    }
    assert len(_query(embed_url(options))) == 19  # no duplicates


def test_unchecked_settings_and_bad_colours_stay_out() -> None:
    options = EmbedOptions(
        SANDBOX_URL,
        page=PageSettings(background_color="white", text_color="#12345", primary_color=""),
        prefill=Prefill(email="ann@example.com"),
    )
    assert _query(embed_url(options)) == [("email", "ann@example.com")]


def test_values_are_percent_encoded_so_they_cannot_add_parameters() -> None:
    options = EmbedOptions(
        SANDBOX_URL,
        prefill=Prefill(name="Ann & Bob=1 #x", answers=("50% off?&a2=evil",)),
        utm=Utm(campaign="a b/c"),
    )
    url = embed_url(options)
    assert " " not in url and "#" not in url
    assert urlsplit(url).fragment == ""
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "name": ["Ann & Bob=1 #x"],
        "a1": ["50% off?&a2=evil"],
        "utm_campaign": ["a b/c"],
    }


def test_a_url_with_its_own_parameters_keeps_them_and_ours_win() -> None:
    options = EmbedOptions(CALENDLY_URL + "?month=2027-03&name=Old", prefill=Prefill(name="New"))
    assert _query(embed_url(options)) == [("month", "2027-03"), ("name", "New")]


def test_guests_are_split_and_capped_at_ten() -> None:
    assert split_guests("a@x.io, b@x.io;c@x.io\n d@x.io") == (
        "a@x.io",
        "b@x.io",
        "c@x.io",
        "d@x.io",
    )
    many = tuple(f"g{n}@example.com" for n in range(12))
    guests = dict(_query(embed_url(EmbedOptions(SANDBOX_URL, prefill=Prefill(guests=many)))))
    assert guests["guests"].split(",") == list(many[:10])


def test_colour_problems() -> None:
    assert colour_problem("") is None
    assert colour_problem("#00a2FF") is None
    assert colour_problem("00a2f") is not None
    assert colour_problem("blue") is not None


def test_widget_script_and_origin_follow_the_embedded_host() -> None:
    assert (
        widget_script_url(CALENDLY_URL) == "https://assets.calendly.com/assets/external/widget.js"
    )
    assert widget_css_url(CALENDLY_URL) == "https://assets.calendly.com/assets/external/widget.css"
    assert embed_origin(CALENDLY_URL) == "https://calendly.com"
    assert widget_script_url(SANDBOX_URL) == "http://127.0.0.1:8123/assets/external/widget.js"
    assert embed_origin(SANDBOX_URL) == "http://127.0.0.1:8123"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "data:text/html,x", "calendly.com/x", ""])
def test_only_web_addresses_are_embedded(bad: str) -> None:
    with pytest.raises(ValueError, match="not a web address"):
        embed_url(EmbedOptions(bad))


def test_the_inline_snippet_is_calendlys_with_the_url_escaped() -> None:
    options = EmbedOptions(
        SANDBOX_URL,
        prefill=Prefill(name='Ann "<b>" Lee', email="ann@example.com"),
        page=PageSettings(hide_gdpr_banner=True),
    )
    html = snippet_html(options)
    assert "<b>" not in html and '"<' not in html
    tags = _parse(html).tags
    assert [tag for tag, _ in tags] == ["div", "script"]
    div, script = tags[0][1], tags[1][1]
    assert div["class"] == "calendly-inline-widget"
    assert div["data-url"] == embed_url(options)  # the browser reads back exactly our URL
    assert dict(_query(div["data-url"])) == {
        "hide_gdpr_banner": "1",
        "name": 'Ann "<b>" Lee',
        "email": "ann@example.com",
    }
    assert script["src"] == "http://127.0.0.1:8123/assets/external/widget.js"
    assert "async" in script


def test_the_popup_snippet_calls_init_popup_widget_with_the_url() -> None:
    options = EmbedOptions(
        CALENDLY_URL,
        mode="popup",
        prefill=Prefill(name="O'Hara </script>"),
        utm=Utm(source="site"),
        link_text="Book <now> & save",
    )
    parsed = _parse(snippet_html(options))
    tags = dict(parsed.tags)
    assert tags["link"]["href"] == "https://assets.calendly.com/assets/external/widget.css"
    assert tags["script"]["src"] == "https://assets.calendly.com/assets/external/widget.js"
    onclick = tags["a"]["onclick"]
    # JSON is a JavaScript string literal: the handler passes exactly our URL.
    url = embed_url(options)
    assert onclick == 'Calendly.initPopupWidget({url: "' + url + '"});return false;'
    assert dict(_query(embed_url(options))) == {"name": "O'Hara </script>", "utm_source": "site"}
    assert parsed.text == ["Book <now> & save"]
