"""Batch runs over many files.

inputs.py (which files), runner.py (the run: resume, order, outputs), pool.py and dask_backend.py (where the
documents are extracted; worker.py is the worker side of both), journal.py (crash-safe JSONL outputs),
manifest.py (run facts and the fingerprint that decides reuse), columnar.py (Parquet / DuckDB tables).
"""
