"""The `extractor` command. Each command parses its flags, calls one library function and prints.

Exit status: 0 when every input succeeded, 1 when some input failed (see OUT/errors.jsonl),
2 on bad usage (unknown option, missing argument, unknown pipeline, no input path exists), 3 when there is
nothing to extract (the folders hold no file of a supported kind), 130 after Ctrl-C and 143 after SIGTERM
(the documents written are kept; the same command resumes); `extractor eval --floor` exits 1 when a score is
below its floor. Data goes to stdout, messages to stderr.
Modules that load spaCy are imported inside the commands, so usage errors answer at once.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from extractor.errors import ExtractorError, NothingToExtract, printable

if TYPE_CHECKING:
    from extractor.api import ExtractOptions
    from extractor.batch.runner import RunInterrupted

app = typer.Typer(
    name="extractor",
    help="Turn biomedical articles (PDF, text, HTML, JATS XML) into validated JSON records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PipelineOpt = Annotated[
    str, typer.Option("--pipeline", "-p", help="pipeline name in pipelines/ (default, sci) or a .cfg path")
]
NoTextOpt = Annotated[bool, typer.Option("--no-text", help="leave the normalized text out of the records")]
MaxPagesOpt = Annotated[int | None, typer.Option("--max-pages", min=1, help="read at most this many PDF pages")]
MaxCharsOpt = Annotated[
    int | None, typer.Option("--max-chars", min=1000, help="truncate longer texts, with a warning [default: 3000000]")
]


def _options(pipeline: str, no_text: bool, max_pages: int | None, max_chars: int | None = None) -> ExtractOptions:
    from extractor.api import ExtractOptions
    from extractor.nlp.pipeline import PipelineError, config_path

    try:
        config_path(pipeline)
    except PipelineError as err:
        raise typer.BadParameter(str(err), param_hint="--pipeline") from None
    limits = {"max_chars": max_chars} if max_chars is not None else {}
    return ExtractOptions(pipeline=pipeline, keep_text=not no_text, max_pages=max_pages, **limits)


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command("run")
def run_cli(
    inputs: Annotated[list[Path], typer.Argument(help="files or folders (searched recursively)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder: records.jsonl, errors.jsonl, manifest.json")],
    pipeline: PipelineOpt = "default",
    no_text: NoTextOpt = False,
    max_pages: MaxPagesOpt = None,
    max_chars: MaxCharsOpt = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="processes (default: cores)")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.01, help="seconds one document may take")] = 300.0,
    max_memory_mb: Annotated[int, typer.Option("--max-memory-mb", min=64, help="memory one document may use")] = 2048,
    fmt: Annotated[str, typer.Option("--format", help="jsonl; parquet or duckdb add SQL-ready tables")] = "jsonl",
    backend: Annotated[str, typer.Option("--backend", help="local (process pool) or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, for dask")] = None,
) -> None:
    """Extract every article under INPUTS into OUT/records.jsonl (one line each, input order).

    Runs in parallel; run it again with the same OUT to resume after an interruption."""
    import signal

    missing = [path for path in inputs if not path.exists()]
    for path in missing:
        later = "" if len(missing) == len(inputs) else " (an InputNotFound line in errors.jsonl; the rest goes on)"
        _err(f"error: no such file or folder: {printable(str(path))}{later}")
    if len(missing) == len(inputs):
        raise typer.Exit(2)

    from pydantic import ValidationError

    from extractor.batch.inputs import skipped_text
    from extractor.batch.runner import RunInterrupted, RunSettings, run

    options = _options(pipeline, no_text, max_pages, max_chars)
    try:
        given = {"workers": workers, "timeout": timeout, "max_memory_mb": max_memory_mb, "format": fmt}
        given |= {"backend": backend, "scheduler": scheduler}
        settings = RunSettings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as err:
        first = err.errors()[0]
        hint = "--" + str(first["loc"][0]).replace("_", "-") if first["loc"] else None
        raise typer.BadParameter(first["msg"], param_hint=hint) from None
    signals: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        """SIGTERM stops like Ctrl-C: workers are shut down, what was written is kept."""
        signals.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        summary = run(inputs, out, options, settings=settings)
    except NothingToExtract as err:
        _err(f"error: {err}")
        raise typer.Exit(3) from None
    except ExtractorError as err:
        _err(f"error: {err}")
        raise typer.Exit(2) from None
    except RunInterrupted as stopped:
        _err(_interrupted(stopped))
        raise typer.Exit(143 if signals else 130) from None
    if skipped := skipped_text(summary.skipped):
        _err(skipped)
    _err(summary.line())
    _err(f"records: {out / 'records.jsonl'}; errors: {out / 'errors.jsonl'}")
    raise typer.Exit(1 if summary.failures else 0)


def _interrupted(stopped: RunInterrupted) -> str:
    """What an interrupted run kept, and the command that resumes it (the same one)."""
    summary = stopped.summary
    kept = summary.articles + summary.failures
    earlier = f"; {summary.resumed} of them from an earlier run" if summary.resumed else ""
    return (
        f"interrupted: {kept} documents written to {stopped.out_dir} "
        f"({summary.articles} records, {summary.failures} errors{earlier}), kept for the next run.\n"
        f"To resume, run the same command again: {shlex.join(sys.argv)}"
    )


@app.command("extract")
def extract_cli(
    path: Annotated[Path, typer.Argument(help="one PDF, text, HTML or JATS file")],
    pipeline: PipelineOpt = "default",
    no_text: NoTextOpt = False,
    max_pages: MaxPagesOpt = None,
    max_chars: MaxCharsOpt = None,
) -> None:
    """Extract one article and print its record as pretty JSON."""
    from extractor.api import Extractor, Failure

    extractor = Extractor(_options(pipeline, no_text, max_pages, max_chars))
    result = extractor.try_extract(path)
    if isinstance(result, Failure):
        _err(f"error: {result.message} [{result.error_type}]")
        raise typer.Exit(1)
    typer.echo(result.model_dump_json(indent=2))


@app.command("eval")
def eval_cli(
    records: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="records.jsonl from `extractor run`")],
    gold: Annotated[Path, typer.Option("--gold", exists=True, file_okay=False, help="folder of gold JSON files")],
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
    show_misses: Annotated[str | None, typer.Option("--show-misses", help="list misses of one category")] = None,
    subset: Annotated[
        str | None, typer.Option("--subset", help="even | odd: only gold files whose number (PMCID) is even / odd")
    ] = None,
    floor: Annotated[
        list[str] | None,
        typer.Option(
            "--floor",
            help="NAME=MIN (repeatable): exit 1 when a category's F1 (or micro F1, or the article_type or patient "
            "accuracy) is below MIN",
        ),
    ] = None,
) -> None:
    """Precision, recall and F1 per category against hand-made gold (matching rules in eval/gold.py); with
    --floor, exit 1 when a score is below its floor (eval/floors.py)."""
    from extractor.eval.floors import Floor, FloorError, check_floors
    from extractor.eval.gold import CATEGORIES, evaluate

    if show_misses is not None and show_misses not in CATEGORIES:
        raise typer.BadParameter(f"one of {', '.join(CATEGORIES)}", param_hint="--show-misses")
    if subset not in (None, "even", "odd"):
        raise typer.BadParameter("even or odd", param_hint="--subset")
    try:
        floors = [Floor.parse(spec) for spec in floor or ()]
    except FloorError as err:
        raise typer.BadParameter(str(err), param_hint="--floor") from None
    report = evaluate(gold, records, subset)
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.table())
    if show_misses:
        for miss in report.scores[show_misses].misses:
            typer.echo(json.dumps(miss, ensure_ascii=False))
    lines, held = check_floors(report, floors)
    for line in lines:
        _err(line)
    if not held:
        raise typer.Exit(1)


@app.command("eval-external")
def eval_external_cli(
    data_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="folder laid out like ../shared/data")],
    only: Annotated[
        list[str] | None, typer.Option("--only", help="run just this evaluation (repeatable), e.g. phee-doses")
    ] = None,
) -> None:
    """Score the pipeline on public data sets (PHEE, BC5CDR, grobid-quantities); missing ones are skipped."""
    from extractor.eval.external.suite import EVALUATIONS, run_all

    names = {e.name for e in EVALUATIONS}
    unknown = set(only or ()) - names
    if unknown:
        raise typer.BadParameter(f"unknown evaluation {sorted(unknown)}; known: {sorted(names)}", param_hint="--only")
    for name, result in run_all(data_dir, set(only or ())).items():
        _err(f"{name}: {result.get('skipped') or str(result['seconds']) + ' s'}")
        typer.echo(json.dumps({"evaluation": name, **result}, ensure_ascii=False))


@app.command("query")
def query_cli(
    records: Annotated[Path, typer.Argument(exists=True, help="records.jsonl from `extractor run` (or its folder)")],
    questions: Annotated[
        Path,
        typer.Option(
            "--questions",
            "-q",
            exists=True,
            dir_okay=False,
            help="CSV: id, doc (file stem), outcome, intervention, comparator",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="answers file (one line per question)")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl (default) or csv: a data-extraction sheet")] = "jsonl",
) -> None:
    """Each question's outcome type and both arms' numbers (events and group size, or mean, SD and group size),
    with their evidence; unknown where the record does not say."""
    from extractor.output.frames import read_records
    from extractor.query_sheet import QuestionError, answer_file, read_questions, write_answers

    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    try:
        asked = read_questions(questions)
    except QuestionError as err:
        raise typer.BadParameter(str(err), param_hint="--questions") from None
    answers = answer_file(read_records(records), asked)
    write_answers(answers, out, "csv" if fmt == "csv" else "jsonl")
    known = sum(1 for a in answers if a.get("endpoint"))
    _err(f"{len(answers)} questions, {known} answered from an outcome of the records; answers: {out}")


@app.command("eval-pdf")
def eval_pdf_cli(
    data: Annotated[
        Path,
        typer.Argument(
            exists=True,
            help="a ground-truth .jsonl file, or a folder of them (*_groundtruth.jsonl, e.g. pdfs_clinical)",
        ),
    ],
    backend: Annotated[str, typer.Option("--pdf-backend", help="pdfium (default) or pdfplumber")] = "pdfium",
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """PDF ingest fidelity against the publisher XML: reading order, leakage, headings, hyphenation, table cells."""
    from extractor.eval.pdf_fidelity import GROUND_TRUTH, evaluate_pdfs, ground_truth, table

    if not ground_truth(data):
        raise typer.BadParameter(f"no article in {data} (a folder needs {GROUND_TRUTH} files)", param_hint="DATA")
    summary = evaluate_pdfs(data, backend=backend)
    typer.echo(json.dumps(summary, indent=2) if as_json else table(summary))


@app.command("eval-metadata")
def eval_metadata_cli(
    data_dir: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="pdfs_clinical folder: manifest.tsv and reference XML")
    ],
    gold: Annotated[Path, typer.Option("--gold", help="seed gold folder, for article-type accuracy")] = Path(
        "corpus/gold"
    ),
    seeds: Annotated[Path, typer.Option("--seeds", help="the seed articles the gold describes")] = Path("corpus/seeds"),
    jats: Annotated[Path | None, typer.Option("--jats", help="also count what the JATS reader recovers here")] = None,
    parity: Annotated[bool, typer.Option("--parity", help="also PDF-vs-XML item parity (full pipeline)")] = False,
    show_misses: Annotated[bool, typer.Option("--show-misses", help="list every wrong field")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Metadata accuracy (title, DOI, year, journal, article type) of PDFs against their XML; optionally JATS
    ingest counts and PDF-vs-XML item parity (see eval/metadata.py and eval/parity.py)."""
    from extractor.eval.metadata import evaluate_metadata, evaluate_seed_types, table
    from extractor.eval.parity import item_parity, jats_counts, jats_table, parity_table

    summary = evaluate_metadata(data_dir)
    if gold.is_dir() and seeds.is_dir():
        summary["seeds"] = evaluate_seed_types(gold, seeds)
    parts = [table(summary, misses=show_misses)]
    if jats is not None:
        summary["jats"] = jats_counts(jats)
        parts.append(jats_table(summary["jats"]))
    if parity:
        from extractor.api import Extractor

        summary["parity"] = item_parity(data_dir, Extractor(keep_text=False))
        parts.append(parity_table(summary["parity"]))
    typer.echo(json.dumps(summary, indent=2, default=str) if as_json else "\n\n".join(parts))


@app.command("schema")
def schema_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the JSON Schema")] = Path("schemas"),
) -> None:
    """Write the JSON Schema of ArticleRecord, generated from the pydantic models."""
    from extractor.record import json_schema_text

    out.mkdir(parents=True, exist_ok=True)
    target = out / "article_record.schema.json"
    target.write_text(json_schema_text(), encoding="utf-8")
    _err(f"wrote {target}")


@app.command("render")
def render_cli(
    records: Annotated[Path, typer.Argument(exists=True, help="records.jsonl or the output folder of a run")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the review pages and their index.html")],
) -> None:
    """Write a self-contained HTML review page per article: evidence highlighted in the text, items beside it."""
    from extractor.output.frames import read_records
    from extractor.output.render import write_pages

    written, skipped = write_pages(read_records(records), out)
    for message in skipped:
        _err(f"skipped: {message}")
    _err(f"wrote {len(written)} review pages and {out / 'index.html'}")
    raise typer.Exit(1 if skipped else 0)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
