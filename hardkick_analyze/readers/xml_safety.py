"""Guard XML input before any parser sees it.

GPX and TCX never need a DTD. A document type declaration that declares entities or points at
an external DTD is refused outright, so neither external entities (XXE) nor entity-expansion
bombs reach a parser, whichever parser gpxpy happens to use.

Nor does a document nested deeper than :data:`MAX_XML_DEPTH` elements: parsers and the code
walking their trees recurse, and 150,000 nested elements crash the interpreter (a segfault, not
an exception). The depth is measured on the bytes, before any parser runs.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import CorruptFileError, UnsupportedFormatError

__all__ = ["checked_xml"]

#: Deepest element nesting accepted [elements]. TCX needs 8, GPX with extensions about 7; a
#: few hundred is far from any real file and far from the interpreter's recursion limits.
MAX_XML_DEPTH = 256
_PROLOG_LIMIT = 64 * 1024
# Bytes scanned at a time for the depth (keeps the temporary masks small on a 60 MB TCX).
_DEPTH_CHUNK = 8 * 1024 * 1024
_LT, _SLASH, _GT = ord("<"), ord("/"), ord(">")
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
    depth = xml_depth(body)
    if depth > MAX_XML_DEPTH:
        raise CorruptFileError(name, f"XML nested {depth} elements deep (at most {MAX_XML_DEPTH} are read)")
    return body


def xml_depth(body: bytes) -> int:
    """The deepest element nesting of a document, counted on the bytes [elements].

    ``<name`` opens, ``</`` and ``/>`` close; comments and CDATA sections are left out first.
    """
    data = np.frombuffer(_without(_without(body, b"<!--", b"-->"), b"<![CDATA[", b"]]>"), dtype=np.uint8)
    depth = deepest = 0
    for start in range(0, len(data), _DEPTH_CHUNK):
        # One byte of overlap: a "<" or "/" at the end of a chunk pairs with the next byte.
        window = data[start : start + _DEPTH_CHUNK + 1]
        first, second = window[:-1], window[1:]
        less = np.flatnonzero(first == _LT)
        after = second[less] | 0x20  # ASCII letters folded to lower case
        name_start = ((after >= ord("a")) & (after <= ord("z"))) | (second[less] >= 0x80) | (second[less] == ord("_"))
        opens = less[name_start]
        slashes = np.flatnonzero(first == _SLASH)
        closes = np.concatenate([less[second[less] == _SLASH], slashes[second[slashes] == _GT]])
        if not len(opens) and not len(closes):
            continue
        positions = np.concatenate([opens, closes])
        steps = np.concatenate([np.ones(len(opens), np.int64), -np.ones(len(closes), np.int64)])
        levels = depth + np.cumsum(steps[np.argsort(positions, kind="stable")])
        deepest = max(deepest, int(levels.max()))
        depth = int(levels[-1])
    return deepest


def _without(body: bytes, opening: bytes, closing: bytes) -> bytes:
    """The document with every ``opening ... closing`` section cut out (an unclosed one to the end)."""
    if opening not in body:
        return body
    kept = []
    position = 0
    while (start := body.find(opening, position)) >= 0:
        kept.append(body[position:start])
        end = body.find(closing, start + len(opening))
        position = len(body) if end < 0 else end + len(closing)
    kept.append(body[position:])
    return b"".join(kept)
