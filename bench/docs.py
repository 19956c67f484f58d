"""Write one benchmark's section of a shared Markdown document, keeping every other section."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_section"]


def write_section(path: Path, heading: str, body: str, *, title: str) -> None:
    """Replace the ``## heading`` section of ``path`` with ``body`` (or append it).

    A section runs from its heading to the next ``## `` heading; the document starts with
    ``# title`` when it has to be created.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else f"# {title}\n"
    section = f"{heading}\n\n{body.strip()}\n"
    if heading in text:
        head, _, rest = text.partition(heading)
        following = rest.find("\n## ")
        tail = rest[following + 1 :] if following >= 0 else ""
        text = f"{head}{section}" + (f"\n{tail}" if tail else "")
    else:
        text = f"{text.rstrip()}\n\n{section}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
