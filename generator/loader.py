"""Stage 1, load: read YAML/JSON spec files and resolve `$ref`s between them.

Only local files are read, and only inside the spec's folder, unless the caller allows more.
A YAML file is read by rapidyaml: JSON's data in YAML's syntax (most specs) through its JSON,
its lines only when a diagnostic asks for one; one with anchors, aliases, tags or merge keys
from its tree's nodes (yaml_nodes). What rapidyaml reads otherwise than libyaml (the YAML test
suite's cases) and what it refuses goes to the exact reader (exact_yaml: libyaml's nodes).
JSON files find their lines on demand.
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import json
import math
import os
import re
import sys
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, SpecError, escape_pointer_token

MAX_NODES = 2_000_000  # bounds YAML alias expansion ("billion laughs") when walking a document
MAX_DEPTH = 100  # levels of nesting in one document: every later stage recurses; real specs nest ~20 deep
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; refusing to read further"


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    body = pointer[1:] if pointer.startswith("#") else pointer
    if not body:
        return []
    return [unescape_pointer_token(t) for t in urllib.parse.unquote(body).split("/")[1:]]


@dataclass
class Document:
    """One loaded file: its data and where each JSON pointer sits in the text."""

    path: Path
    text: str
    data: Any
    lines: Mapping[str, tuple[int, int]] | None = field(default=None, repr=False)
    aliased: bool = False  # a node reached twice (a YAML alias): the data is a graph, not a tree

    def location(self, pointer: str = "#") -> Location:
        return Location(str(self.path), pointer, *line_of(self.line_map(), pointer))

    def line_map(self) -> Mapping[str, tuple[int, int]]:
        """Pointer -> (line, column), read from the text the first time it is asked for."""
        if self.lines is None:
            self.lines = _lines_of(self.text)
        return self.lines

    def get(self, pointer: str) -> Any:
        node = self.data
        for token in split_pointer(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node


def line_of(lines: Mapping[str, tuple[int, int]], pointer: str) -> tuple[int, int] | tuple[None, None]:
    """(line, column) of `pointer`, or of its nearest enclosing node that has one."""
    probe = pointer
    while probe not in lines and "/" in probe:
        probe = probe.rsplit("/", 1)[0]
    return lines.get(probe, (None, None))


class LazyLines(Mapping[str, tuple[int, int]]):
    """A document's line map, read from its text the first time a line is asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: Mapping[str, tuple[int, int]] | None = None

    def _read(self) -> Mapping[str, tuple[int, int]]:
        if self._lines is None:
            self._lines = _lines_of(self.text)
        return self._lines

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        return self._read()[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def _lines_of(text: str) -> Mapping[str, tuple[int, int]]:
    """The line map of a document parsed without one (in another process, as spec-diff's
    sides are): JSON's by a pass over its tokens, YAML's by the fast reader where it reads."""
    if text.lstrip()[:1] in ("{", "["):
        return _json_lines(text)
    fast = _fast_yaml(text)
    return _exact_lines(text) if fast is _EXACT else fast[1]


def _exact_lines(text: str) -> Mapping[str, tuple[int, int]]:
    from . import exact_yaml

    return exact_yaml.lines(text)


# A string (a key when a colon follows), or a bracket or comma; strings unrolled for speed.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[{}\[\],]')


def _json_lines(text: str, duplicates: bool = False) -> Mapping[str, tuple[int, int]]:
    """(line, column) of every key and of every array item that is a string, object or array,
    as `exact_yaml.read` records them, from one regular-expression pass over the JSON text
    (libyaml took 13 s on a 13 MB spec; this about a tenth). Offsets are turned into lines only when
    asked. Numbers and literals in arrays are not tokens here: a pointer to one finds its
    array's line."""
    offsets: dict[str, int] = {}
    frames: list[list[Any]] = []  # per open container: [pointer, next index (None in an object)]
    key = ""  # the pointer of the last key read, for the value after it
    duplicate: tuple[str, int] | None = None  # (pointer, offset of the first) with `duplicates`
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if match.group(1):  # a key
            name = token[: token.rindex('"') + 1]
            name = json.loads(name) if "\\" in name else name[1:-1]
            key = f"{frames[-1][0]}/{escape_pointer_token(name)}"
            if duplicates and key in offsets:  # the first seen twice: its own key comes before its children
                duplicate = key, offsets[key]
                offsets[key] = match.start()
                break
            offsets[key] = match.start()
        elif token == ",":
            if frames[-1][1] is not None:
                frames[-1][1] += 1
        elif token in "}]":
            frames.pop()
        else:  # a value: an object, an array or a string
            here = key
            if not frames:
                here = "#"
                offsets[here] = match.start()
            elif frames[-1][1] is not None:
                here = f"{frames[-1][0]}/{frames[-1][1]}"
                offsets[here] = match.start()
            if token in "{[":
                frames.append([here, 0 if token == "[" else None])
    lines = _OffsetLines(text, offsets)
    lines.duplicate = duplicate
    return lines


class _OffsetLines(Mapping[str, tuple[int, int]]):
    """Pointer -> (line, column), from character offsets, converted on lookup."""

    COUNTED = 16  # lookups answered by counting newlines, before they are all found at once

    def __init__(self, text: str, offsets: dict[str, int]) -> None:
        self.text, self.offsets = text, offsets
        self._newlines: list[int] | None = None
        self._counted = [(0, 1)]  # (offset, its line) of the lookups counted, in offset order
        self.duplicate: tuple[str, int] | None = None

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        return self.at(self.offsets[pointer])

    def at(self, offset: int) -> tuple[int, int]:
        """A diagnostic's few lines are counted (a C pass over the text from the nearest offset
        counted before: a diagnostic's lines are near each other, ~3 ms each from the start of
        GitHub's 14 MB spec); more, from every newline's offset, found once (~0.07 s there)."""
        if self._newlines is None and len(self._counted) <= self.COUNTED:
            nearest = bisect.bisect_right(self._counted, offset, key=itemgetter(0)) - 1
            start, line = self._counted[nearest]
            line += self.text.count("\n", start, offset)
            self._counted.insert(nearest + 1, (offset, line))
            return line, offset - self.text.rfind("\n", 0, offset)
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        return line + 1, offset - (self._newlines[line - 1] if line else -1)

    def __iter__(self) -> Iterator[str]:
        return iter(self.offsets)

    def __len__(self) -> int:
        return len(self.offsets)


def _dropped(value: Any) -> None:
    return None


def _json_read(text: str) -> tuple[Any, _JsonLines]:
    """json.loads' data, and the lines of a JSON document with the members of its top levels
    placed on the way (`_JsonLines.build`), so that a pointer's line later steps over no more
    than one level's members (GitHub's `paths`, ~half of its spec, never); where the text is
    not as that walk reads it (invalid JSON), json.loads reads it and says why."""
    lines = _JsonLines(text)
    try:
        root = lines._find("#")
        assert root is not None  # the root is always found
        data, end = lines.build("#", root[0], _JsonLines.PREPARED)
        if lines._skip(end) == len(text):
            return data, lines
    except (_NotAsWalked, json.JSONDecodeError):
        pass
    data = json.loads(text, parse_constant=_not_json_number, object_pairs_hook=_json_object)
    return data, _JsonLines(text)


class _NotAsWalked(ValueError):
    pass


class _JsonLines(LazyLines):
    """The (line, column) `_json_lines` gives a pointer of a JSON document, found by walking
    the text to it: at each level the members before it are stepped over by the C decoder
    and remembered, so that a later pointer in the same object goes on from there. A run asks
    for the lines of its few diagnostics; the whole map of GitHub's 14 MB spec took 0.54 s."""

    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._offsets = _OffsetLines(text, {})
        # pointer -> (where its value starts, the offset `_json_lines` gives it or None)
        self._found: dict[str, tuple[int, int | None]] = {}
        # container -> where its next unread member starts (None: none is left), and its index
        self._next: dict[str, tuple[int | None, int]] = {}
        # Members are stepped over, not kept: each object and number dropped as soon as it is
        # read (~1.7x faster than building them, on GitHub's spec).
        self._decode = json.JSONDecoder(object_hook=_dropped, parse_int=_dropped, parse_float=_dropped).raw_decode
        self._build = json.JSONDecoder(parse_constant=_not_json_number, object_pairs_hook=_json_object).raw_decode

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        found = self._find(pointer)
        if found is None or found[1] is None:
            raise KeyError(pointer)
        return self._offsets.at(found[1])

    def __reduce__(self) -> Any:
        return _JsonLines, (self.text,)

    PREPARED = 2  # levels whose members `build` places: the root's and theirs

    def build(self, pointer: str, at: int, depth: int) -> tuple[Any, int]:
        """The value at `at` and where it ends, as json.loads reads it; the members of the
        `depth` levels from it placed as `_read_member` places them. _NotAsWalked where the
        text is not valid JSON there."""
        text = self.text
        opener = text[at : at + 1]
        if not depth or opener not in ("{", "["):
            return self._build(text, at)
        closer, keyed = ("}", True) if opener == "{" else ("]", False)
        members: list[Any] = []
        member, index = self._skip(at + 1), 0
        if text[member : member + 1] == closer:
            self._next[pointer] = None, 0
            return ({} if keyed else []), member + 1
        while True:
            here, key, start = self._place(pointer, keyed, member, index)
            value, end = self.build(here, start, depth - 1)
            members.append((key, value) if keyed else value)
            after, index = self._skip(end), index + 1
            if text[after : after + 1] == closer:
                self._next[pointer] = None, index
                return (_json_object(members) if keyed else members), after + 1
            if text[after : after + 1] != ",":
                raise _NotAsWalked
            member = self._skip(after + 1)

    def _skip(self, at: int) -> int:
        return self._SPACE.match(self.text, at).end()  # type: ignore[union-attr]  # matches the empty string

    def _find(self, pointer: str) -> tuple[int, int | None] | None:
        if pointer in self._found:
            return self._found[pointer]
        if pointer == "#":
            start = self._skip(0)
            self._found[pointer] = start, self._own_line(start)
            return self._found[pointer]
        container = pointer.rsplit("/", 1)[0]
        parent = self._find(container) if "/" in pointer else None
        if parent is None:
            return None
        while pointer not in self._found and self._read_member(container, parent[0]):
            pass
        return self._found.get(pointer)

    def _read_member(self, container: str, start: int) -> bool:
        """Read the next member of the object or array at `start`; False when none is left."""
        text = self.text
        if container not in self._next:
            self._next[container] = (self._skip(start + 1) if text[start : start + 1] in ("{", "[") else None), 0
        at, index = self._next[container]
        if at is None or text[at : at + 1] in ("}", "]", ""):
            return False
        _, _, value = self._place(container, text[start] == "{", at, index)
        after = self._skip(self._decode(text, value)[1])
        self._next[container] = (self._skip(after + 1) if text[after : after + 1] == "," else None), index + 1
        return True

    def _place(self, container: str, keyed: bool, member: int, index: int) -> tuple[str, str, int]:
        """Place the member of `container` written at `member`: its pointer, its key (an item's:
        ""), and where its value starts. _NotAsWalked where an object's member is not a string
        key and a colon."""
        text = self.text
        if not keyed:
            here = f"{container}/{index}"
            self._found[here] = member, self._own_line(member)
            return here, "", member
        if text[member : member + 1] != '"':
            raise _NotAsWalked
        key, end = json.decoder.scanstring(text, member + 1)  # type: ignore[attr-defined]  # in json, not typeshed
        colon = self._skip(end)
        if text[colon : colon + 1] != ":":
            raise _NotAsWalked
        here, value = f"{container}/{escape_pointer_token(key)}", self._skip(colon + 1)
        self._found[here] = value, member
        return here, key, value

    def _own_line(self, at: int) -> int | None:
        """An item's offset if it has a line of its own (a string, object or array), as
        `_json_lines` gives it; None for a number or literal (its array's line)."""
        return at if self.text[at : at + 1] in ("{", "[", '"') else None


class DuplicateKey(ValueError):
    def __init__(self, pointer: str, at: tuple[int, int], first: tuple[int, int] | None) -> None:
        key = split_pointer(pointer)[-1]
        where = f" (first at line {first[0]}, column {first[1]})" if first else ""
        super().__init__(f"the key {key!r} is written twice in one mapping{where}; the first would be lost")
        self.pointer, self.at = pointer, at


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads' object hook: a dict, or DuplicateKey (located by `_json_duplicate`) when a
    key is written twice (~7 ms on 3.4 MB of JSON)."""
    made = dict(pairs)
    if len(made) != len(pairs):
        raise DuplicateKey("#/?", (0, 0), None)
    return made


def _json_duplicate(text: str) -> DuplicateKey:
    """Where the first key written twice in one object is, from the token pass of `_json_lines`."""
    lines = _json_lines(text, duplicates=True)
    assert isinstance(lines, _OffsetLines) and lines.duplicate is not None
    pointer, first = lines.duplicate
    return DuplicateKey(pointer, lines[pointer], lines.at(first))


class _NotJsonNumber(ValueError):
    pass


def _not_json_number(constant: str) -> Any:
    raise _NotJsonNumber(f"{constant} is not a number JSON can hold")


def parse(path: Path, text: str) -> Document:
    """Parse one file; a syntax error becomes a SpecError with the line it is on."""
    try:
        if path.suffix == ".json":  # Python's json reads NaN and Infinity, which JSON has not
            try:
                data, json_lines = _json_read(text)
            except DuplicateKey:
                raise _json_duplicate(text) from None
            return Document(path, text, data, json_lines)
        fast = _fast_yaml(text)
        if fast is not _EXACT:
            return Document(path, text, *fast)
        from . import exact_yaml

        return Document(path, text, *exact_yaml.parse(path, text))
    except DuplicateKey as exc:
        loc = Location(str(path), exc.pointer, *exc.at)
        raise SpecError([Diagnostic.of("duplicate-key", loc, str(exc))]) from None
    except json.JSONDecodeError as exc:
        loc = Location(str(path), "#", exc.lineno, exc.colno)
        raise SpecError([Diagnostic.of("json-syntax", loc, f"invalid JSON: {exc.msg}")]) from None
    except _NotJsonNumber as exc:
        raise SpecError([Diagnostic.of("json-syntax", Location(str(path)), f"invalid JSON: {exc}")]) from None
    except RecursionError:
        loc = Location(str(path), "#")
        message = "the document is nested too deeply to read"
        raise SpecError([Diagnostic.of("nesting-too-deep", loc, message)]) from None


# ---------------------------------------------------------------- the fast reader
# rapidyaml parses the 3 MB OpenAI spec in ~0.02 s where libyaml composes it in ~0.75 s, and
# writes its tree out as JSON that json.loads reads in another ~0.04 s. That is the exact
# reader's data whenever the document is JSON's data in YAML's syntax (no anchors, aliases,
# tags or merge keys), once each plain scalar that YAML 1.1 types otherwise than JSON (`yes`,
# `~`, `0x1F`, `1_000`, `.inf`, `1e3`) takes libyaml's value (yaml_scalars). A document with
# those, or whose JSON does not read back (a key written twice, deep nesting), is built from
# the tree's nodes by the exact reader's own walk (yaml_nodes). What the YAML test suite found
# apart (tabs outside quoted and block scalars, null keys, flow mappings over several lines,
# several documents), and every document rapidyaml refuses or the walk cannot place, is read
# by the exact reader, whose errors are the only ones a user sees
# (tests/test_loader.py and tests/test_yaml_suite.py compare the readers).
_ryml: Any = ...  # rapidyaml, imported with the first YAML document (~35 ms); None without it


def _rapidyaml() -> Any:
    global _ryml
    if _ryml is ...:
        try:
            import ryml  # type: ignore[import-untyped]
        except ImportError:  # an install without it reads every document the exact way
            ryml = None
        _ryml = ryml
    return _ryml


_EXACT: Any = object()  # the fast reader's answer when the exact one must read the document


def block_mapping_start(written: bytes, first_key: int) -> int:
    """Where libyaml marks a block mapping whose first key starts at `first_key` (an offset
    in the text as written): there, or at the `?` before it when that key is explicit
    (`? key`), as the YAML test suite has it (5WE3, 7W2P, GH63, JTV5)."""
    at = first_key - 1
    while at >= 0 and written[at] == 0x20:
        at -= 1
    if at < first_key - 1 and written[at : at + 1] == b"?" and (at == 0 or written[at - 1] in b" \n-"):
        return at
    return first_key


# Plain scalars YAML 1.1 types where JSON keeps a string (a quoted one is a string either way).
_TYPED_BY_YAML_11 = (
    r"yes|Yes|YES|no|No|NO|True|TRUE|False|FALSE|on|On|ON|off|Off|OFF|~|Null|NULL"
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?[0-9_.]*_[0-9_.]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# Numbers rapidyaml writes bare that YAML 1.1 keeps as strings: an exponent without a dot or
# without a sign, a signed leading dot.
_YAML_11_STRING_NUMBER = (
    r"[-+]?[0-9]+(?:\.[0-9]*)?[eE][0-9]+|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]\.[0-9]+(?:[eE][-+]?[0-9]+)?"
)
# Plain scalars rapidyaml's JSON may re-spell (`inf` as ".inf", `nan` as ".nan").
_RESPELT = r"[-+]?\.?(?:inf|nan|infinity)"
# The three as one pattern over the source's bytes, as rapidyaml's tree holds them.
_READ_APART = re.compile(f"{_TYPED_BY_YAML_11}|{_YAML_11_STRING_NUMBER}|(?i:{_RESPELT})".encode())
_TYPED_BY_YAML_11_TEXT = re.compile(_TYPED_BY_YAML_11)  # the rest of those are strings as written
_RESPELT_BYTES = re.compile(_RESPELT.encode(), re.IGNORECASE)
_READ_APART_STARTS = frozenset(bytes([c]) for c in b"yYnNTFoOiI~0123456789+-._")  # how those may begin


def _fast_yaml(text: str) -> Any:
    """The document's data by rapidyaml and its lines (read from the tree when asked for), or
    _EXACT. Data as rapidyaml writes it in JSON, or else built from its tree (yaml_nodes: a
    document with anchors, tags or merge keys, or one its JSON does not read back)."""
    if _NOTHING.fullmatch(text):
        return None, {}  # no node at all, as libyaml reads it
    if _rapidyaml() is None:
        return _EXACT
    written = text.encode()
    ended = text.endswith("\n")  # else its last line is ended for rapidyaml, which reads it alike then
    source = bytearray(written if ended else written + b"\n")  # parsed in place: scalars are slices of it
    with _quiet_stderr():  # rapidyaml prints an error on fd 2 before raising it
        try:
            tree = _ryml.parse_in_place(source)
            if not tree.size() or tree.type(tree.root_id()) & _ryml.STREAM == _ryml.STREAM:
                return _EXACT
            if not ended and _ends_in_block_scalar(tree):
                return _EXACT  # unterminated: where the YAML test suite found the readers apart
            nodes = _nodes(tree)
            if b"\t" in written and not _quoted_tabs(nodes, source, written):
                return _EXACT
            apart = _read_apart(nodes, source)
            if apart is None:
                return _EXACT
            data = _GRAPH if apart is _GRAPH else _json_data(tree, apart)
        except _ryml.ExceptionBasic:
            return _EXACT
    if data is not _GRAPH:
        return data, _TreeLines(text, tree, source)
    from . import yaml_nodes

    return yaml_nodes.read(tree, source, text, nodes) or _EXACT


_GRAPH: Any = object()  # data to build from the tree's nodes (yaml_nodes)


def _ends_in_block_scalar(tree: Any) -> bool:
    """Whether the document's last node, the one that may end the text, is a block scalar."""
    node = tree.root_id()
    while tree.has_children(node):
        node = tree.last_child(node)
    return bool(tree.type(node) & (_ryml.KEY_LITERAL | _ryml.KEY_FOLDED | _ryml.VAL_LITERAL | _ryml.VAL_FOLDED))


_NOTHING = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*[ ]*(?:#[^\n]*)?")  # blank lines and comments
_TAB = re.compile(b"\t")


def _quoted_tabs(nodes: tuple[list[int], ...], source: bytearray, written: bytes) -> bool:
    """Whether every tab of the text as `written` is content of a quoted or block scalar,
    after something else on its line: content both readers read alike. A tab elsewhere
    (indentation, separation, a plain scalar, the start of a block scalar's line: YAML-suite
    96NN) is where the YAML test suite found them apart. A quoted scalar's content is what
    rapidyaml holds of it in the source (its unescaping only shrinks it: a tab it moved is
    refused); a block scalar's, from its first line to the next node written. `nodes`: the
    tree's columns (`_nodes`)."""
    flags, key_at, key_length, value_at, value_length, _ = nodes
    base, size = _address(source), len(source)
    block = _ryml.VAL_LITERAL | _ryml.VAL_FOLDED
    starts = sorted(at - base for column in (key_at, value_at) for at in column if base <= at < base + size)

    def end(at: int, length: int, in_block: bool) -> int:
        if not in_block:
            return at + length
        following = bisect.bisect_right(starts, at)
        return starts[following] if following < len(starts) else size

    columns = ((_ryml.KEYQUO, 0, key_at, key_length), (_ryml.VALQUO, block, value_at, value_length))  # keys: no blocks
    spans = sorted(
        (at - base, end(at - base, length, bool(f & blocks)))
        for quoted, blocks, column, lengths in columns
        for f, at, length in zip(flags, column, lengths, strict=True)
        if f & quoted and length and base <= at and at + length <= base + size
    )
    for match in _TAB.finditer(written):
        tab = match.start()
        i = bisect.bisect_right(spans, (tab, math.inf)) - 1
        if i < 0 or not spans[i][0] <= tab < spans[i][1]:
            return False
        if not written[written.rfind(b"\n", 0, tab) + 1 : tab].strip(b" \t"):
            return False
    return True


def _json_data(tree: Any, apart: list[int]) -> Any:
    """The tree's data through rapidyaml's JSON, the nodes `apart` retyped; _GRAPH where that
    JSON is not written or does not read back as the data (nesting deeper than the emitter or
    json.loads goes, a key written twice, an escape written otherwise)."""
    try:
        written = _ryml.emit_json_malloc(tree, tree.root_id())
        data = json.loads(written, parse_constant=_not_json_number, object_pairs_hook=_json_object)
    except (_ryml.ExceptionBasic, ValueError, TypeError, DuplicateKey, RecursionError):
        return _GRAPH
    for node in apart:  # the plain scalars read apart take the exact reader's values, in place
        if not _retyped(data, tree, node):
            return _GRAPH
    return data


def _read_apart(nodes: tuple[list[int], ...], source: bytearray) -> Any:
    """None if a key is null, or a node is written in flow where rapidyaml reads YAML 1.2 that
    libyaml refuses or reads otherwise (a flow mapping over several lines, or a pair in a flow
    sequence that is, whose key and colon may be on two lines; a plain scalar in a flow
    collection that is empty or begins with `:` or `?`: the YAML test suite's cases); else
    _GRAPH if a node is more than data (an anchor, alias or tag) or a key is a merge key; else
    the nodes whose plain key or value YAML 1.1 and rapidyaml's JSON read apart. One pass over
    the nodes' flags and scalars, read at once (`_nodes`): ~0.02 s on the OpenAI spec, where a
    call per node and field took ~0.1 s. `nodes`: the tree's columns (`_nodes`)."""
    not_data = _ryml.KEYANCH | _ryml.VALANCH | _ryml.KEYREF | _ryml.VALREF | _ryml.KEYTAG | _ryml.VALTAG
    flags, key_at, key_length, value_at, value_length, parent = nodes
    flow_ml, mapping = _ryml.FLOW_ML, _ryml.MAP
    if any(f & _ryml.KEYNIL or f & flow_ml and f & mapping for f in flags):
        return None
    graph = any(f & not_data for f in flags)
    base, held = _address(source), bytes(source)

    def written(start: int, length: int) -> bytes:
        offset = start - base
        if 0 <= offset <= len(held) - length:  # a slice of the source, as parsed in place
            return held[offset : offset + length]
        return ctypes.string_at(start, length)  # rapidyaml's own memory (its arena)

    val, quoted, keyed, key_quoted = _ryml.VAL, _ryml.VALQUO, _ryml.KEY, _ryml.KEYQUO
    apart, respelt = _READ_APART.fullmatch, _RESPELT_BYTES.fullmatch
    flow = _ryml.CONTAINER_STYLE_FLOW

    def odd_in_flow(i: int, f: int) -> bool:
        if f & mapping and flags[parent[i]] & flow_ml:
            return True  # a pair in a flow sequence over several lines: its key and colon may be apart
        for has, plain, at, length in ((f & keyed, not f & key_quoted, key_at[i], key_length[i]),
                                       (f & val, not f & quoted, value_at[i], value_length[i])):  # fmt: skip
            if has and plain and (not length or written(at, 1) in (b":", b"?")):
                return True
        return False

    found = []
    for i, f in enumerate(flags):
        if i and flags[parent[i]] & flow and odd_in_flow(i, f):
            return None
        retyped = False
        if f & keyed and not f & key_quoted and key_length[i] and written(key_at[i], 1) in _KEY_STARTS:
            key = written(key_at[i], key_length[i])
            graph = graph or key == b"<<"  # a merge key, untagged
            retyped = bool(respelt(key))
        if f & val and not f & quoted and value_length[i]:
            start = value_at[i]
            retyped = retyped or (
                written(start, 1) in _READ_APART_STARTS and bool(apart(written(start, value_length[i])))
            )
        if retyped:
            found.append(i)
    return _GRAPH if graph else found


_KEY_STARTS = frozenset(bytes([c]) for c in b"<+-.iInN")  # a merge key, or a key rapidyaml may re-spell
# rapidyaml 0.15's NodeData, in 64-bit words: the type; the key's tag, scalar and anchor (a
# pointer and a length each); the value's the same; the parent and four links.
_WORDS, _TYPE, _KEY, _VAL, _PARENT = 18, 0, 3, 9, 13


def _nodes(tree: Any) -> tuple[list[int], ...]:
    """Per node: its flags, its key's address and length, its value's (0 where it has none),
    its parent's index (the root's: anything)."""
    words = _node_words(tree)
    if words is not None:
        return tuple(words[at::_WORDS].tolist() for at in (_TYPE, _KEY, _KEY + 1, _VAL, _VAL + 1, _PARENT))
    flags = [tree.type(i) for i in range(tree.size())]  # a layout not known here: a call per node and field
    columns: list[list[int]] = [flags]
    for kind, read in ((_ryml.KEY, tree.key), (_ryml.VAL, tree.val)):
        scalars = [read(i) if f & kind else None for i, f in enumerate(flags)]
        columns.append([_address(s) if s is not None and len(s) else 0 for s in scalars])
        columns.append([len(s) if s is not None else 0 for s in scalars])
    columns.append([tree.parent(i) if i else 0 for i in range(len(flags))])
    return tuple(columns)


def _node_words(tree: Any) -> memoryview | None:
    """rapidyaml's array of nodes as 64-bit words, read in one go; None unless this is the
    rapidyaml whose layout is known (0.15) and it agrees with the tree's own accessors on a
    sample of nodes."""
    if not str(_ryml.__version__).startswith("0.15."):
        return None
    buffer, _, size = (ctypes.c_uint64 * 3).from_address(int(tree.this))  # Tree: m_buf, m_cap, m_size
    if size != tree.size() or not buffer:
        return None
    words = memoryview((ctypes.c_uint64 * (size * _WORDS)).from_address(buffer)).cast("B").cast("Q")
    for i in range(0, size, max(1, size // 64)):
        row = words[i * _WORDS : (i + 1) * _WORDS]
        if row[_TYPE] != tree.type(i) or (i and row[_PARENT] != tree.parent(i)):
            return None
        for at, has, read in ((_KEY, tree.has_key, tree.key), (_VAL, tree.has_val, tree.val)):
            scalar = read(i) if has(i) else None  # None: a null scalar
            if scalar is not None and len(scalar) and (row[at], row[at + 1]) != (_address(scalar), len(scalar)):
                return None
    return words


def _retyped(data: Any, tree: Any, node: int) -> bool:
    """Give `node`'s key its text as written and its plain value the exact reader's type, in
    `data`; False where that cannot be done here (a value JSON cannot hold: the exact reader
    reports it). Nodes are found by position: rapidyaml's JSON keeps the document's order."""
    steps = []
    child = node
    while tree.has_parent(child):
        steps.append(tree.child_pos(tree.parent(child), child))
        child = tree.parent(child)
    container, here = data, None
    for position in reversed(steps):
        if here is not None:
            container = container[here]
        here = list(container)[position] if isinstance(container, dict) else position
    flags = tree.type(node)
    if flags & _ryml.VAL and not flags & _ryml.VALQUO:
        value: Any = bytes(tree.val(node)).decode()
        if _TYPED_BY_YAML_11_TEXT.fullmatch(value):  # else YAML 1.1 keeps it text (`inf`, `1e3`)
            from . import yaml_scalars

            try:
                value = yaml_scalars.plain(value)
            except ValueError:
                return False
            if isinstance(value, float) and not math.isfinite(value):
                return False  # not a number JSON can hold: let the exact reader say
        container[here] = value
    if flags & _ryml.KEY and not flags & _ryml.KEYQUO:
        written = bytes(tree.key(node)).decode()
        if written != here:  # renamed in place: the order of keys is the document's
            items = [(written if k == here else k, v) for k, v in container.items()]
            container.clear()
            container.update(items)
    return True


class _TreeLines(LazyLines):
    """The exact reader's (line, column) of a pointer, from where rapidyaml's tree holds the
    node in the source: a key's start (before its quote), a sequence item's start (a scalar's,
    or a block mapping's first key). Nodes placed otherwise (a flow collection, a block
    scalar, an empty collection) ask for the whole line map, once: the walk over the tree's
    nodes (yaml_nodes), else the exact reader's."""

    def __init__(self, text: str, tree: Any, source: bytearray) -> None:
        super().__init__(text)
        self.tree, self.source = tree, source  # `source` as parsed: scalars unescaped in place
        self.base = _address(source)
        self._written: ByteLines | None = None  # the text as written, read for lines when first asked

    def _read(self) -> Mapping[str, tuple[int, int]]:
        if self._lines is None:
            from . import yaml_nodes

            read = yaml_nodes.read(self.tree, self.source, self.text)
            self._lines = read[1] if read is not None else _exact_lines(self.text)
        return self._lines

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        node = self._node(pointer)
        if node is None:
            raise KeyError(pointer)
        offset = self._offset(node, pointer == "#")
        return self._read()[pointer] if offset is None else self._line_and_column(offset)

    def _node(self, pointer: str) -> int | None:
        tree, node = self.tree, self.tree.root_id()
        for token in split_pointer(pointer):
            if tree.is_map(node):
                node = tree.find_child(node, token.encode())
            elif tree.is_seq(node) and token.isdigit():
                node = tree.child(node, int(token))
            else:
                return None
            if node == _ryml.NONE:
                return None
        return int(node)

    def _offset(self, node: int, root: bool) -> int | None:
        tree, flags = self.tree, self.tree.type(node)
        if not root and tree.parent_is_map(node):  # a mapping entry: its key
            return self._start(tree.key(node), flags & _ryml.KEYQUO, flags & (_ryml.KEY_LITERAL | _ryml.KEY_FOLDED))
        if flags & _ryml.VAL:
            return self._start(tree.val(node), flags & _ryml.VALQUO, flags & (_ryml.VAL_LITERAL | _ryml.VAL_FOLDED))
        if flags & _ryml.MAP and not tree.is_flow(node) and tree.has_children(node):
            first = self._offset(tree.first_child(node), False)  # a block mapping starts at its first key
            return None if first is None else block_mapping_start(self._text_as_written().written, first)
        return None

    def _start(self, scalar: Any, quoted: int, block: int) -> int | None:
        if block or scalar is None or not len(scalar):  # None: a null scalar, written as nothing
            return None
        return _address(scalar) - self.base - (1 if quoted else 0)

    def _line_and_column(self, offset: int) -> tuple[int, int]:
        """Counted in the text as written (the parsed buffer's scalars may have shrunk)."""
        return self._text_as_written().at(offset)

    def _text_as_written(self) -> ByteLines:
        if self._written is None:
            self._written = ByteLines(self.text.encode())
        return self._written

    def __reduce__(self) -> Any:  # to another process (spec-diff's sides) as the text's lines
        return LazyLines, (self.text,)


class ByteLines:
    """A byte offset of a UTF-8 text as (line, column), columns counting characters: the
    bytes before the offset on its line less the continuation bytes among them, found once
    per line (a document on one long line is placed in linear time)."""

    _CONTINUATION = re.compile(rb"[\x80-\xbf]")

    def __init__(self, written: bytes) -> None:
        self.written = written
        self.newlines = [m.start() for m in re.finditer(b"\n", written)]
        self._continuations: dict[int, list[int]] = {}  # line -> offsets of its continuation bytes

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line - 1] + 1 if line else 0
        if line not in self._continuations:
            end = self.newlines[line] if line < len(self.newlines) else len(self.written)
            self._continuations[line] = [m.start() for m in self._CONTINUATION.finditer(self.written, start, end)]
        return line + 1, offset - start - bisect.bisect_left(self._continuations[line], offset) + 1


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p),
    ]  # fmt: skip


_GET_BUFFER = ctypes.pythonapi.PyObject_GetBuffer
_GET_BUFFER.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_RELEASE_BUFFER = ctypes.pythonapi.PyBuffer_Release
_RELEASE_BUFFER.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(buffer: Any) -> int:
    """Where a buffer's bytes are: rapidyaml's scalars are read-only slices of the source."""
    view = _PyBuffer()
    _GET_BUFFER(buffer, ctypes.byref(view), 0)
    try:
        return int(view.buf or 0)
    finally:
        _RELEASE_BUFFER(ctypes.byref(view))


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 to /dev/null meanwhile (where C code writes, not sys.stderr)."""
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all
        yield
        return
    sys.stderr.flush()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@dataclass(frozen=True)
class Target:
    """What a `$ref` points at."""

    document: Document
    pointer: str
    value: Any

    @property
    def key(self) -> str:
        """A stable identity for the target, used to name and deduplicate schemas."""
        return f"{self.document.path}{self.pointer}"


class Unread(Exception):  # noqa: N818 - not an error: a document a sealed SpecSet did not read
    """A `$ref` reached a document that a sealed SpecSet has not read."""


class SpecSet:
    """The root documents and every local file they reach through `$ref`."""

    def __init__(self, roots: list[Path], *, allow_outside: bool = False) -> None:
        self.roots = [p.resolve() for p in roots]
        self.base_dirs = {p.parent for p in self.roots}
        self.allow_outside = allow_outside
        self.documents: dict[Path, Document] = {}
        self._targets: dict[tuple[str, Path], Target] = {}  # (ref, file it is written in) -> target
        self.sealed = False  # no document is read from now on (Unread is raised instead)
        for root in self.roots:
            self.load(root)

    def load(self, path: Path) -> Document:
        path = path.resolve()
        if path not in self.documents:
            if self.sealed:
                raise Unread(path)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                loc = Location(str(path))
                raise SpecError([Diagnostic.of("unreadable", loc, f"cannot read: {exc}")]) from None
            self.documents[path] = parse(path, text)
        return self.documents[path]

    def root_documents(self) -> list[Document]:
        return [self.documents[p] for p in self.roots]

    def replace(self, document: Document) -> None:
        """Put `document` in place of the one loaded from its path (selection slices them)."""
        self.documents[document.path] = document
        self._targets.clear()

    def resolve(self, ref: Any, base: Document, at: str) -> Target | Diagnostic:
        """Follow one `$ref` written in `base` at pointer `at`; a Diagnostic says why not.
        Targets are remembered: a big spec refers to the same schemas tens of thousands of times."""
        if isinstance(ref, str):
            known = self._targets.get((ref, base.path))
            if known is not None:
                return known
        found = self._resolve(ref, base, at)
        if isinstance(found, Target):
            self._targets[ref, base.path] = found
        return found

    def _resolve(self, ref: Any, base: Document, at: str) -> Target | Diagnostic:

        def problem(message: str, rule: str) -> Diagnostic:
            return Diagnostic.of(rule, base.location(at + "/$ref"), message)

        if not isinstance(ref, str):
            return problem("$ref must be a string", "ref-invalid")
        file_part, _, fragment = ref.partition("#")
        if urllib.parse.urlsplit(file_part).scheme:
            return problem(f"$ref {ref!r} points to the network; only local files are read", "ref-remote")
        document = base
        if file_part:
            path = (base.path.parent / urllib.parse.unquote(file_part)).resolve()
            if not self.allow_outside and not any(path.is_relative_to(d) for d in self.base_dirs):
                return problem(f"$ref {ref!r} leaves the spec folder (pass --allow-outside to permit)", "ref-outside")
            if not path.is_file():
                return problem(f"$ref {ref!r}: file {path.name} not found", "ref-missing")
            try:
                document = self.load(path)
            except SpecError as exc:
                return exc.diagnostics[0]
        pointer = "#" + fragment
        try:
            value = document.get(pointer)
        except KeyError:
            return problem(f"$ref {ref!r} points to nothing", "ref-missing")
        return Target(document, pointer, value)
