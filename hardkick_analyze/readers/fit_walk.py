"""One pass over a FIT file's message headers: where every data message is, under which definition.

The walk follows the reference decoder (fitparse) step by step, so a damaged file stops at the
same byte, for the same reason, with the same text: a file header, then messages until the
header's data size is used up, then the 2-byte CRC, then the next chained part. Data messages
are not decoded here, only collected per layout by their offset; a data message costs one
table look-up (``sizes[header byte]``), so the walk runs at millions of messages per second.

Anything where fitparse's answer would depend on more than the bytes (developer fields it
resolves through state kept across files) or that the columnar decoder cannot reproduce raises
:class:`FastPathUnsupported`; the caller then decodes the file with fitparse.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .fit_messages import WANTED_FIELDS
from .fit_profile import BASE_TYPES, COMPONENT_FIELDS, MESSAGES, BaseType

__all__ = [
    "CrcCheck",
    "Definition",
    "FastPathUnsupported",
    "FieldDef",
    "Layout",
    "MalformedField",
    "Stop",
    "walk",
]

_BYTE = BASE_TYPES[0x0D]
#: The field number a malformed field is read under: 255 is FIT's invalid field number, named
#: by no message of the profile, so the field's bytes are skipped as an unknown byte field.
UNKNOWN_FIELD = 255
_TIMESTAMP = 253
_DEVELOPER_DATA_ID = 207
_FIELD_DESCRIPTION = 206
# The fields fitparse reads (by name) from them: developer_data_id.developer_data_index, and
# field_description's developer_data_index, field_definition_number, fit_base_type_id,
# field_name and units.
_ID_INDEX = 3
_INDEX, _NUMBER, _BASE_TYPE, _NAME, _UNITS = 0, 1, 2, 3, 8
_RECORD = 20
#: A message whose header byte comes again this many messages on starts a run read with numpy
#: (a false start costs one look; real files interleave records with other messages).
_RUN_PROBE = 8
#: Messages a run looks at first (then four times as many at a time).
_RUN_CHUNK = 256
_WANTED_BY_NUMBER = {n: frozenset(WANTED_FIELDS[m.name]) for n, m in MESSAGES.items() if m.name in WANTED_FIELDS}
# Normal data-message header bytes per local message type (bits 4 and 5 are not part of the
# local number for fitparse). Compressed-timestamp headers take the slow path: rare in files,
# they would cost 32 table entries on every redefinition.
_HEADERS = [(local, local | 0x10, local | 0x20, local | 0x30) for local in range(16)]


class FastPathUnsupported(Exception):
    """The fast decoder cannot promise fitparse's result for this file (``reason`` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FieldDef:
    """One field of a definition message: where it sits in its data messages."""

    __slots__ = ("base", "count", "def_num", "offset", "size")

    def __init__(self, def_num: int, size: int, base: BaseType, offset: int) -> None:
        self.def_num = def_num
        self.size = size
        self.base = base
        self.offset = offset
        #: Values in the field (more than one: an array, read as a tuple and never kept).
        self.count = size // base.size if base.kind not in "sb" else 1


@dataclass(slots=True, eq=False)
class Definition:
    """A message layout and the offsets of every data message laid out by it.

    Equal definition messages share one :class:`Definition` (some devices repeat the
    definition before every record), so their messages are decoded together; the offsets are
    in file order unless several local message types used the layout at once.
    """

    mesg_num: int
    big_endian: bool
    fields: list[FieldDef]
    dev_fields: list[FieldDef]
    dev_names: list[str]
    #: Bytes of each data message, header included.
    length: int
    #: Its data messages need the walk's slow path (a zero-size field, developer metadata).
    special: bool
    positions: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CrcCheck:
    """A CRC the reference decoder checks: bytes ``start:stop`` against the value stored there."""

    start: int
    stop: int
    stored: int
    allow_zero: bool


@dataclass(frozen=True, slots=True)
class MalformedField:
    """A field whose declared size is not a multiple of its base type's (a COROS quirk).

    The FIT SDK and fitdecode read such a field as invalid and go on; so do both decoders here.
    """

    mesg_num: int
    def_num: int
    size: int
    base_type: str


@dataclass(frozen=True, slots=True)
class Stop:
    """Why decoding ended early: ``kind`` is 'eof', 'header' or 'broken' (fitparse's text)."""

    kind: str
    text: str


@dataclass(slots=True)
class Layout:
    """The file's structure: definitions in file order, CRCs to check, how the walk ended."""

    definitions: list[Definition] = field(default_factory=list)
    #: (offset, layout) of every definition message, in file order.
    definition_messages: list[tuple[int, Definition]] = field(default_factory=list)
    part_starts: list[int] = field(default_factory=list)
    crc_checks: list[CrcCheck] = field(default_factory=list)
    stop: Stop | None = None
    #: A timestamp field a compressed-timestamp header could not add to (fitparse would fail).
    odd_timestamp: bool = False
    #: Some data message has a compressed-timestamp header.
    compressed: bool = False
    #: Fields declared with a size that is not a multiple of their type, read as invalid.
    malformed: list[MalformedField] = field(default_factory=list)


