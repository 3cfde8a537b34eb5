"""Scoring against external, published data sets (not shipped with the package)."""
