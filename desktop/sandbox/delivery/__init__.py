"""Webhook delivery: payloads, signatures, matching, the queue and the background sender."""
