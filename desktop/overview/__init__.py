"""The Overview dashboard's data without Qt: figures, their computation and the cache."""
