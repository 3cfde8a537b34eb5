"""Ingest measurements on ../shared/data (skipped when it is absent): run from the project root.

    .venv/bin/python scripts/ingest_eval.py [--shared ../shared]

1. Evidence Inference text export (`evidence_inference/txt_files`, 150 articles) against the JATS of the same
   PMCID (`xml_files`), even and odd PMCIDs apart:
   - tables the export writes with cells (its caption line is in the text): found, columns and body rows right;
     cells (multiset of cell texts), (row label, column header, cell) triples (strict: the header text of the
     column equal; relaxed: the header read contained in the JATS one) and (row label, cell) pairs, P and R;
     header alignment: of the cells right of the row labels that a table read with header rows puts in the
     right row (their (row label, cell) pair is the JATS's), the share whose header path (the column's
     non-empty header cells top to bottom, spans filled) is the JATS's (P), and those cells against all the
     JATS's (R), and against all the cells read under a header (row or header wrong alike); tables whose
     header rows are all right;
   - title equal to the JATS <article-title> (letters and digits compared); paragraphs of 80+ characters whose
     section is the JATS reader's; article types.
2. Yun et al. 2024 JATS fragments (`rct_numeric_yun2024/xml`) and their markdown: documents read, tables with
   cells and header rows, footnotes, cell offsets that hold their cells; markdown cells against the fragments'.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import unicodedata
from pathlib import Path

from extractor.ingest import load_document
from extractor.ingest.clean import normalize
from extractor.ingest.document import Document, Table
from extractor.ingest.front_matter import read_metadata

Counts = collections.Counter[str]


def _key(text: str | None) -> str:
    return re.sub(r"\s+", "", normalize(text or "")).lower()


def _squash(text: str | None) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").lower() if ch.isalnum())


def _triples(doc: Document, table: Table) -> Counts:
    """(row label, column header, cell) of every cell right of the row labels, each cell once (where it starts:
    a section label spanning the row is no cell of each column), labels and headers with spans filled."""
    grid, head = table.filled(doc.text), table.header_rows
    return collections.Counter(
        f"{_key(grid[r][0])}\t{_key(' '.join(grid[k][c] for k in range(head)))}\t{_key(table.rows[r][c])}"
        for r in range(head, len(grid))
        for c in range(1, len(table.rows[r]))
        if table.rows[r][c].strip()
    )


def _paths(doc: Document, table: Table) -> Counts:
    """(row label, header path, cell) of every cell right of the row labels, as in `_triples`: the path holds the
    column's non-empty header cells, spans filled, top to bottom."""
    grid, head = table.filled(doc.text), table.header_rows
    width = max(map(len, grid), default=0)
    paths = [
        "/".join(_key(grid[k][c]) for k in range(head) if c < len(grid[k]) and grid[k][c].strip()) for c in range(width)
    ]
    return collections.Counter(
        f"{_key(grid[r][0])}\t{paths[c]}\t{_key(table.rows[r][c])}"
        for r in range(head, len(grid))
        for c in range(1, len(table.rows[r]))
        if table.rows[r][c].strip()
    )


def _relaxed(gold: Counts, found: Counts) -> int:
    pool = list(gold.elements())
    hits = 0
    for triple in found.elements():
        label, header, cell = triple.split("\t")
        for k, other in enumerate(pool):
            g_label, g_header, g_cell = other.split("\t")
            if (
                g_label == label
                and g_cell == cell
                and ((header and header in g_header) or (not header and not g_header))
            ):
                hits += 1
                pool.pop(k)
                break
    return hits


def _pairs(triples: Counts) -> Counts:
    return collections.Counter("\t".join(t.split("\t")[::2]) for t in triples.elements())


