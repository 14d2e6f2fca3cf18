"""The organization's pages: members, event types, scheduled events, routing forms."""
