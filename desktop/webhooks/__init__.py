"""Webhook logic without Qt: signatures, payloads, the test sender, the local receiver."""
