"""Signed-in connections (Qt-free): who the token is, and a client built for a profile."""
