"""Renderers: stored records to Calendly's wire objects, with URIs on the sandbox host."""
