"""Long documents for `make bench`: texts of 10 KB to 3 MB built from real articles, generated, never committed.

Two shapes, each at every size:
- distinct: whole trial articles one after another (../shared/data/evidence_inference/txt_files when present,
  else the bundled seeds, cycled): the cost of length alone;
- repetitive: one results-heavy article's paragraphs repeated in order (its first paragraph once): as many items
  as the text has room for, the cost of many items (de-duplication, per-item lookups). The article is the bundled
  review with flattened tables (corpus/seeds/002_*: ~410 items in 62 KB, the most per character of the seeds and
  of the 150 shared trial articles), so the bench needs nothing outside the project.

`python benchmarks/long_docs.py OUT_DIR` writes them as OUT_DIR/{distinct,repetitive}_{size}.txt.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_ARTICLES = ROOT.parent / "shared" / "data" / "evidence_inference" / "txt_files"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "3m": 3_000_000}  # characters
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
RESULTS_HEAVY = ROOT / "corpus" / "seeds" / "002_e5b7ac3fa1a98ba6.txt"


def article_sources(folder: Path | None = None) -> list[Path]:
    """The articles to build from: a folder's *.txt, the shared trial articles, or the bundled seeds."""
    for candidate in (folder, SHARED_ARTICLES, ROOT / "corpus" / "seeds"):
        if candidate is not None and candidate.is_dir():
            found = sorted(candidate.glob("*.txt"))
            if found:
                return found
    raise FileNotFoundError("no *.txt articles to build long documents from")


def cut(text: str, size: int) -> str:
    """`text` up to `size` characters, cut at the last paragraph break before it (or at `size` if none)."""
    if len(text) <= size:
        return text
    end = text.rfind("\n\n", 0, size)
    return text[: end if end > size // 2 else size]


def distinct_text(sources: list[Path], size: int) -> str:
    """Whole articles one after another until `size` characters (cycling if the sources are shorter)."""
    parts: list[str] = []
    length = 0
    while length < size:
        for path in sources:
            article = path.read_text(encoding="utf-8").strip()
            parts.append(article)
            length += len(article) + 2
            if length >= size:
                break
    return cut("\n\n".join(parts), size)


def repetitive_text(article: Path, size: int) -> str:
    """The article once, then its paragraphs after the first (a title) again and again, until `size`."""
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(article.read_text(encoding="utf-8")) if p.strip()]
    body = paragraphs[1:] or paragraphs
    parts = list(paragraphs)
    length = sum(len(p) + 2 for p in parts)
    while length < size:
        for paragraph in body:
            parts.append(paragraph)
            length += len(paragraph) + 2
            if length >= size:
                break
    return cut("\n\n".join(parts), size)


def write_inputs(
    folder: Path, sizes: dict[str, int], sources: list[Path], heavy: Path = RESULTS_HEAVY
) -> dict[str, Path]:
    """{name: path} of every long document, written to `folder` (name: distinct_10k, repetitive_3m, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for label, size in sizes.items():
        for shape, text in (("distinct", distinct_text(sources, size)), ("repetitive", repetitive_text(heavy, size))):
            path = folder / f"{shape}_{label}.txt"
            path.write_text(text, encoding="utf-8")
            written[f"{shape}_{label}"] = path
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=Path, help="folder of *.txt articles (default: shared, else seeds)")
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated, of {', '.join(SIZES)}")
    args = parser.parse_args()
    sizes = {label: SIZES[label] for label in args.sizes.split(",")}
    sources = article_sources(args.sources)
    for name, path in write_inputs(args.out, sizes, sources).items():
        text = path.read_text(encoding="utf-8")
        print(f"{name:16s} {len(text):>9,d} chars {len(text.split()):>8,d} words  {path}")


if __name__ == "__main__":
    main()
