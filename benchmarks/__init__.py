"""Performance scenarios, measured side by side in one run (ratios, not absolute times)."""
