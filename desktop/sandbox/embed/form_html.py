"""The invitee form's HTML: name, e-mail, guests, location, custom questions, each with its error.

Every field sits in an element ``id="field-<key>"`` with its input ``id="<key>"`` and an error
line ``id="error-<key>"`` (hidden while empty), each also with ``data-testid``; keys are the
form's names: ``name`` or ``first_name``/``last_name``, ``email``, ``guests``, ``location``,
``a1``..``aN`` (the enabled custom questions in order), plus ``start_time`` and ``timezone``.
"""

from __future__ import annotations

from html import escape

from desktop.sandbox.embed.form import OTHER, FormState
from desktop.sandbox.embed.html import attr
from desktop.sandbox.embed.lookup import EventView, Place, Question
from desktop.sandbox.wire import TRACKING_KEYS

REQUIRED = '<span class="cal-required" aria-hidden="true"> *</span>'


def error_line(key: str, form: FormState) -> str:
    messages = form.errors.get(key) or []
    hidden = "" if messages else " hidden"
    return (
        f'<p class="cal-error" id="error-{attr(key)}" data-testid="error-{attr(key)}" '
        f'role="alert"{hidden}>{escape(" ".join(messages))}</p>'
    )


def _field_open(key: str, form: FormState, tag: str = "div") -> str:
    invalid = " cal-invalid" if form.errors.get(key) else ""
    return f'<{tag} class="cal-field{invalid}" id="field-{key}" data-testid="field-{key}">'


def text_field(
    key: str,
    label: str,
    form: FormState,
    *,
    kind: str = "text",
    required: bool = False,
    autocomplete: str | None = None,
    hint: str | None = None,
) -> str:
    extra = f' autocomplete="{autocomplete}"' if autocomplete else ""
    extra += " required" if required else ""
    extra += ' aria-invalid="true"' if form.errors.get(key) else ""
    note = f'<p class="cal-hint" id="hint-{key}">{escape(hint)}</p>' if hint else ""
    return (
        f"{_field_open(key, form)}"
        f'<label for="{key}">{escape(label)}{REQUIRED if required else ""}</label>'
        f'<input type="{kind}" id="{key}" name="{key}" value="{attr(form.first(key))}" '
        f'data-testid="input-{key}"{extra}>'
        f"{note}{error_line(key, form)}</div>"
    )


def _textarea(question: Question, form: FormState) -> str:
    key = question.field
    return (
        f"{_field_open(key, form)}"
        f'<label for="{key}">{escape(question.name)}{REQUIRED if question.required else ""}'
        f'</label><textarea id="{key}" name="{key}" rows="3" data-testid="input-{key}"'
        f"{' required' if question.required else ''}>{escape(form.first(key))}</textarea>"
        f"{error_line(key, form)}</div>"
    )


def _choices(question: Question, form: FormState) -> str:
    key = question.field
    kind = "radio" if question.type == "single_select" else "checkbox"
    picked = form.values.get(key) or []
    rows = []
    for number, choice in enumerate(question.choices, start=1):
        checked = " checked" if choice in picked else ""
        rows.append(
            f'<label class="cal-choice"><input type="{kind}" name="{key}" id="{key}-{number}" '
            f'value="{attr(choice)}" data-testid="input-{key}-{number}"{checked}> '
            f"{escape(choice)}</label>"
        )
    if question.include_other:
        checked = " checked" if OTHER in picked else ""
        rows.append(
            f'<label class="cal-choice"><input type="{kind}" name="{key}" id="{key}-other" '
            f'value="{OTHER}" data-testid="input-{key}-other"{checked}> Other</label>'
            f'<input type="text" class="cal-other" id="{key}-other-text" name="{key}_other" '
            f'value="{attr(form.first(key + "_other"))}" aria-label="Other" '
            f'data-testid="input-{key}-other-text">'
        )
    return (
        f"{_field_open(key, form, 'fieldset')}"
        f"<legend>{escape(question.name)}{REQUIRED if question.required else ''}</legend>"
        f"{''.join(rows)}{error_line(key, form)}</fieldset>"
    )


def question_field(question: Question, form: FormState) -> str:
    if question.type in ("single_select", "multi_select"):
        return _choices(question, form)
    if question.type == "text":
        return _textarea(question, form)
    kind = "tel" if question.type == "phone_number" else "text"
    return text_field(question.field, question.name, form, kind=kind, required=question.required)


def _text_label(place: Place) -> str:
    return "Phone number" if place.kind == "outbound_call" else "Location"


def location_field(view: EventView, form: FormState) -> str:
    """The location choice (radios when several) and the invitee's text for kinds that need it."""
    if not view.places:
        return ""
    chosen = form.first("location_choice")
    index = int(chosen) if chosen.isdigit() and int(chosen) < len(view.places) else 0
    current = view.places[index]
    if len(view.places) == 1:
        choice = (
            f'<input type="hidden" name="location_choice" value="0">'
            f'<p class="cal-place" id="location-choice-0" data-testid="location-choice-0" '
            f'data-kind="{attr(current.kind)}" data-needs-text="{str(current.needs_text).lower()}">'
            f"{escape(current.label)}</p>"
        )
    else:
        rows = []
        for place in view.places:
            checked = " checked" if place.index == index else ""
            rows.append(
                f'<label class="cal-choice"><input type="radio" name="location_choice" '
                f'id="location-choice-{place.index}" value="{place.index}" '
                f'data-testid="location-choice-{place.index}" data-kind="{attr(place.kind)}" '
                f'data-needs-text="{str(place.needs_text).lower()}"{checked}> '
                f"{escape(place.label)}</label>"
            )
        choice = "".join(rows)
    hidden = "" if current.needs_text else " hidden"
    text = (
        f'<div class="cal-location-text" id="field-location-text"{hidden}>'
        f'<label for="location" id="location-label">{_text_label(current)}{REQUIRED}</label>'
        f'<input type="text" id="location" name="location" value="{attr(form.first("location"))}"'
        f' data-testid="input-location"></div>'
    )
    return (
        f"{_field_open('location', form, 'fieldset')}<legend>Location</legend>"
        f"{choice}{text}{error_line('location', form)}</fieldset>"
    )


def form_fields(view: EventView, form: FormState) -> str:
    """The form's visible fields, in Calendly's order, then its hidden ones."""
    parts = []
    if view.split_names:
        parts.append(
            text_field("first_name", "First name", form, required=True, autocomplete="given-name")
        )
        parts.append(text_field("last_name", "Last name", form, autocomplete="family-name"))
    else:
        parts.append(text_field("name", "Name", form, required=True, autocomplete="name"))
    parts.append(
        text_field("email", "Email", form, kind="email", required=True, autocomplete="email")
    )
    parts.append(
        text_field(
            "guests",
            "Guest email(s)",
            form,
            hint="Separate e-mail addresses with commas; up to 10 guests.",
        )
    )
    parts.append(location_field(view, form))
    parts.extend(question_field(q, form) for q in view.questions)
    hidden = [
        '<input type="hidden" id="start_time" name="start_time" '
        f'value="{attr(form.start_time or "")}">'
    ]
    hidden += [
        f'<input type="hidden" id="{key}" name="{key}" value="{attr(form.first(key))}">'
        for key in TRACKING_KEYS
        if form.first(key)
    ]
    return "".join(parts) + "".join(hidden)
