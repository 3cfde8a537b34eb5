"""docs/example.ipynb runs top to bottom in a fresh kernel, so the example cannot rot; it is committed clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "example.ipynb"


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells(notebook))


@pytest.mark.slow
def test_example_notebook_executes() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, when a cell fails
    outputs = [
        [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
        for cell in code_cells(notebook)
    ]
    counts, table, plot, summary, review = outputs
    assert "'outcomes'" in counts[0].data["text/plain"]
    assert "span_text" in table[0].data["text/html"]
    assert "image/png" in plot[0].data
    assert "A case of sternal osteomyelitis" in summary[0].data["text/html"]
    assert "<iframe srcdoc=" in review[0].data["text/html"]
