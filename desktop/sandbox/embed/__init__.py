"""The booking pages and ``widget.js`` Calendly serves on calendly.com, served by the sandbox.

Each event type's ``scheduling_url`` answers with a booking page (month, day and slot picker,
then the invitee form), each user's with their profile page; ``/assets/external/widget.js``
and ``widget.css`` are a Calendly-compatible embed script. The pages post Calendly's
``calendly.*`` messages to the parent window when embedded (facts §8). They are not part of
the API: no token, no API faults or rate limits (``Pages.beside``).
"""

from __future__ import annotations

from desktop.sandbox.embed.pages import Pages

__all__ = ["Pages"]
