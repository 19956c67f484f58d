"""The fast FIT decoder: columnar numpy decoding that reproduces fitparse's :class:`FitMessages`.

:func:`~.fit_walk.walk` finds every data message; records are then decoded per definition
with one vectorised gather (a structured view of the file bytes, indexed by the messages'
offsets), scaled and offset as fitparse does (the same float operations in the same order,
so the columns are bit-identical); the few other wanted messages (laps, events, ...) follow
fitparse's rules row by row. Damaged files end where fitparse ends, with its warning texts.
Whatever this module cannot promise to decode exactly as fitparse does is decoded by fitparse,
and :attr:`FitMessages.decoder` says why.
"""

from __future__ import annotations

import dataclasses
import struct
from functools import cache
from typing import Any

import numpy as np

from ..errors import CorruptFileError, TruncatedFileError
from .fit_crc import crc16
from .fit_fitparse import decode_with_fitparse
from .fit_messages import RECORD_FIELDS, WANTED_FIELDS, FitMessages
from .fit_profile import MESSAGES, TYPE_NAMES, Component, Field, Message, SubField
from .fit_walk import Definition, FastPathUnsupported, FieldDef, Layout, walk

__all__ = ["decode_fast"]

_RECORD = 20
_TIMESTAMP = 253
_RECORD_PROFILE = MESSAGES[_RECORD]
_RECORD_NAMES = frozenset(RECORD_FIELDS)
_OTHER = {n: m for n, m in MESSAGES.items() if m.name in WANTED_FIELDS and n != _RECORD}
_WANTED = {n: frozenset(WANTED_FIELDS[m.name]) for n, m in _OTHER.items()}
_CRC_WARNING = "file CRC does not match its contents; decoded anyway"
_SKIP = object()


def decode_fast(data: bytes, name: str) -> FitMessages:
    """Decode a FIT file like :func:`~.fit_fitparse.decode_with_fitparse`, only ~50x faster.

    Files the columnar path cannot decode exactly as fitparse does (developer fields declared
    out of order, odd field layouts) are decoded by fitparse; ``decoder`` then reads
    ``'fitparse (fast path: <reason>)'``.

    Raises
    ------
    CorruptFileError
        The header is invalid or nothing decodes before the damage.
    TruncatedFileError
        The file ends before its first record.
    """
    try:
        return _decode(data, name)
    except FastPathUnsupported as exc:
        messages = decode_with_fitparse(data, name)
        return dataclasses.replace(messages, decoder=f"fitparse (fast path: {exc.reason})")


def _decode(data: bytes, name: str) -> FitMessages:
    layout = walk(data)
    stop = layout.stop
    if not layout.part_starts and stop is not None:
        if stop.kind == "eof":
            raise TruncatedFileError(name, "the file ends inside its FIT header")
        raise CorruptFileError(name, f"invalid FIT header ({stop.text})")
    buffer = np.frombuffer(data, dtype=np.uint8)
    stamps = _compressed_timestamps(buffer, layout)
    records = _records(buffer, layout, stamps)
    messages = _messages(data, layout, stamps)
    warnings = [_CRC_WARNING] if any(_crc_mismatch(data, check) for check in layout.crc_checks) else []
    count = len(records["timestamp"])
    if stop is not None:
        if stop.kind == "eof":
            if not count:
                raise TruncatedFileError(name, "the file ends before its first record")
            warnings.append(f"the file ends unexpectedly (truncated?); kept the {count} records before the break")
        elif stop.kind == "header":
            if not count:
                raise CorruptFileError(name, f"invalid FIT header ({stop.text})")
            warnings.append(f"a chained FIT part has an invalid header; kept the {count} records before it")
        else:
            if not count:
                raise CorruptFileError(name, f"undecodable FIT data ({stop.text})")
            warnings.append(f"decoding stopped at a broken message ({stop.text}); kept the {count} records before it")
    return FitMessages(records=records, messages=messages, warnings=tuple(warnings), decoder="fast")


def _crc_mismatch(data: bytes, check: Any) -> bool:
    if check.allow_zero and check.stored == 0:
        return False
    return crc16(data, check.start, check.stop) != check.stored


# --- compressed timestamps and accumulated components ------------------------------------