class _Ended(Exception):
    """The walk met the end of the file or a broken message (carried in ``stop``)."""

    def __init__(self, stop: Stop) -> None:
        super().__init__(stop.text)
        self.stop = stop


def walk(data: bytes) -> Layout:
    """Walk every chained part of a FIT file.

    An unreadable first header leaves ``part_starts`` empty, with the reason in ``stop``.

    Raises
    ------
    FastPathUnsupported
        The file needs fitparse.
    """
    return _Walker(data).run()


class _Walker:
    """The walk's state: the current local definitions and the developer fields seen so far."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buffer = np.frombuffer(data, dtype=np.uint8)
        self.layout = Layout()
        # developer_data_index -> field number -> (base type, name), as fitparse registers them.
        self.developer: dict[Any, dict[Any, tuple[BaseType, str]]] = {}
        # Definition bytes -> the parsed definition first seen with them (without developer
        # fields, whose meaning can change between two equal definitions).
        self.seen: dict[bytes, Definition] = {}

    def run(self) -> Layout:
        data, layout = self.data, self.layout
        position = 0
        while True:
            try:
                position, data_end = self._header(position)
                position = self._messages(position, data_end)
                if len(data) - position < 2:
                    raise _Ended(Stop("eof", "the CRC is missing"))
            except _Ended as ended:
                layout.stop = ended.stop
                return layout
            stored = data[position] | data[position + 1] << 8
            layout.crc_checks.append(CrcCheck(layout.part_starts[-1], position, stored, allow_zero=False))
            position += 2
            if position >= len(data):
                return layout

    def _header(self, position: int) -> tuple[int, int]:
        """Read a file header like fitparse; return where messages start and where data ends."""
        data = self.data
        if len(data) - position < 12:
            raise _Ended(Stop("eof", "the file ends inside its FIT header"))
        if data[position + 8 : position + 12] != b".FIT":
            raise _Ended(Stop("header", "Invalid .FIT File Header"))
        header_size, data_size = data[position], int.from_bytes(data[position + 4 : position + 8], "little")
        start, position = position, position + 12
        extra = header_size - 12
        if extra > 0:
            if extra < 2:
                raise _Ended(Stop("header", "Irregular File Header Size"))
            if len(data) - position < 2:
                raise _Ended(Stop("eof", "the file ends inside its FIT header"))
            stored = data[position] | data[position + 1] << 8
            self.layout.crc_checks.append(CrcCheck(start, start + 12, stored, allow_zero=True))
            position += 2
            if extra > 2:
                if len(data) - position < extra - 2:
                    raise _Ended(Stop("eof", "the file ends inside its FIT header"))
                position += extra - 2
        self.layout.part_starts.append(start)
        return position, position + data_size

    def _messages(self, position: int, data_end: int) -> int:
        """Collect the part's data messages; definitions and special messages go the slow way."""
        data = self.data
        # Per header byte: the message length (0 = handle in _slow) and the list to append to.
        sizes = [0] * 256
        lists: list[list[int]] = [[] for _ in range(256)]
        local_defs: list[Definition | None] = [None] * 16
        stop_at = min(data_end, len(data))
        header = 0
        while position < stop_at:
            header = data[position]
            size = sizes[header]
            if size:
                lists[header].append(position)
                position += size
                # A long run of equal messages (the records, one a second) is taken at once.
                if position + _RUN_PROBE * size < stop_at and data[position + _RUN_PROBE * size] == header:
                    position = self._run(position, header, size, stop_at, lists[header])
            else:
                position = self._slow(position, sizes, lists, local_defs)
        if position > len(data):
            lists[header].pop()
            raise _Ended(Stop("eof", "the file ends inside a message"))
        if position < data_end:
            raise _Ended(Stop("eof", "the file ends before its declared data size"))
        return position

    def _run(self, position: int, header: int, size: int, stop_at: int, positions: list[int]) -> int:
        """Collect the messages at ``position``, ``position + size``, ... while their header byte is
        ``header`` and they start before ``stop_at``, as the loop in :meth:`_messages` would one by
        one; return where the next message starts."""
        remaining = (stop_at - position + size - 1) // size  # messages that could start before stop_at
        chunk = _RUN_CHUNK
        while remaining:
            count = min(chunk, remaining)
            differ = self.buffer[position : position + (count - 1) * size + 1 : size] != header
            same = int(differ.argmax()) if differ.any() else count
            positions.extend(range(position, position + same * size, size))
            position += same * size
            if same < count:
                break
            remaining -= count
            chunk *= 4
        return position

    def _slow(
        self,
        position: int,
        sizes: list[int],
        lists: list[list[int]],
        local_defs: list[Definition | None],
    ) -> int:
        header = self.data[position]
        if header & 0xC0 == 0x40:
            definition, length = self._definition(position)
            self.layout.definition_messages.append((position, definition))
            local = header & 0x0F
            if local_defs[local] is not definition:
                local_defs[local] = definition
                size = 0 if definition.special else definition.length
                for byte in _HEADERS[local]:
                    sizes[byte] = size
                    lists[byte] = definition.positions
            return position + length
        if header & 0x80:
            self.layout.compressed = True
            local = (header >> 5) & 0x3
        else:
            local = header & 0x0F
        current = local_defs[local]
        if current is None:
            raise _Ended(Stop("broken", f"Got data message with invalid local message type {local}"))
        if current.special:
            return self._special_data(position, current)
        end = position + current.length
        if end > len(self.data):
            raise _Ended(Stop("eof", "the file ends inside a message"))
        current.positions.append(position)
        return end

    def _definition(self, position: int) -> tuple[Definition, int]:
        """The definition at ``position`` (an equal one's layout if seen before) and its length."""
        data = self.data
        if not data[position] & 0x20 and len(data) - position >= 6:
            length = 6 + 3 * data[position + 5]
            if len(data) - position >= length:
                key = data[position + 1 : position + length]
                seen = self.seen.get(key)
                if seen is None:
                    seen = self.seen[key] = self._parse_definition(position)
                return seen, length
        definition = self._parse_definition(position)
        length = 6 + 3 * data[position + 5]
        return definition, length + 1 + 3 * data[position + length] if data[position] & 0x20 else length

    def _parse_definition(self, position: int) -> Definition:
        """Parse a definition message, failing where and as fitparse fails."""
        data, end = self.data, len(self.data)
        header = data[position]
        cursor = position + 1
        if end - cursor < 5:
            raise _Ended(Stop("eof", "the file ends inside a definition"))
        big_endian = data[cursor + 1] != 0
        mesg_num = int.from_bytes(data[cursor + 2 : cursor + 4], "big" if big_endian else "little")
        count = data[cursor + 4]
        cursor += 5
        fields: list[FieldDef] = []
        offset = 1
        for _ in range(count):
            if end - cursor < 3:
                raise _Ended(Stop("eof", "the file ends inside a definition"))
            def_num, size, base_num = data[cursor], data[cursor + 1], data[cursor + 2]
            cursor += 3
            base = BASE_TYPES.get(base_num, _BYTE)
            if size % base.size:
                self.layout.malformed.append(MalformedField(mesg_num, def_num, size, base.name))
                def_num, base = UNKNOWN_FIELD, _BYTE
            fields.append(FieldDef(def_num, size, base, offset))
            offset += size
        dev_fields: list[FieldDef] = []
        dev_names: list[str] = []
        if header & 0x20:
            if end - cursor < 1:
                raise _Ended(Stop("eof", "the file ends inside a definition"))
            dev_count = data[cursor]
            cursor += 1
            for _ in range(dev_count):
                if end - cursor < 3:
                    raise _Ended(Stop("eof", "the file ends inside a definition"))
                def_num, size, index = data[cursor], data[cursor + 1], data[cursor + 2]
                cursor += 3
                base, name = self._developer_field(index, def_num)
                if size % base.size:
                    raise FastPathUnsupported("a developer field's size is not a multiple of its type")
                if base.kind == "s" and mesg_num == _RECORD and name in _WANTED_BY_NUMBER[_RECORD]:
                    raise FastPathUnsupported(f"a developer field {name!r} holds text")
                if def_num == _TIMESTAMP:
                    self.layout.odd_timestamp = True
                dev_fields.append(FieldDef(def_num, size, base, offset))
                dev_names.append(name)
                offset += size
        special = mesg_num in (_DEVELOPER_DATA_ID, _FIELD_DESCRIPTION) or any(
            f.size == 0 for f in (*fields, *dev_fields)
        )
        definition = Definition(mesg_num, big_endian, fields, dev_fields, dev_names, offset, special)
        _check_layout(definition, self.layout)
        self.layout.definitions.append(definition)
        return definition

    def _developer_field(self, index: int, def_num: int) -> tuple[BaseType, str]:
        fields = self.developer.get(index)
        if fields is None:
            # fitparse looks developer fields up in a table shared by every file it has read:
            # its answer depends on earlier files, so no fixed answer can match it.
            raise FastPathUnsupported("a developer field of a developer data index not declared before")
        if def_num not in fields:
            raise _Ended(Stop("broken", f"No such field {def_num} for dev_data_index {index}"))
        return fields[def_num]

    def _special_data(self, position: int, definition: Definition) -> int:
        """A data message the fast loop leaves alone: a zero-size field or developer metadata."""
        end = len(self.data)
        cursor = position + 1
        for field_def in (*definition.fields, *definition.dev_fields):
            if field_def.size == 0:
                endian = ">" if definition.big_endian else "<"
                raise _Ended(Stop("broken", f"Invalid struct format: {endian}0{field_def.base.fmt}"))
            if end - cursor < field_def.size:
                raise _Ended(Stop("eof", "the file ends inside a message"))
            cursor += field_def.size
        definition.positions.append(position)
        if definition.mesg_num in (_DEVELOPER_DATA_ID, _FIELD_DESCRIPTION):
            self._register_developer(position, definition)
        return cursor

    def _register_developer(self, position: int, definition: Definition) -> None:
        """Keep developer field types as fitparse's add_dev_data_id/add_dev_field_description do."""
        values = _raw_values(self.data, position, definition)
        first: dict[int, Any] = {}
        for field_def, value in zip(definition.fields, values, strict=False):
            first.setdefault(field_def.def_num, value)
        if definition.mesg_num == _DEVELOPER_DATA_ID:
            index = first.get(_ID_INDEX)
            if not isinstance(index, int):
                raise FastPathUnsupported("a developer_data_id without a valid index")
            self.developer[index] = {}
            return
        index, def_num, base_num = first.get(_INDEX), first.get(_NUMBER), first.get(_BASE_TYPE)
        if not isinstance(index, int) or index not in self.developer:
            raise FastPathUnsupported("a field_description for a developer data index not declared before")
        if base_num not in BASE_TYPES:
            raise FastPathUnsupported("a field_description with an unknown base type")
        if def_num is not None and not isinstance(def_num, int):
            raise FastPathUnsupported("a field_description whose field number is not a number")
        # fitparse formats the name and units into method names: a tuple there fails later.
        if isinstance(first.get(_NAME), tuple) or isinstance(first.get(_UNITS), tuple):
            raise FastPathUnsupported("a field_description whose name or units are not text")
        name = first.get(_NAME) or f"unnamed_dev_field_{def_num}"
        self.developer[index][def_num] = (BASE_TYPES[base_num], name)


