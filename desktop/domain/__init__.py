"""Typed immutable records and pure rules; imports nothing else of ours, does no I/O."""
