"""Stage 1, load: read YAML/JSON spec files and resolve `$ref`s between them.

Only local files are read, and only inside the spec's folder, unless the caller allows more.
A YAML file is composed once into nodes, which give both the data and the line of every
JSON pointer (the walk costs ~10% of the parse); JSON files find their lines on demand.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Level, Location, SpecError, escape_pointer_token

# The libyaml loader is ~5x faster; plain PyYAML is the fallback where it is not built.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loader that keeps dates as strings: `version: 2023-12-22` is text in a spec."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

MAX_NODES = 2_000_000  # bounds YAML alias expansion ("billion laughs") when walking a document


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
    lines: dict[str, tuple[int, int]] | None = field(default=None, repr=False)

    def location(self, pointer: str = "#") -> Location:
        if self.lines is None:
            self.lines = _source_map(_compose(self.text))
        return Location(str(self.path), pointer, *line_of(self.lines, pointer))

    def get(self, pointer: str) -> Any:
        node = self.data
        for token in split_pointer(pointer):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, dict) and token.isdigit() and int(token) in node:
                node = node[int(token)]  # YAML turns unquoted `200:` into an int key
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise KeyError(pointer)
        return node


def line_of(lines: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | tuple[None, None]:
    """(line, column) of `pointer`, or of its nearest enclosing node that has one."""
    probe = pointer
    while probe not in lines and "/" in probe:
        probe = probe.rsplit("/", 1)[0]
    return lines.get(probe, (None, None))


def _compose(text: str) -> Any:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _source_map(root: Any) -> dict[str, tuple[int, int]]:
    """Map every JSON pointer to the 1-based line and column of its key (or item)."""
    lines: dict[str, tuple[int, int]] = {}
    stack: list[tuple[Any, str, Any]] = [(root, "#", None)]
    while stack and len(lines) < MAX_NODES:
        node, pointer, mark = stack.pop()
        if node is None:
            continue
        mark = mark or node.start_mark
        lines[pointer] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((value, f"{pointer}/{escape_pointer_token(key.value)}", key.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{i}", None))
    return lines


def parse(path: Path, text: str) -> Document:
    """Parse one file; a syntax error becomes a SpecError with the line it is on."""
    try:
        if path.suffix == ".json":
            return Document(path, text, json.loads(text))
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
        return Document(path, text, data, _source_map(root))
    except json.JSONDecodeError as exc:
        loc = Location(str(path), "#", exc.lineno, exc.colno)
        raise SpecError([Diagnostic(Level.ERROR, loc, f"invalid JSON: {exc.msg}", "json-syntax")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        loc = Location(str(path), "#", line, col)
        raise SpecError([Diagnostic(Level.ERROR, loc, f"invalid YAML: {message}", "yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        loc = Location(str(path), "#")
        raise SpecError([Diagnostic(Level.ERROR, loc, f"invalid YAML: {exc}", "yaml-syntax")]) from None
    except RecursionError:
        loc = Location(str(path), "#")
        message = "the document is nested too deeply to read"
        raise SpecError([Diagnostic(Level.ERROR, loc, message, "nesting-too-deep")]) from None


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


class SpecSet:
    """The root documents and every local file they reach through `$ref`."""

    def __init__(self, roots: list[Path], *, allow_outside: bool = False) -> None:
        self.roots = [p.resolve() for p in roots]
        self.base_dirs = {p.parent for p in self.roots}
        self.allow_outside = allow_outside
        self.documents: dict[Path, Document] = {}
        for root in self.roots:
            self.load(root)

    def load(self, path: Path) -> Document:
        path = path.resolve()
        if path not in self.documents:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                loc = Location(str(path))
                raise SpecError([Diagnostic(Level.ERROR, loc, f"cannot read: {exc}", "unreadable")]) from None
            self.documents[path] = parse(path, text)
        return self.documents[path]

    def root_documents(self) -> list[Document]:
        return [self.documents[p] for p in self.roots]

    def resolve(self, ref: Any, base: Document, at: str) -> Target | Diagnostic:
        """Follow one `$ref` written in `base` at pointer `at`; a Diagnostic says why not."""

        def problem(message: str, rule: str) -> Diagnostic:
            return Diagnostic(Level.ERROR, base.location(at + "/$ref"), message, rule)

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
