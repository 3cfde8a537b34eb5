"""Evaluation: scores of the extractor against references, never used by extraction itself.

gold.py scores records against hand-made gold (`extractor eval`); metadata.py and parity.py compare with
publisher XML (`extractor eval-metadata`); pdf_fidelity.py measures PDF ingest against the same articles' XML
(`extractor eval-pdf`); external/ scores public data sets (`extractor eval-external`).
"""
