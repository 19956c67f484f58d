"""Guard XML input before any parser sees it.

GPX and TCX never need a DTD. A document type declaration that declares entities or points at
an external DTD is refused outright, so neither external entities (XXE) nor entity-expansion
bombs reach a parser, whichever parser gpxpy happens to use.
"""

from __future__ import annotations

import re

from ..errors import CorruptFileError, UnsupportedFormatError

__all__ = ["checked_xml"]

_PROLOG_LIMIT = 64 * 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DANGEROUS = re.compile(rb"<!ENTITY|\bSYSTEM\b|\bPUBLIC\b")
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def checked_xml(data: bytes, name: str, warnings: list[str]) -> bytes:
    """Return the document ready for parsing, or raise if it carries a DTD with entities.

    Leading whitespace before the XML declaration (written by some Polar exports, rejected by
    strict parsers) is removed with a warning.
    """
    body = data
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    stripped = body.lstrip(b" \t\r\n")
    if len(stripped) != len(body) and stripped.startswith(b"<?xml"):
        warnings.append("whitespace before the XML declaration removed")
        body = stripped
    prolog_end = _ROOT_START.search(body, 0, _PROLOG_LIMIT)
    prolog = body[: prolog_end.start() if prolog_end else _PROLOG_LIMIT]
    doctype = _DOCTYPE.search(prolog)
    if doctype:
        if prolog_end is None:
            raise CorruptFileError(name, "the XML prolog is too long to be a GPX or TCX file")
        if _DANGEROUS.search(prolog, doctype.start()):
            raise UnsupportedFormatError(name, "XML with entity or external DTD declarations is refused")
    return body
