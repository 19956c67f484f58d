"""Records, decoded column by column: the vectorised half of the fast FIT decoder.

Each field of a record layout is read for all its messages at once: a view of the file bytes
in which every byte offset starts a field value, indexed by the messages' offsets. Scale and
offset follow fitparse's arithmetic (``float(raw) / scale - offset``, each step only when the
profile sets it), so the columns are bit-identical to the reference's. Compressed timestamps
and accumulated components (compressed distance), which fitparse keeps as running values
message after message, are unwrapped with cumulative sums.
"""

from __future__ import annotations

from collections.abc import Container
from functools import cache

import numpy as np

from .fit_messages import RECORD_FIELDS
from .fit_profile import MESSAGES, Component, Field
from .fit_walk import Definition, FastPathUnsupported, FieldDef, Layout

__all__ = ["compressed_timestamps", "groups", "records"]

_RECORD = 20
_TIMESTAMP = 253
_RECORD_PROFILE = MESSAGES[_RECORD]
_RECORD_NAMES = frozenset(RECORD_FIELDS)


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


def groups(layout: Layout, wanted: Container[int] | None = None) -> list[tuple[Definition, np.ndarray]]:
    """Each used layout (of the ``wanted`` message numbers) with its messages' offsets, in file order."""
    groups = []
    for definition in layout.definitions:
        if definition.positions and (wanted is None or definition.mesg_num in wanted):
            positions = np.asarray(definition.positions, dtype=np.intp)
            if len(positions) > 1 and (positions[1:] < positions[:-1]).any():
                positions = np.sort(positions)
            groups.append((definition, positions))
    return groups


def compressed_timestamps(buffer: np.ndarray, layout: Layout) -> dict[int, int]:
    """Timestamp of every compressed-timestamp message, by its offset in the file.

    Raises
    ------
    FastPathUnsupported
        A timestamp field of a type fitparse's running time could not add to.
    """
    if not layout.compressed:
        return {}
    if layout.odd_timestamp:
        raise FastPathUnsupported("a compressed timestamp follows a timestamp field of an odd type")
    used = [(d, p, buffer[p] >= 0x80) for d, p in groups(layout)]
    # Every valid timestamp field sets the running time; every chained part restarts it at 0.
    set_at = [np.asarray(layout.part_starts, dtype=np.int64)]
    set_values = [np.zeros(len(layout.part_starts), dtype=np.int64)]
    offsets_at, offsets = [], []
    for definition, positions, compressed in used:
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


def records(buffer: np.ndarray, layout: Layout, stamps: dict[int, int]) -> dict[str, np.ndarray]:
    """Record columns in file order, across every record layout (``stamps``: compressed times).

    Raises
    ------
    FastPathUnsupported
        A record layout repeats an accumulated field.
    """
    accumulated = _accumulated_components(buffer, layout)
    pieces = [
        (positions, _record_columns(buffer, definition, positions, stamps, accumulated))
        for definition, positions in groups(layout, (_RECORD,))
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
    # A signalling NaN in a float field (invalid, blanked below) would warn when touched.
    with np.errstate(invalid="ignore"):
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
        for definition, positions in groups(layout, (_RECORD,)):
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
