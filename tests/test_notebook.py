"""notebooks/walkthrough.ipynb runs top to bottom, from the repository root, on the public API only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"


def _code(notebook) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def test_walkthrough_runs_top_to_bottom():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel starts in the repository root, as a reader's would, so sample_data/ resolves.
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4  # overview, reps, kicks, and two sessions' kicks side by side
    text = "".join(o.get("text", "") for o in outputs)
    assert "hard-kick session: True, target 295 s/km" in text


def test_walkthrough_is_committed_without_outputs():
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [cell for cell in raw["cells"] if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_walkthrough_uses_only_the_public_api():
    code = _code(nbformat.read(NOTEBOOK, as_version=4))
    imports = re.findall(r"^(?:from|import) (\S+)", code, flags=re.MULTILINE)
    assert [name for name in imports if name.startswith("hardkick_analyze")] == ["hardkick_analyze"]
    used = set(re.findall(r"\bhk\.(\w+)", code))
    import hardkick_analyze

    assert used <= {*hardkick_analyze.__all__, "plots"}, used - set(hardkick_analyze.__all__)


def test_walkthrough_is_mentioned_in_the_readme():
    assert "notebooks/walkthrough.ipynb" in (ROOT / "README.md").read_text(encoding="utf-8")
