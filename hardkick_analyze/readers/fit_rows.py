"""Laps, events, sessions and the other few wanted messages, decoded row by row as fitparse does.

These messages are few (tens per file) and carry what vectorising cannot hold cheaply: enum
names, subfields chosen by another field's value, strings. Each is decoded with one
:mod:`struct` call and then goes through fitparse's own rules in its order: subfield, components,
value name, scale and offset; the first valid value of each wanted name is kept.
"""

from __future__ import annotations

import struct
from functools import cache
from typing import Any

from .fit_columns import groups
from .fit_messages import WANTED_FIELDS
from .fit_profile import MESSAGES, TYPE_NAMES, Component, Field, Message, SubField
from .fit_walk import Definition, Layout

__all__ = ["messages"]

_RECORD = 20
_OTHER = {n: m for n, m in MESSAGES.items() if m.name in WANTED_FIELDS and n != _RECORD}
_WANTED = {n: frozenset(WANTED_FIELDS[m.name]) for n, m in _OTHER.items()}
_SKIP = object()


def messages(data: bytes, layout: Layout, stamps: dict[int, int]) -> dict[str, list[dict[str, Any]]]:
    """Every wanted message other than records, by kind, in file order (``stamps``: compressed times)."""
    found: dict[str, list[tuple[int, dict[str, Any]]]] = {m.name: [] for m in _OTHER.values()}
    for definition, positions in groups(layout, _OTHER):
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
