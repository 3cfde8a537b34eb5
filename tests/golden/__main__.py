"""`python -m tests.golden` (`make golden`): extract the golden articles again and rewrite their records.

Prints, per article, "unchanged" or what changed (the diff the test would show), and removes golden files of
articles no longer listed. Run it after an intended change of the output, then review `git diff tests/golden`.
An article that fails to extract keeps its old golden file and makes the command exit 1.
"""

from __future__ import annotations

import sys

from extractor import Extractor
from extractor.errors import ExtractorError
from tests.golden.diff import diff_records
from tests.golden.records import ARTICLES, RECORDS, ROOT, golden_path, load, stable_record, write


def main() -> int:
    extractor = Extractor()  # the defaults: the record a user gets from `extractor run`
    failed = []
    for article in ARTICLES:
        try:
            record = extractor.extract_file(ROOT / article)
        except ExtractorError as err:
            print(f"{article}: FAILED, golden record left as it was: {err}", file=sys.stderr)
            failed.append(article)
            continue
        new, old = stable_record(record, article), load(article)
        write(article, new)
        target = golden_path(article).relative_to(ROOT)
        if old is None:
            print(f"{article}: written to {target} (new)")
            continue
        changes = diff_records(old, new)
        print(f"{article}: {'changed' if changes else 'unchanged'} ({target})")
        for line in changes:
            print(f"  {line}")
    listed = {golden_path(article) for article in ARTICLES}
    for stale in sorted(set(RECORDS.glob("*.json")) - listed):
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}: its article is no longer in ARTICLES")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
