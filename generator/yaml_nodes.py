"""A YAML document's nodes to its data and the (line, column) of every JSON pointer: the one
walk that both readers' nodes go through, libyaml's (exact_yaml) and those built here from
rapidyaml's tree for a document with anchors, aliases, tags or merge keys. Nodes are PyYAML's
or shaped like them (`id`, `tag`, `value`), so the walk is libyaml's reading, whoever parsed.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from . import yaml_scalars
from .diagnostics import escape_pointer_token
from .loader import ByteLines, DuplicateKey, block_mapping_start  # the loader imports this module when it needs it
from .yaml_scalars import MAP, MERGE, SEQ, STR, VALUE

_JSON_SCALARS = frozenset((yaml_scalars.INT, yaml_scalars.FLOAT, yaml_scalars.BOOL, yaml_scalars.NULL))
Place = TypeVar("Place")  # where a node is, as its reader knows it: libyaml's (line, column), a byte offset here


class Unreadable(Exception):  # noqa: N818 - the reader says it as libyaml's error, at the node
    def __init__(self, problem: str, node: Any) -> None:
        super().__init__(problem)
        self.problem, self.node = problem, node


def walk(
    root: Any,
    construct: Callable[[Any], Any],
    flatten: Callable[[Any], None],
    mark: Callable[[Any], Place],
    line: Callable[[Place], tuple[int, int]],
) -> tuple[Any, dict[str, Place], bool]:
    """The data and the place (`mark`) of every pointer's key or item, in one pass over the
    nodes; `line` makes a place a (line, column), asked only for a key written twice. Mapping
    keys are the text written (`200:` is "200", as in JSON); a node reached again through an
    alias is the same object, and its lines are those of the pointer that reached it first
    (the third value says whether one was)."""
    aliased = False
    lines = {"#": mark(root)}
    built: dict[int, Any] = {}
    pending: list[tuple[Any, Any, str]] = []  # (node, its empty container, pointer)

    def value(node: Any, pointer: str) -> Any:
        nonlocal aliased
        if id(node) in built:
            aliased = True
            return built[id(node)]
        if node.id == "scalar" and node.tag == STR:
            return node.value
        if node.tag not in (MAP, SEQ, *_JSON_SCALARS):  # !!binary, !!set, !!timestamp, !custom: not JSON
            raise Unreadable(f"unsupported YAML tag {node.tag!r}", node)
        if node.id == "scalar":
            scalar = construct(node)
            if isinstance(scalar, float) and not math.isfinite(scalar):
                raise Unreadable(f"{node.value} is not a number JSON can hold", node)
            return scalar
        container: Any = {} if node.id == "mapping" else [None] * len(node.value)
        built[id(node)] = container
        pending.append((node, container, pointer))
        return container

    data = value(root, "#")
    while pending:
        node, container, pointer = pending.pop()
        if isinstance(container, list):
            for i, item in enumerate(node.value):
                here = f"{pointer}/{i}"
                lines[here] = mark(item)
                container[i] = value(item, here)
            continue
        merged = any(key.tag == MERGE for key, _ in node.value)
        if merged:  # `<<: *base`, resolved as PyYAML does; its keys may be written again
            _no_duplicate_keys([key for key, _ in node.value if key.tag != MERGE], pointer, mark, line)
            flatten(node)
        for key, item in node.value:
            if key.id != "scalar":
                raise Unreadable("a mapping key must be a string, number or boolean, not a collection", key)
            here = f"{pointer}/{escape_pointer_token(key.value)}"
            lines[here] = mark(key)
            container[key.value] = value(item, here)
        if len(container) < len(node.value) and not merged:  # a key written twice: one test a mapping
            _no_duplicate_keys([key for key, _ in node.value], pointer, mark, line)
    return data, lines, aliased


def _no_duplicate_keys(
    keys: list[Any], pointer: str, mark: Callable[[Any], Place], line: Callable[[Place], tuple[int, int]]
) -> None:
    """DuplicateKey at the second of two keys written alike (as their text: `200` and "200")."""
    first: dict[str, Any] = {}
    for key in keys:
        if key.id == "scalar" and key.value in first:
            at, before = line(mark(key)), line(mark(first[key.value]))
            raise DuplicateKey(f"{pointer}/{escape_pointer_token(key.value)}", at, before)
        first.setdefault(key.value, key)


# ---------------------------------------------------------------- nodes from rapidyaml's tree
_ANCHOR_NAME = re.compile(rb"[0-9A-Za-z_-]+")  # what libyaml reads as one (YAML 1.2 allows more)
_EMPTY_BEFORE = re.compile(rb"(\[|\{)[ ]*(\]|\})[ \r\n]*(?:-[ \r\n]+)?\Z")  # `{}` or `[]`, then blanks
_EMPTY_QUOTED = (b"''", b'""')
# A plain key's tag, where the walk reads one: a key is its text, whatever YAML types it as,
# but for `<<` (a merge) and `=` (a value key, read as text), as libyaml's resolver tags them.
_KEY_TAGS = {"<<": MERGE, "=": VALUE}
_BLOCK_HEADER = re.compile(rb"(?<=[ ])[|>][-+1-9]*(?:[ ]+#[^\n]*)?[ ]*\Z")  # `| # a comment`, `>-`, `|2`


class Node:
    """A node shaped like PyYAML's: `id` its kind, `tag` resolved, `value` a scalar's text, a
    sequence's nodes or a mapping's (key, value) pairs; `at` where libyaml would mark it (a
    byte offset in the source), None where that is not known here."""

    __slots__ = ("id", "tag", "value", "at")

    def __init__(self, kind: str, tag: str, value: Any, at: int | None) -> None:
        self.id, self.tag, self.value, self.at = kind, tag, value, at


class Unplaced(Exception):  # noqa: N818 - not an error: what this reader does not read or place as libyaml does
    pass


def flatten(node: Node) -> None:
    """Merge keys resolved in place, as PyYAML's safe loader does (a pair reached twice through
    aliases is merged once, told by the identity of its key's text, as there); Unreadable where
    a merge is not of mappings."""
    merge: list[tuple[Node, Node]] = []
    seen: set[int] = set()
    index = 0
    while index < len(node.value):
        key, item = node.value[index]
        if key.tag == MERGE:
            del node.value[index]
            sources = item.value if item.id == "sequence" else [item]
            if item.id == "scalar" or any(source.id != "mapping" for source in sources):
                raise Unreadable("expected a mapping or list of mappings for merging", item)
            for source in sources:
                flatten(source)
                for pair in source.value:
                    if id(pair[0].value) not in seen:
                        seen.add(id(pair[0].value))
                        merge.append(pair)
        else:
            if key.tag == VALUE:
                key.tag = STR
            index += 1
    if merge:
        node.value = merge + node.value


def construct(node: Node) -> Any:
    try:
        return yaml_scalars.construct(node.tag, node.value)
    except ValueError:
        raise Unreadable(f"no {node.tag} written {node.value!r}", node) from None


def _offset(node: Node) -> int:
    """Where libyaml marks a node, as a byte offset; Unplaced if not known."""
    if node.at is None:
        raise Unplaced
    return node.at


class Placed(Mapping[str, tuple[int, int]]):
    """Pointer -> (line, column), from the byte offsets the walk recorded, each turned into a
    line only when asked: a run asks for its diagnostics' few, where turning every one took a
    third of the walk."""

    def __init__(self, offsets: dict[str, int], lines: ByteLines) -> None:
        self.offsets, self.lines = offsets, lines

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        return self.lines.at(self.offsets[pointer])

    def __contains__(self, pointer: object) -> bool:
        return pointer in self.offsets

    def __iter__(self) -> Iterator[str]:
        return iter(self.offsets)

    def __len__(self) -> int:
        return len(self.offsets)


def read(
    tree: Any, source: bytearray, text: str, nodes: tuple[list[int], ...] | None = None
) -> tuple[Any, Placed, bool] | None:
    """`walk` over the nodes of rapidyaml's tree of `text` (parsed in place in `source`; its
    columns `nodes`, as loader._nodes reads them, unless they are to be read here); None
    where libyaml's reading must be asked: a tag other than the JSON types', an anchor written
    twice or an alias before its anchor, a key with an anchor, tag or alias, a merge that is not
    of mappings, a key written twice, a value JSON has not, a node this cannot place."""
    if "%TAG" in text:  # `!!` may mean another namespace
        return None
    try:
        written = text.encode()
        lines = ByteLines(written)
        composer = _Composer(tree, source, written, nodes)
        data, offsets, aliased = walk(composer.root(), construct, flatten, _offset, lines.at)
    except (Unreadable, Unplaced, DuplicateKey, RecursionError):
        return None
    return data, Placed(offsets, lines), aliased


class _Composer:
    """The tree's nodes as Nodes, an alias the very Node of its anchor (so the walk shares it)."""

    def __init__(self, tree: Any, source: bytearray, written: bytes, nodes: tuple[list[int], ...] | None) -> None:
        from . import loader

        self.tree, self.ryml, self.address = tree, loader._ryml, loader._address
        columns = loader._nodes(tree) if nodes is None else nodes
        self.flags, self.key_at, self.key_length, self.value_at, self.value_length, self.parent = columns
        self.base, self.held = loader._address(source), bytes(source)
        self.written = written  # the text as written: structure around scalars unescaped in place
        self.anchors: dict[bytes, Node] = {}
        self.unusual = (
            self.ryml.VALREF | self.ryml.VALANCH | self.ryml.VALTAG | self.ryml.VAL_LITERAL | self.ryml.VAL_FOLDED
        )

    def root(self) -> Node:
        nodes: list[Node] = []
        first: dict[int, int] = {}  # a collection's index -> its first entry's
        keys: dict[int, Node] = {}  # a mapping entry's index -> its key
        for i, f in enumerate(self.flags):
            nodes.append(self._value(i, f))
            if not i:
                continue
            holder = self.parent[i]
            if holder >= i:  # not in the document's order: not read here
                raise Unplaced
            first.setdefault(holder, i)
            if nodes[holder].id == "sequence":
                nodes[holder].value.append(nodes[i])
            else:
                keys[i] = self._key(i, f)
                nodes[holder].value.append((keys[i], nodes[i]))

        def written_at(i: int) -> int | None:
            return keys[i].at if i in keys else self._written_at(i, nodes[i])

        collection = self.ryml.MAP | self.ryml.SEQ
        for i in reversed(range(len(nodes))):  # what follows a collection is placed before it
            if self.flags[i] & collection and nodes[i].at is None:  # no property to mark it at
                if i in first:
                    nodes[i].at = self._opening(i, written_at(first[i]))
                elif self.flags[i] & self.ryml.CONTAINER_STYLE_FLOW:  # `{}`, `[]`: before what follows
                    nodes[i].at = self._empty(i, written_at(i + 1) if i + 1 < len(nodes) else len(self.written))
        return nodes[0]

    def _opening(self, collection: int, start: int | None) -> int | None:
        """Where libyaml marks a collection whose first entry is written at `start`: a block
        mapping at its first key (or that key's `?`), a flow collection at its bracket, a block
        sequence at its first `-` (a comment between them: not known here)."""
        if start is None:
            return None
        flow = self.flags[collection] & self.ryml.CONTAINER_STYLE_FLOW
        if not flow and self.flags[collection] & self.ryml.MAP:
            return block_mapping_start(self.written, start)
        opener = (b"{" if self.flags[collection] & self.ryml.MAP else b"[") if flow else b"-"
        at = start - 1
        while at >= 0 and self.written[at] in b" \r\n":
            at -= 1
        return at if at >= 0 and self.written[at : at + 1] == opener else None

    def _empty(self, i: int, following: int | None) -> int | None:
        """Where an empty flow collection is, from where what follows it is written: back over
        blanks (and the next entry's `-`) to its closing bracket, then to its opening one."""
        if following is None:
            return None
        opener, closer = (b"{", b"}") if self.flags[i] & self.ryml.MAP else (b"[", b"]")
        before = _EMPTY_BEFORE.search(self.written[max(0, following - 64) : following])
        if before is None or (before[1], before[2]) != (opener, closer):
            return None
        return following - len(before[0])

    def _written_at(self, i: int, node: Node) -> int | None:
        """Where node `i` is written: an alias at its `*`, anything else where it is marked."""
        if not self.flags[i] & self.ryml.VALREF:
            return node.at
        return self._scalar(self.value_at[i], self.value_length[i])[1]

    def _block_start(self, content: int | None) -> int | None:
        """Where libyaml marks a block scalar whose content starts at `content`: at its `|` or
        `>` on the line before (after the entry's `- `, before indicators and a comment)."""
        if content is None or self.written[content - 1 : content] != b"\n":
            return None
        line = self.written.rfind(b"\n", 0, content - 1) + 1
        header = _BLOCK_HEADER.search(self.written, line, content - 1)
        return header.start() if header else None

    def _scalar(self, at: int, length: int) -> tuple[str, int | None]:
        """Its text, and its offset in the source (None if it is rapidyaml's own memory)."""
        offset = at - self.base
        if length and 0 <= offset <= len(self.held) - length:
            return self.held[offset : offset + length].decode(), offset
        return (ctypes.string_at(at, length).decode() if length else ""), None

    def _quote(self, address: int, length: int, at: int | None) -> int | None:
        """Where libyaml marks a quoted scalar: at its opening quote, before its content (an
        empty one's content is nowhere: there the two quotes must be written side by side)."""
        if length:
            return None if at is None else at - 1
        offset = address - self.base
        return (
            offset - 1
            if 0 < offset < len(self.written) and self.written[offset - 1 : offset + 1] in _EMPTY_QUOTED
            else None
        )

    def _property(self, slice_: Any, written: bytes, back: int) -> int:
        """Where a property (`&name`, `!!tag`) starts, checked against the source."""
        at = self.address(slice_) - self.base - back
        if not (0 <= at < len(self.held) and self.held[at : at + 1] == written):
            raise Unplaced
        return at

    def _usual(self, i: int, f: int) -> Node:
        """Most nodes (no alias, anchor, tag or block style), as `_value` builds them, without
        its look-ups of what they have not (the 2023 OpenAI spec's read: 0.045 -> 0.034 s)."""
        ryml = self.ryml
        if f & ryml.MAP:
            return Node("mapping", MAP, [], None)  # placed by its first entry (`root`)
        if f & ryml.SEQ:
            return Node("sequence", SEQ, [], None)
        text, at = self._scalar(self.value_at[i], self.value_length[i]) if f & ryml.VAL else ("", None)
        if f & ryml.VALQUO:
            return Node("scalar", STR, text, self._quote(self.value_at[i], self.value_length[i], at))
        return Node("scalar", yaml_scalars.resolve(text), text, at if self.value_length[i] else None)

    def _value(self, i: int, f: int) -> Node:
        if not f & self.unusual:
            return self._usual(i, f)
        ryml, tree = self.ryml, self.tree
        if f & ryml.VALREF:
            target = self.anchors.get(bytes(tree.val_ref(i)))  # names are checked at their anchors
            if target is None:
                raise Unplaced
            return target
        text, at = self._scalar(self.value_at[i], self.value_length[i]) if f & ryml.VAL else ("", None)
        kind = "mapping" if f & ryml.MAP else "sequence" if f & ryml.SEQ else "scalar"
        block = f & (ryml.VAL_LITERAL | ryml.VAL_FOLDED)
        anchor, written_tag = (
            tree.val_anchor(i) if f & ryml.VALANCH else None,
            tree.val_tag(i) if f & ryml.VALTAG else None,
        )
        tag = self._tag(written_tag, kind, text, plain=not (f & ryml.VALQUO or block))
        if block:
            at = self._block_start(at)
        elif f & ryml.VALQUO:
            at = self._quote(self.value_at[i], self.value_length[i], at)
        elif kind != "scalar" or not self.value_length[i]:
            at = None  # a collection is placed by its first entry (`root`), an empty plain scalar not here
        props = [self._property(anchor, b"&", 1)] if anchor is not None else []
        props += [self._property(written_tag, b"!", 0)] if written_tag is not None else []
        node = Node(kind, tag, [] if kind != "scalar" else text, min(props) if props else at)  # at its first property
        if anchor is not None:
            name = bytes(anchor)
            if name in self.anchors or not _ANCHOR_NAME.fullmatch(name):
                raise Unplaced
            self.anchors[name] = node
        return node

    def _tag(self, written: Any, kind: str, text: str, plain: bool) -> str:
        """A node's tag: the one written (of JSON's types only), else its kind's, else a plain
        scalar's as YAML 1.1 resolves it."""
        if written is not None:
            tag = yaml_scalars.WRITTEN_TAGS.get(bytes(written).decode())
            if tag is None:
                raise Unplaced
            return tag
        if kind != "scalar":
            return MAP if kind == "mapping" else SEQ
        return yaml_scalars.resolve(text) if plain else STR

    def _key(self, i: int, f: int) -> Node:
        ryml = self.ryml
        if f & (ryml.KEYREF | ryml.KEYANCH | ryml.KEYTAG | ryml.KEY_LITERAL | ryml.KEY_FOLDED):
            raise Unplaced
        text, at = self._scalar(self.key_at[i], self.key_length[i])
        if f & ryml.KEYQUO:
            return Node("scalar", STR, text, self._quote(self.key_at[i], self.key_length[i], at))
        return Node("scalar", _KEY_TAGS.get(text, STR), text, at)
