"""Qt item models over domain records."""
