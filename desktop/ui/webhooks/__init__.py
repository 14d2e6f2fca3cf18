"""The Webhooks page: subscriptions of every scope, their keys, their health, and a test bench."""
