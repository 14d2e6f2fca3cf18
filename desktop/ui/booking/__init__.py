"""Booking page: the booking desk (Scheduling API) and the embed lab (Embed API)."""
