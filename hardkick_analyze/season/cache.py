"""A cache of per-file results, keyed by the file's content, so a second run reads only what is new.

The key is the SHA-256 of the file's bytes, the analysis fingerprint (package version plus a hash
of the package's own source, so any change to the analysis invalidates old entries) and the
analysis options. Entries are JSON files written atomically (a temporary file, then a rename).
Each entry records its own key and the SHA-256 of the file it was made from, and both are checked
on read: an entry copied, renamed or swapped by hand for another file's is never served. An entry
that does not decode or does not verify is treated as absent, never as an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..version import __version__

__all__ = ["CACHE_DIR_ENV", "ResultCache", "analysis_fingerprint", "default_cache_dir"]

#: Environment variable that moves the cache (tests point it at a temporary folder).
CACHE_DIR_ENV = "HARDKICK_CACHE_DIR"
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
# Modules that only present results: they never change what the worker returns for a file.
_PRESENTATION = frozenset({"__main__.py", "present/text.py"})
# The season modules the worker's entry depends on.
_SEASON_ANALYSIS = frozenset({"season/worker.py", "season/plan.py"})


def default_cache_dir() -> Path:
    """``$HARDKICK_CACHE_DIR``, else ``$XDG_CACHE_HOME/hardkick-analyze``, else ``~/.cache/hardkick-analyze``."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "hardkick-analyze"


@cache
def analysis_fingerprint() -> str:
    """Version and source hash of the code that makes a file's entry: results cached by other code never match.

    Everything but the presentation (CLI, charts, the season's own outputs) counts, so a change
    to the reader, the segmenter or the scorer invalidates every entry, and a change to a chart
    does not.
    """
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE_ROOT.rglob("*.py")):
        relative = path.relative_to(_PACKAGE_ROOT).as_posix()
        if relative in _PRESENTATION or relative.startswith(("plots/", "cli/", "present/season/")):
            continue
        if relative.startswith("season/") and relative not in _SEASON_ANALYSIS:
            continue
        digest.update(relative.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ResultCache:
    """Per-file results on disk, one JSON file per key.

    Parameters
    ----------
    directory
        Where entries live (created on first write). Defaults to :func:`default_cache_dir`.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def key(self, content_sha256: str, options: Mapping[str, Any]) -> str:
        """The entry key for one file's content hash under the given analysis options."""
        parts = {"sha256": content_sha256, "analysis": analysis_fingerprint(), "options": options}
        text = json.dumps(parts, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str, content_sha256: str) -> dict[str, Any] | None:
        """The stored entry, or None when it is absent, unreadable, or made for another key or file."""
        try:
            stored = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key or stored.get("content_sha256") != content_sha256:
            return None
        entry = stored.get("entry")
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, entry: Mapping[str, Any], content_sha256: str) -> None:
        """Store an entry atomically with its key and content hash; a cache that cannot be written is skipped."""
        stored = {"key": key, "content_sha256": content_sha256, "entry": entry}
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(json.dumps(stored, allow_nan=False))  # dumps: C's encoder, dump: Python's
                Path(temporary).replace(path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            return

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"