def _unwrap(values: np.ndarray, segments: np.ndarray, bases: np.ndarray, bits: int) -> np.ndarray:
    """fitparse's rolling accumulation, vectorised.

    Within a segment (after a reset to ``bases[segment]``) each value carries only its low
    ``bits``; the accumulated value is the smallest one at or after the previous accumulated
    value with those low bits, i.e. the previous one plus ``(value - previous) mod 2**bits``.
    """
    if not len(values):
        return values
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = segments[1:] != segments[:-1]
    previous = np.empty_like(values)
    previous[1:] = values[:-1]
    previous[starts] = bases[segments[starts]]
    steps = (values - previous) & ((1 << bits) - 1)
    total = np.cumsum(steps)
    first = np.maximum.accumulate(np.where(starts, np.arange(len(values)), 0))
    return bases[segments] + total - (total - steps)[first]


def _groups(layout: Layout, wanted: Any = None) -> list[tuple[Definition, np.ndarray]]:
    """Each used layout with its messages' offsets, in file order."""
    groups = []
    for definition in layout.definitions:
        if definition.positions and (wanted is None or definition.mesg_num in wanted):
            positions = np.asarray(definition.positions, dtype=np.intp)
            if len(positions) > 1 and (positions[1:] < positions[:-1]).any():
                positions = np.sort(positions)
            groups.append((definition, positions))
    return groups


def _compressed_timestamps(buffer: np.ndarray, layout: Layout) -> dict[int, int]:
    """Timestamp of every compressed-timestamp message, by its offset in the file."""
    if not layout.compressed:
        return {}
    groups = [(d, p, buffer[p] >= 0x80) for d, p in _groups(layout)]
    if layout.odd_timestamp:
        raise FastPathUnsupported("a compressed timestamp follows a timestamp field of an odd type")
    # Every valid timestamp field sets the running time; every chained part restarts it at 0.
    set_at = [np.asarray(layout.part_starts, dtype=np.int64)]
    set_values = [np.zeros(len(layout.part_starts), dtype=np.int64)]
    offsets_at, offsets = [], []
    for definition, positions, compressed in groups:
        stamp = _last_valid_timestamp(buffer, definition, positions)
        if stamp is not None:
            values, valid = stamp
            set_at.append(positions[valid].astype(np.int64))
            set_values.append(values[valid])
        if compressed.any():
            offsets_at.append(positions[compressed].astype(np.int64))
            offsets.append((buffer[positions[compressed]] & 0x1F).astype(np.int64))
    if not offsets_at:
        return {}  # the only compressed header was the broken message
    where = np.concatenate(set_at)
    order = np.argsort(where, kind="stable")
    where, bases = where[order], np.concatenate(set_values)[order]
    at = np.concatenate(offsets_at)
    order = np.argsort(at, kind="stable")
    at, low = at[order], np.concatenate(offsets)[order]
    segments = np.searchsorted(where, at, side="right") - 1
    stamps = _unwrap(low, segments, bases, 5)
    return dict(zip(at.tolist(), stamps.tolist(), strict=True))