def evidence_inference(root: Path) -> None:
    counts = {"even": Counts(), "odd": Counts()}
    types: Counts = collections.Counter()
    for path in sorted((root / "txt_files").glob("PMC*.txt")):
        pmcid = path.stem
        c = counts["even" if int(pmcid[3:]) % 2 == 0 else "odd"]
        text_doc = load_document(path)
        jats_doc = load_document(root / "xml_files" / f"{pmcid}.nxml")
        raw = path.read_text(encoding="utf-8").replace("\u00a0", " ")
        found = {_key(t.label): t for t in text_doc.tables if t.label and t.rows}
        for gold in (t for t in jats_doc.tables if t.rows and t.label):
            label = gold.label.replace("\u00a0", " ") if gold.label else ""
            if not re.search(r"(?m)^" + re.escape(label).replace(r"\ ", r"\s*"), raw):
                continue  # the export did not write this table's cells
            c["tables"] += 1
            g3 = _triples(jats_doc, gold)
            c["gold"] += sum(g3.values())
            g_cells = collections.Counter(_key(x) for row in gold.rows for x in row if x.strip())
            c["gold cells"] += sum(g_cells.values())
            table = found.get(_key(gold.label))
            if table is None:
                continue
            c["found"] += 1
            p3 = _triples(text_doc, table)
            p_cells = collections.Counter(_key(x) for row in table.rows for x in row if x.strip())
            c["found cells"] += sum(p_cells.values())
            c["cells right"] += sum((g_cells & p_cells).values())
            c["read"] += sum(p3.values())
            c["strict"] += sum((g3 & p3).values())
            c["relaxed"] += _relaxed(g3, p3)
            c["pairs"] += sum((_pairs(g3) & _pairs(p3)).values())
            g_paths, p_paths = _paths(jats_doc, gold), _paths(text_doc, table)
            if table.header_rows:
                c["under header"] += sum(p_paths.values())
                c["placed"] += sum((_pairs(g_paths) & _pairs(p_paths)).values())
                c["aligned"] += sum((g_paths & p_paths).values())
                c["header right"] += {t.split("\t")[1] for t in p_paths} == {t.split("\t")[1] for t in g_paths}
            c["columns right"] += max(map(len, gold.rows)) == max(map(len, table.rows))
            c["body rows right"] += len(gold.rows) - gold.header_rows == len(table.rows) - table.header_rows
            c["with header"] += table.header_rows > 0
        meta = read_metadata(text_doc)
        c["articles"] += 1
        c["title right"] += _squash(meta.title) == _squash(jats_doc.metadata.get("title"))
        types[meta.article_type.value if meta.article_type else "none"] += 1
        for paragraph in re.split(r"\n+", text_doc.text):
            at = jats_doc.text.find(paragraph[:60]) if len(paragraph) >= 80 else -1
            if at >= 0:
                c["paragraphs"] += 1
                same = text_doc.section_at(text_doc.text.find(paragraph[:60])) == jats_doc.section_at(at)
                c["same section"] += same
    for parity, c in counts.items():

        def ratio(a: str, b: str, c: Counts = c) -> str:
            return f"{c[a] / max(1, c[b]):.3f}"

        print(
            f"evidence_inference {parity}: {c['articles']} articles; tables with cells in the text {c['tables']}, "
            f"read {c['found']} (columns right {c['columns right']}, body rows right {c['body rows right']}, "
            f"with header rows {c['with header']}); cells P {ratio('cells right', 'found cells')} "
            f"R {ratio('cells right', 'gold cells')}; triples strict P {ratio('strict', 'read')} "
            f"R {ratio('strict', 'gold')}, relaxed header P {ratio('relaxed', 'read')} R {ratio('relaxed', 'gold')}; "
            f"(label, cell) P {ratio('pairs', 'read')} R {ratio('pairs', 'gold')}; header alignment "
            f"P {ratio('aligned', 'placed')} R {ratio('aligned', 'gold')}, of all cells under a header "
            f"{ratio('aligned', 'under header')} (tables with all header paths right "
            f"{c['header right']}); title {c['title right']}/"
            f"{c['articles']}; paragraphs in the JATS reader's section {ratio('same section', 'paragraphs')} "
            f"of {c['paragraphs']}"
        )
    print(f"evidence_inference article types: {dict(types)}")


def yun(root: Path) -> None:
    cells: dict[str, Counts] = {}
    for folder, suffix in (("xml", "xml"), ("markdown", "md")):
        c: Counts = collections.Counter()
        for path in sorted((root / folder).glob(f"PMC*.{suffix}")):
            try:
                doc = load_document(path)
            except Exception as err:  # a measurement counts failures, whatever they are
                c["failed"] += 1
                print(f"  {path.name}: {err}", file=sys.stderr)
                continue
            c["documents"] += 1
            names = {s.name for s in doc.sections}
            c["with abstract"] += "abstract" in names
            c["with results"] += "results" in names
            for table in doc.tables:
                c["tables"] += 1
                c["with cells and header rows"] += bool(table.rows) and table.header_rows > 0
                c["footnotes"] += len(table.footnotes)
                c["offsets hold cells"] += all(
                    not cell or (span is not None and doc.text[span[0] : span[1]] == cell)
                    for row, spans in zip(table.rows, table.spans or [], strict=False)
                    for cell, span in zip(row, spans, strict=False)
                )
                for row in table.rows:
                    for cell in row:
                        if cell.strip():
                            cells.setdefault(path.stem + folder, collections.Counter())[_key(cell)] += 1
        print(f"yun2024 {folder}: {dict(c)}")
    both = [(cells.get(f"{p}markdown", Counts()), cells.get(f"{p}xml", Counts())) for p in _stems(root)]
    right = sum(sum((md & xml).values()) for md, xml in both)
    read = sum(sum(md.values()) for md, _ in both)
    gold = sum(sum(xml.values()) for _, xml in both)
    print(f"yun2024 markdown cells against the fragments': P {right / max(1, read):.3f} R {right / max(1, gold):.3f}")


def _stems(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "xml").glob("PMC*.xml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    data = parser.parse_args().shared / "data"
    if not data.is_dir():
        print(f"skipped: {data} not found (external evaluation data is not shipped with the project)")
        return
    if (data / "evidence_inference" / "txt_files").is_dir():
        evidence_inference(data / "evidence_inference")
    if (data / "rct_numeric_yun2024" / "xml").is_dir():
        yun(data / "rct_numeric_yun2024")


if __name__ == "__main__":
    main()
