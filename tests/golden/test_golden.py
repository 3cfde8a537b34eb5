"""Each golden article extracted again gives its checked-in record; on a difference the failure lists it per
category (items added, removed, changed) instead of two JSON dumps. `make golden` accepts a new output.
Not marked slow: the four articles take about three seconds once the session's pipeline is loaded, and this is
the check that any change of the output is seen."""

from __future__ import annotations

import pytest

from extractor import Extractor
from tests.golden.diff import diff_records
from tests.golden.records import ARTICLES, RECORDS, ROOT, golden_path, load, stable_record


@pytest.mark.parametrize("article", ARTICLES)
def test_record_matches_its_golden_copy(extractor: Extractor, article: str) -> None:
    golden = load(article)
    assert golden is not None, f"no golden record for {article}: run `make golden`"
    record = stable_record(extractor.extract_file(ROOT / article), article)
    changes = diff_records(golden, record)
    if changes:  # the diff alone, without pytest's repetition of the assertion
        pytest.fail(
            f"{article}: the record differs from {golden_path(article).relative_to(ROOT)}:\n"
            + "\n".join(f"  {line}" for line in changes)
            + "\nIf the change is intended, run `make golden` and review `git diff tests/golden`.",
            pytrace=False,
        )


def test_every_golden_file_belongs_to_a_listed_article() -> None:
    assert {p.name for p in RECORDS.glob("*.json")} == {golden_path(a).name for a in ARTICLES}
