"""The Overview page: cards, charts and their filters, drawn from ``desktop.overview``'s figures."""
