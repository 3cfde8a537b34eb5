"""PDF articles: text in geometric reading order (`layout`), first-page front matter (`front`), tables (`tables`)."""

from extractor.ingest.pdf.layout import Backend, read_pdf

__all__ = ["Backend", "read_pdf"]
