"""A batch worker keeps to its own core: its BLAS (numpy's OpenBLAS, which the NER model's matrix products use)
runs one thread, where OpenBLAS would otherwise start one per core in every worker."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json
from threadpoolctl import threadpool_info
import numpy  # loads OpenBLAS
before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
from extractor.batch.worker import one_blas_thread
one_blas_thread()
after = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
print(json.dumps({"before": before, "after": after}))
"""


def test_one_blas_thread_per_worker() -> None:
    env_free = {"PATH": "/usr/bin:/bin"}  # no OPENBLAS_NUM_THREADS inherited from the test runner
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env_free)
    threads = json.loads(done.stdout)
    assert threads["after"] and set(threads["after"]) == {1}
