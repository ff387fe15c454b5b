"""The exact YAML reader: libyaml composes a document into nodes, which give both the data
and the line of every JSON pointer (yaml_nodes.walk). The loader reads with it only what the
fast reader (rapidyaml) does not read as libyaml would, which the YAML test suite found (tabs,
null keys, flow mappings over several lines, several documents...), and the documents it
refuses, whose diagnostics are libyaml's. Imported only then: PyYAML's own import is ~15 ms.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import yaml_nodes
from .diagnostics import Diagnostic, Location, SpecError, escape_pointer_token
from .loader import MAX_DEPTH, TOO_DEEP  # the loader imports this module when it needs it
from .yaml_scalars import STR

# The libyaml loader is ~5x faster; plain PyYAML is the fallback where it is not built.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that keeps dates as strings: `version: 2023-12-22` is text in a spec."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }
    _typed_starts = frozenset(yaml_implicit_resolvers)  # first characters a plain scalar may be typed by

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Called by libyaml for every node; most scalars are text, told by their first character
        # without trying PyYAML's regular expressions (~0.15 s of a 3 MB spec). Same tags.
        if kind is yaml.ScalarNode and (not implicit[0] or value[:1] not in self._typed_starts):
            return STR
        return super().resolve(kind, value, implicit)


def read(text: str) -> tuple[Any, dict[str, tuple[int, int]], bool]:
    """The data and the 1-based (line, column) of every JSON pointer, by `yaml_nodes.walk` over
    libyaml's nodes: a third of the time of PyYAML's constructor and a walk for lines."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}, False
        return yaml_nodes.walk(root, loader.construct_object, loader.flatten_mapping, _mark, _line)
    except yaml_nodes.Unreadable as exc:
        raise yaml.constructor.ConstructorError(None, None, exc.problem, exc.node.start_mark) from None
    finally:
        loader.dispose()


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _line(mark: tuple[int, int]) -> tuple[int, int]:
    return mark


def _first_too_deep(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first collection (in document order) nested deeper than MAX_DEPTH, with its line as
    `read` records it, from libyaml's events. For a document that libyaml refuses to
    compose for its own nesting limit (1,000 levels in newer versions, none in older ones), so
    that the report is the one the structural checks give for a document it composes."""
    frames: list[list[Any]] = []  # per open collection: [pointer, next index or None, key read]
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            continue
        mark: Any = event.start_mark  # libyaml's events always carry their marks
        at = (mark.line + 1, mark.column + 1)
        here = "#"
        if frames and frames[-1][1] is None:  # in a mapping: a key, or the value of the key read
            frame = frames[-1]
            if frame[2] is None:
                frame[2] = (str(getattr(event, "value", "")), at)
                continue
            (key, at), frame[2] = frame[2], None
            here = f"{frame[0]}/{escape_pointer_token(key)}"
        elif frames:
            here = f"{frames[-1][0]}/{frames[-1][1]}"
            frames[-1][1] += 1
        if isinstance(event, yaml.CollectionStartEvent):
            if here.count("/") > MAX_DEPTH:
                return here, at
            frames.append([here, 0 if isinstance(event, yaml.SequenceStartEvent) else None, None])
    return None


def parse(path: Path, text: str) -> tuple[Any, dict[str, tuple[int, int]], bool]:
    """`read`, a syntax error a SpecError with the line it is on."""
    try:
        return read(text)
    except yaml.MarkedYAMLError as exc:
        deepest = _first_too_deep(text) if "nesting depth" in str(exc.problem) else None
        if deepest:
            loc = Location(str(path), deepest[0], *deepest[1])
            raise SpecError([Diagnostic.of("nesting-too-deep", loc, TOO_DEEP)]) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        loc = Location(str(path), "#", line, col)
        raise SpecError([Diagnostic.of("yaml-syntax", loc, f"invalid YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        loc = Location(str(path), "#")
        raise SpecError([Diagnostic.of("yaml-syntax", loc, f"invalid YAML: {exc}")]) from None


def lines(text: str) -> Mapping[str, tuple[int, int]]:
    """The line map of a document read without one; empty if it does not read."""
    try:
        return read(text)[1]
    except (yaml.YAMLError, RecursionError):
        return {}
