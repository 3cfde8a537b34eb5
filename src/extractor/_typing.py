"""Shared type aliases, so signatures say what an int holds."""

from typing import TypeAlias

CharOffset: TypeAlias = int
"""A character offset into a Document's normalized text (ArticleRecord.text)."""

PageNo: TypeAlias = int
"""A 1-based page number."""
