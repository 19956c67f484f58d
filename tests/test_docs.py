"""Docs that cannot drift: every option of hk-analyze is explained in the README."""

from __future__ import annotations

from pathlib import Path

import typer.main

from hardkick_analyze.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_cli_option_is_in_the_readme():
    command = typer.main.get_command(app)
    options = {o for parameter in command.params for o in parameter.opts if o.startswith("--") and o != "--help"}
    assert options, "the command lost its options"
    assert sorted(o for o in options if o not in README) == []


def test_readme_quick_start_uses_a_sample_that_exists():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    samples = [word for word in quick.split() if word.startswith("sample_data/")]
    assert samples
    for sample in samples:
        assert (Path(__file__).resolve().parents[1] / sample).is_file()