def _check_layout(definition: Definition, layout: Layout) -> None:
    """Refuse field layouts where fitparse's Python arithmetic would go where numpy cannot follow."""
    with_components = COMPONENT_FIELDS.get(definition.mesg_num, frozenset())
    profile = MESSAGES.get(definition.mesg_num)
    for field_def in definition.fields:
        kind = field_def.base.kind
        if field_def.def_num == _TIMESTAMP and (kind not in "ui" or field_def.count > 1 or field_def.size > 4):
            layout.odd_timestamp = True
        if field_def.def_num in with_components and (kind in "fs" or (kind != "b" and field_def.count > 1)):
            raise FastPathUnsupported(f"a field with components stored as {field_def.base.name} x{field_def.count}")
        if definition.mesg_num != _RECORD or profile is None:
            continue
        spec = profile.fields.get(field_def.def_num)
        if spec is None:
            continue
        if kind == "s":
            raise FastPathUnsupported(f"record field {spec.name!r} stored as a string")
        if spec.components and kind == "b" and field_def.size > 8:
            raise FastPathUnsupported(f"record field {spec.name!r} stored as {field_def.size} bytes")


def _raw_values(data: bytes, position: int, definition: Definition) -> list[Any]:
    """One data message's field values as fitparse reads them (invalid -> None, arrays -> tuples)."""
    values: list[Any] = []
    endian = ">" if definition.big_endian else "<"
    for field_def in (*definition.fields, *definition.dev_fields):
        base = field_def.base
        start = position + field_def.offset
        if base.kind == "s":
            values.append(_parse_string(data[start : start + field_def.size]))
        elif base.kind == "b":
            raw = tuple(data[start : start + field_def.size])
            values.append(None if all(b == 0xFF for b in raw) else raw)
        else:
            items = struct.unpack_from(f"{endian}{field_def.count}{base.fmt}", data, start)
            parsed = tuple(_parse_number(v, base) for v in items)
            values.append(parsed if len(parsed) > 1 else parsed[0])
    return values


def _parse_number(value: Any, base: BaseType) -> Any:
    if base.kind == "f":
        return None if value != value else value
    return None if value == base.invalid else value


def _parse_string(raw: bytes) -> str | None:
    """fitparse's string rule: up to the first NUL (or all of it), UTF-8 with replacement."""
    end = raw.find(0)
    return (raw if end < 0 else raw[:end]).decode("utf-8", errors="replace") or None
