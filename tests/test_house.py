"""The house rules of docs/architecture.md, checked: small modules and functions, imports only
from the floors below, and the linters and the type checker clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hardkick_analyze"
#: Generated from the FIT SDK's profile by tools/gen_fit_profile.py: a table, not code to read.
GENERATED = {"readers/fit_profile.py"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

#: The floors, lowest first (docs/architecture.md): a module imports only from its own floor or below.
FLOORS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "foundation",
        frozenset(
            {"version", "errors", "units", "geo", "models", "schema", "trackshape", "workout", "plan", "edges"}
            | {"watch_plan"}
        ),
    ),
    ("read", frozenset({"readers"})),
    ("clean", frozenset({"clean"})),
    ("track", frozenset({"track", "results"})),
    ("segment", frozenset({"segment"})),
    ("score", frozenset({"score", "session_score", "grid_columns", "verdicts"})),
    ("compose", frozenset({"pipeline", "untold", "simulate"})),
    ("present", frozenset({"present", "plots"})),
    ("season", frozenset({"season"})),
    ("season presentation", frozenset({"present.season"})),
    ("command", frozenset({"cli", "__init__", "__main__"})),
)


def _floor(module: str) -> int:
    """The floor of a module: of its package and subpackage when that is placed, else of its package."""
    parts = module.split(".")
    for head in (".".join(parts[:2]), parts[0]):
        for i, (_, names) in enumerate(FLOORS):
            if head in names:
                return i
    raise LookupError(module)


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found.append((".".join(parts), path))
    return found


def _imports(module: str, path: Path) -> set[str]:
    package = module.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                targets.add(".".join([*base, node.module]))
            else:
                targets.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hardkick_analyze."):
            targets.add(node.module.removeprefix("hardkick_analyze."))
    return {t for t in targets if t}


def test_every_module_has_a_floor():
    for module, _ in _modules():
        _floor(module)


def test_no_import_from_a_higher_floor():
    upward = [
        f"{module} ({FLOORS[_floor(module)][0]}) imports {target} ({FLOORS[_floor(target)][0]})"
        for module, path in _modules()
        for target in _imports(module, path)
        if _floor(target) > _floor(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_module_over_the_limit():
    long = [
        f"{path.relative_to(PACKAGE)}: {n} lines"
        for _, path in _modules()
        if path.relative_to(PACKAGE).as_posix() not in GENERATED
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "\n".join(long)


def test_no_function_over_the_limit():
    long = []
    for _, path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length} lines")
    assert not long, "\n".join(long)


def test_the_architecture_page_names_every_floor():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, modules in FLOORS:
        assert name in page, name
        for module in modules - {"__init__", "__main__"}:
            assert f"`{module.replace('.', '/')}" in page, f"docs/architecture.md does not place {module}"


def _tool(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None and command[0] != sys.executable:
        pytest.skip(f"{command[0]} is not installed (it comes with the dev extras)")
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_ruff_check_is_clean():
    result = _tool("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _tool("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = _tool(sys.executable, "-m", "mypy", "hardkick_analyze")
    assert result.returncode == 0, result.stdout + result.stderr
