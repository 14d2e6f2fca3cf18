"""The async Calendly client: resources, pagination, retries, errors, auth (no Qt)."""
