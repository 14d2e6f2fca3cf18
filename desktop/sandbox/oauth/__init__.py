"""The sandbox's OAuth 2.0 authorization server: consent, codes with PKCE, tokens (facts §7)."""
