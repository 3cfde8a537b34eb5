"""`python -m tests.batch.harness run IN -o OUT ...`: the real `extractor run`, with a stand-in extraction.

Used by the tests that need documents which hang, blow up memory or crash a worker, without any hook in the
production code. The patch below runs at import time, and spawned workers import the parent's main module
(as `__mp_main__`), so every worker extracts with the stand-in. It loads no pipeline, so workers start fast.
What an input does is written in its first line:

    SLEEP 30     sleeps that long, then gives a record
    WAIT FILE    waits until FILE exists (at most 10 minutes), then gives a record: a document that is slow
                 until the test says otherwise
    ALLOC 4096   allocates that many MiB at once (a real allocation, under the worker's real memory ceiling)
    CRASH        kills its own process with SIGSEGV
    anything     gives a small valid record at once

With HARNESS_MARKS set to a file, each finished extraction appends its input's name to it (one line, O_APPEND):
the tests count there how often each input was extracted, across runs and worker processes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from extractor.api import ExtractOptions, Extractor
from extractor.record import ArticleRecord, Source, SourceFormat


def _init(self: Extractor, options: ExtractOptions | dict[str, Any] | None = None, **kwargs: Any) -> None:
    self.options = ExtractOptions.resolve(options)


def _extract_file(self: Extractor, path: str | Path) -> ArticleRecord:
    data = Path(path).read_bytes()
    text = data.decode("utf-8")
    command, _, arg = text.partition("\n")[0].partition(" ")
    if command == "SLEEP":
        time.sleep(float(arg))
    elif command == "ALLOC":
        bytearray(int(arg) * 2**20)
    elif command == "WAIT":
        give_up = time.monotonic() + 600
        while not Path(arg).exists() and time.monotonic() < give_up:
            time.sleep(0.05)
    elif command == "CRASH":
        os.kill(os.getpid(), signal.SIGSEGV)
    if marks := os.environ.get("HARNESS_MARKS"):
        with open(marks, "a", encoding="utf-8") as handle:
            handle.write(Path(path).name + "\n")
    sha = hashlib.sha256(data).hexdigest()
    source = Source(path=str(path), format=SourceFormat.text, sha256=sha, chars=len(text))
    return ArticleRecord(doc_id=sha[:16], source=source, text=text if self.options.keep_text else None)


Extractor.__init__ = _init  # type: ignore[method-assign]
Extractor.extract_file = _extract_file  # type: ignore[method-assign]

if __name__ == "__main__":
    from extractor.cli import main

    sys.argv = ["extractor", *sys.argv[1:]]
    main()
