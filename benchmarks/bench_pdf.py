"""PDF backends on the same files in one run: pages/s and reading-order quality (`make bench-pdf`).

On the Hindawi PDFs of ../shared/data/pdfs_clinical (or any folder laid out the same way, with its
hindawi_epmc_groundtruth.jsonl), one process, one core, each pass over every file:

- bare pypdfium2 text (`get_text_range`, stream order), the floor of any pdfium-based ingest;
- bare pdfplumber `extract_text()` with its defaults, and pdfplumber words with `x_tolerance=1.5,
  use_text_flow=True` (what the pdfplumber backend reads);
- the full ingest, `read_pdf` with each backend: geometric reading order, running heads removed, tables,
  sections, and the page-1 front matter (`pdf_front`, timed on its own as well).

Times: wall seconds and CPU seconds of this process (`time.process_time`); on a shared machine the CPU rate is
the one-core speed, the wall rate also counts waiting for a core.

Quality: token-order recall of the XML abstract + body (`pdf_fidelity`): for the bare passes over their whole text,
for the full ingest over its body sections (figure captions, tables, references and front matter left out), with the
rest of the `eval-pdf` scores. A benchmark, not a test: nothing is asserted. Writes JSON to --out.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pdfs_clinical"


def _pdfium_text(data: bytes) -> tuple[str, int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts), len(texts)
    finally:
        pdf.close()


def _pdfplumber_text(data: bytes) -> tuple[str, int]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = []
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            page.close()
        return "\n".join(texts), len(texts)


def _pdfplumber_words(data: bytes) -> tuple[str, int]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = []
        for page in pdf.pages:
            words = page.extract_words(x_tolerance=1.5, use_text_flow=True)
            texts.append(" ".join(w["text"] for w in words))
            page.close()
        return "\n".join(texts), len(texts)


def _front(data: bytes) -> tuple[str, int]:
    from extractor.ingest.pdf.front import read_front

    read_front(data)
    return "", 0  # no pages counted: it reads page 1 only


def bare_pass(
    name: str, read: Callable[[bytes], tuple[str, int]], items: list[tuple[dict[str, Any], bytes]]
) -> dict[str, Any]:
    from extractor.eval.pdf_fidelity import order_match, tokens

    seconds = cpu = 0.0
    pages = 0
    recalls = []
    for truth, data in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        text, n = read(data)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        pages += n
        if text:
            reference = tokens("\n".join(truth["abstract"] + [p for s in truth["sections"] for p in s["paragraphs"]]))
            recalls.append(order_match(reference, tokens(text)) / max(1, len(reference)))
    result: dict[str, Any] = {"pass": name, "pages": pages, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3)}
    if pages:
        result["pages_per_second"] = round(pages / seconds, 1)
        result["pages_per_cpu_second"] = round(pages / cpu, 1)
    if recalls:
        result["order_recall_mean"] = round(statistics.fmean(recalls), 4)
        result["order_recall_min"] = round(min(recalls), 4)
    return result


def ingest_pass(backend: str, items: list[tuple[dict[str, Any], bytes]], data_dir: Path) -> dict[str, Any]:
    from extractor.eval.pdf_fidelity import _raw_pages, score_document, summarize
    from extractor.ingest.pdf import read_pdf

    scores = []
    cpu = 0.0
    for truth, data in items:
        path = data_dir / truth["pdf"]
        started, cpu_started = time.perf_counter(), time.process_time()
        document = read_pdf(path, data, backend=backend)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        scores.append(score_document(truth, document, seconds, _raw_pages(path)))
    summary = summarize(scores)
    summary.pop("per_document")
    pages = summary["pages"]
    return {
        "pass": f"read_pdf(backend={backend!r})",
        "cpu_seconds": round(cpu, 3),
        "pages_per_cpu_second": round(pages / cpu, 1),
        **summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("bench_pdf.json"))
    parser.add_argument("--skip-pdfplumber", action="store_true", help="leave out the slow pdfplumber passes")
    args = parser.parse_args()
    truth_file = args.data / "hindawi_epmc_groundtruth.jsonl"
    if not truth_file.is_file():
        print(f"skipped: {truth_file} not found", file=sys.stderr)
        return
    truths = [json.loads(line) for line in truth_file.read_text(encoding="utf-8").splitlines()]
    items = [(truth, (args.data / truth["pdf"]).read_bytes()) for truth in truths]
    _pdfium_text(items[0][1])  # imports and first-call costs out of the timings
    from extractor.ingest.pdf import read_pdf

    read_pdf(Path("warm-up.pdf"), items[0][1])
    results = [
        bare_pass("pypdfium2 get_text_range", _pdfium_text, items),
        bare_pass("pdf_front.read_front (page 1 only, part of read_pdf)", _front, items),
        ingest_pass("pdfium", items, args.data),
    ]
    if not args.skip_pdfplumber:
        results += [
            bare_pass("pdfplumber extract_text() defaults", _pdfplumber_text, items),
            bare_pass("pdfplumber extract_words(x_tolerance=1.5, use_text_flow=True)", _pdfplumber_words, items),
            ingest_pass("pdfplumber", items, args.data),
        ]
    for result in results:
        print(json.dumps(result), file=sys.stderr)
    args.out.write_text(json.dumps({"documents": len(items), "results": results}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
