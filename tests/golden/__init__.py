"""Golden records: the whole record of a few bundled articles, checked in (records.py says which and why)."""