def _last_valid_timestamp(
    buffer: np.ndarray, definition: Definition, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The message's last valid timestamp field (the one fitparse's running time keeps)."""
    values: np.ndarray | None = None
    valid: np.ndarray | None = None
    for field_def in definition.fields:
        if field_def.def_num != _TIMESTAMP:
            continue
        (raw,) = _gather(buffer, definition, positions, [field_def])
        raw = raw.astype(np.int64)
        ok = raw != field_def.base.invalid
        values = raw if values is None or valid is None else np.where(ok, raw, values)
        valid = ok if valid is None else valid | ok
    return None if values is None or valid is None else (values, valid)


# --- records: one vectorised gather per definition layout --------------------------------


def _gather(
    buffer: np.ndarray, definition: Definition, positions: np.ndarray, field_defs: list[FieldDef]
) -> list[np.ndarray]:
    """Values of the given fields in the messages at ``positions``: (n,) per number field,
    (n, size) per byte or array field (a view of every byte offset as the field's start,
    indexed by the messages' offsets: one vectorised gather per field)."""
    endian = ">" if definition.big_endian else "<"
    values = []
    for field_def in field_defs:
        base = field_def.base
        if base.kind in "sb" or field_def.count > 1:
            dtype = np.dtype((np.uint8, (field_def.size,)))
        else:
            dtype = np.dtype(f"{endian}{base.kind}{base.size}")
        view = np.ndarray(
            shape=(len(buffer) - field_def.offset - field_def.size + 1,),
            dtype=dtype,
            buffer=buffer,
            offset=field_def.offset,
            strides=(1,),
        )
        values.append(view[positions])
    return values


def _validity(raw: np.ndarray, field_def: FieldDef) -> np.ndarray:
    kind = field_def.base.kind
    if kind == "b":
        return (raw != 0xFF).any(axis=1)
    if kind == "f":
        return ~np.isnan(raw)
    return raw != field_def.base.invalid


def _records(buffer: np.ndarray, layout: Layout, stamps: dict[int, int]) -> dict[str, np.ndarray]:
    """Record columns in file order, across every record definition."""
    accumulated = _accumulated_components(buffer, layout)
    pieces = [
        (positions, _record_columns(buffer, definition, positions, stamps, accumulated))
        for definition, positions in _groups(layout, (_RECORD,))
    ]
    if len(pieces) == 1:
        return pieces[0][1]
    if not pieces:
        return {name: np.empty(0, dtype=np.float64) for name in RECORD_FIELDS}
    order = np.argsort(np.concatenate([p for p, _ in pieces]), kind="stable")
    return {name: np.concatenate([c[name] for _, c in pieces])[order] for name in RECORD_FIELDS}


def _record_columns(
    buffer: np.ndarray,
    definition: Definition,
    positions: np.ndarray,
    stamps: dict[int, int],
    accumulated: dict[int, tuple[np.ndarray, np.ndarray]],
) -> dict[str, np.ndarray]:
    """Wanted record values of messages laid out by ``definition``; the first valid source wins."""
    columns: dict[str, np.ndarray] = {}

    def keep(name: str, values: np.ndarray) -> None:
        if name not in _RECORD_NAMES:
            return
        if name in columns:
            earlier = columns[name]
            columns[name] = np.where(np.isnan(earlier), values, earlier)
        else:
            columns[name] = values

    fields = [(f, _RECORD_PROFILE.fields.get(f.def_num)) for f in definition.fields]
    fields += [(f, _developer_spec(n)) for f, n in zip(definition.dev_fields, definition.dev_names, strict=True)]
    # An array is a tuple for fitparse, never kept.
    read = [(f, spec) for f, spec in fields if spec is not None and (f.base.kind == "b" or f.count == 1)]
    raws = _gather(buffer, definition, positions, [f for f, _ in read])
    for (field_def, spec), raw in zip(read, raws, strict=True):
        kind = field_def.base.kind
        valid = _validity(raw, field_def)
        for component in spec.components:
            target = _RECORD_PROFILE.fields[component.def_num].name
            if component.accumulate:
                at, totals = accumulated[component.def_num]
                bits: np.ndarray | None = totals[np.searchsorted(at, positions)]
            else:
                bits = _component_bits(raw, kind, component)
            if bits is not None:
                keep(target, _scaled(bits, valid, component.scale, component.offset))
        if kind != "b":
            keep(spec.name, _scaled(raw, valid, spec.scale, spec.offset))
    missing = np.full(len(positions), np.nan)
    if stamps:
        keep("timestamp", np.array([stamps.get(p, np.nan) for p in positions.tolist()], dtype=np.float64))
    return {name: columns.get(name, missing) for name in RECORD_FIELDS}


@cache
def _developer_spec(name: str) -> Field:
    """A developer field read like a profile field without scale (fitparse keeps its name)."""
    return Field(name, None, None, None, (), ())


def _component_bits(raw: np.ndarray, kind: str, component: Component) -> np.ndarray | None:
    """The component's raw bits (None when fitparse skips it: bits past a byte field's end)."""
    if kind == "b":
        width = raw.shape[1]
        if component.bit_offset and component.bit_offset >= width * 8:
            return None
        # Byte fields unpack little-endian whatever the message's architecture.
        number = np.zeros(len(raw), dtype=np.uint64)
        for index in range(width):
            number |= raw[:, index].astype(np.uint64) << np.uint64(8 * index)
        shifted = number >> np.uint64(component.bit_offset)
    else:
        shifted = raw.astype(np.int64 if kind == "i" else np.uint64) >> component.bit_offset
    return (shifted & ((1 << component.bits) - 1)).astype(np.int64)


def _scaled(raw: np.ndarray, valid: np.ndarray, scale: float | None, offset: float | None) -> np.ndarray:
    """fitparse's arithmetic: ``float(raw) / scale - offset`` (each step only when set)."""
    values = raw.astype(np.float64)
    if scale:
        values = values / scale
    if offset:
        values = values - offset
    return np.where(valid, values, np.nan)


def _accumulated_components(buffer: np.ndarray, layout: Layout) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Accumulated component values (compressed distance): target -> (offsets, raw totals).

    fitparse keeps one running value per target field across all record definitions; a
    definition holding a field with such a component resets it to 0. Invalid sources are -1.
    """
    result: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for target, bits in _accumulating_targets():
        holders = {id(d) for d in layout.definitions if d.mesg_num == _RECORD and _sources(d, target)}
        if not holders:
            continue
        resets = [p for p, d in layout.definition_messages if id(d) in holders]
        at, values = [], []
        for definition, positions in _groups(layout, (_RECORD,)):
            sources = _sources(definition, target)
            if not sources:
                continue
            if len(sources) > 1:
                raise FastPathUnsupported("a record definition repeats an accumulated field")
            field_def, component = sources[0]
            (raw,) = _gather(buffer, definition, positions, [field_def])
            bits_ = _component_bits(raw, field_def.base.kind, component)
            if bits_ is None:
                continue
            at.append(positions)
            values.append(np.where(_validity(raw, field_def), bits_, -1))
        if not at:
            continue
        where = np.concatenate(at)
        order = np.argsort(where, kind="stable")
        where, flat = where[order], np.concatenate(values)[order]
        ok = flat >= 0
        segments = np.searchsorted(np.asarray(resets, dtype=np.int64), where[ok], side="right") - 1
        flat[ok] = _unwrap(flat[ok], segments, np.zeros(len(resets), dtype=np.int64), bits)
        result[target] = (where, flat)
    return result


def _sources(definition: Definition, target: int) -> list[tuple[FieldDef, Component]]:
    return [
        (f, c)
        for f in definition.fields
        if f.def_num in _RECORD_PROFILE.fields
        for c in _RECORD_PROFILE.fields[f.def_num].components
        if c.accumulate and c.def_num == target
    ]


@cache
def _accumulating_targets() -> tuple[tuple[int, int], ...]:
    return tuple(
        sorted({(c.def_num, c.bits) for f in _RECORD_PROFILE.fields.values() for c in f.components if c.accumulate})
    )


# --- the other wanted messages: fitparse's rules, row by row ------------------------------


def _messages(data: bytes, layout: Layout, stamps: dict[int, int]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {m.name: [] for m in _OTHER.values()}
    for definition, positions in _groups(layout, _OTHER):
        profile = _OTHER[definition.mesg_num]
        reader = _RowReader(definition, profile)
        rows = found[profile.name]
        for position in positions.tolist():
            rows.append((position, reader.values(data, position, stamps.get(position))))
    result = {}
    for kind, rows in found.items():
        rows.sort(key=lambda row: row[0])
        result[kind] = [values for _, values in rows]
    return result


class _RowReader:
    """Decodes one definition's messages into dicts of wanted values, as fitparse does."""

    def __init__(self, definition: Definition, profile: Message) -> None:
        self.profile = profile
        self.wanted = _WANTED[definition.mesg_num]
        references = _reference_numbers(definition.mesg_num)
        #: Fields read: the profile's, and the ones subfields refer to.
        self.fields = [f for f in definition.fields if f.def_num in profile.fields or f.def_num in references]
        #: Developer fields named like a wanted field (fitparse goes by the name alone).
        self.developer = [
            (f, n) for f, n in zip(definition.dev_fields, definition.dev_names, strict=True) if n in self.wanted
        ]
        read = {id(f) for f in self.fields} | {id(f) for f, _ in self.developer}
        parts = []
        for field_def in (*definition.fields, *definition.dev_fields):
            if id(field_def) not in read:
                parts.append(f"{field_def.size}x")
            elif field_def.base.kind in "sb":
                parts.append(f"{field_def.size}{'s' if field_def.base.kind == 's' else 'B'}")
            else:
                parts.append(f"{field_def.count}{field_def.base.fmt}")
        self.unpack = struct.Struct((">" if definition.big_endian else "<") + "".join(parts)).unpack_from
        self.read = [*self.fields, *(f for f, _ in self.developer)]

    def values(self, data: bytes, position: int, stamp: int | None) -> dict[str, Any]:
        """The wanted values of the message at ``position`` (``stamp``: its compressed time)."""
        flat = self.unpack(data, position + 1)
        raws = []
        cursor = 0
        for field_def in self.read:
            kind = field_def.base.kind
            if kind == "s":
                end = flat[cursor].find(0)
                text = flat[cursor] if end < 0 else flat[cursor][:end]
                raws.append(text.decode("utf-8", errors="replace") or None)
                cursor += 1
            elif kind == "b":
                octets = flat[cursor : cursor + field_def.size]
                raws.append(None if all(b == 0xFF for b in octets) else octets)
                cursor += field_def.size
            else:
                items = flat[cursor : cursor + field_def.count]
                cursor += field_def.count
                numbers = tuple(_valid_or_none(v, kind, field_def.base.invalid) for v in items)
                raws.append(numbers if len(numbers) > 1 else numbers[0])
        regular = raws[: len(self.fields)]
        values: dict[str, Any] = {}
        for field_def, raw in zip(self.fields, regular, strict=True):
            spec = self.profile.fields.get(field_def.def_num)
            if spec is None:
                continue
            variant = self._resolve(spec, regular)
            for component in variant.components:
                bits = _python_component(component, raw)
                if bits is _SKIP:
                    continue
                target = self._resolve(self.profile.fields[component.def_num], regular)
                self._keep(values, target.name, _render(target.type, _scale(component, bits)))
            self._keep(values, variant.name, _scale(variant, _render(variant.type, raw)))
        for (_, name), raw in zip(self.developer, raws[len(self.fields) :], strict=True):
            self._keep(values, name, raw)
        if stamp is not None:
            self._keep(values, "timestamp", stamp)
        return values

    def _resolve(self, spec: Field, raws: list[Any]) -> Field | SubField:
        for sub in spec.subfields:
            for ref_num, ref_raw in sub.refs:
                for field_def, raw in zip(self.fields, raws, strict=True):
                    if field_def.def_num == ref_num and ref_raw == raw:
                        return sub
        return spec

    def _keep(self, values: dict[str, Any], name: str, value: Any) -> None:
        if name in self.wanted and name not in values and value is not None and not isinstance(value, tuple):
            values[name] = value


@cache
def _reference_numbers(mesg_num: int) -> frozenset[int]:
    return frozenset(ref for f in MESSAGES[mesg_num].fields.values() for sub in f.subfields for ref, _ in sub.refs)


def _valid_or_none(value: Any, kind: str, invalid: int | None) -> Any:
    if kind == "f":
        return None if value != value else value
    return None if value == invalid else value


def _python_component(component: Component, raw: Any) -> Any:
    """fitparse's ComponentField.render (tuples are byte fields: little-endian)."""
    if raw is None:
        return None
    if isinstance(raw, tuple):
        if component.bit_offset and component.bit_offset >= len(raw) << 3:
            return _SKIP
        number = 0
        for byte in reversed(raw):
            number = (number << 8) + byte
        raw = number
    if isinstance(raw, int):
        raw = (raw >> component.bit_offset) & ((1 << component.bits) - 1)
    return raw


def _render(type_name: str | None, raw: Any) -> Any:
    names = TYPE_NAMES.get(type_name) if type_name else None
    if names and raw in names:
        return names[raw]
    return raw


def _scale(spec: Field | SubField | Component, value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_scale(spec, v) for v in value)
    if isinstance(value, int | float):
        if spec.scale:
            value = float(value) / spec.scale
        if spec.offset:
            value = value - spec.offset
    return value
