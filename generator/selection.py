"""Stage 1b, select: keep the operations a user asked for and exactly what they reach.

Runs on the loaded documents, before validation, so a slice of a big spec is validated and
normalized alone (fast) while every diagnostic still points into the original files. An
operation is kept when it matches an include (a tag, or a path glob where `*` also crosses
`/`; no include means every operation) and no exclude. Then `components` of the root
documents keep only the entries reached through `$ref` (and discriminator mappings) from the
kept path items and from `keep_schemas`, transitively; webhooks are dropped.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, SpecError, pointer_join
from .loader import Document, SpecSet, split_pointer
from .normalize.operations import HTTP_METHODS
from .positions import SCHEMA, Node, follow, is_extension, reach


@dataclass(frozen=True)
class Selection:
    include_tags: tuple[str, ...] = ()
    include_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    keep_schemas: tuple[str, ...] = ()  # component schemas kept even if no operation reaches them

    def __bool__(self) -> bool:
        return bool(self.include_tags or self.include_paths or self.exclude_paths)

    def keeps(self, path: str, operation: dict[str, Any]) -> bool:
        tags = operation.get("tags") or ()
        included = not (self.include_tags or self.include_paths) or (
            any(t in self.include_tags for t in tags if isinstance(t, str))
            or any(fnmatch.fnmatchcase(path, glob) for glob in self.include_paths)
        )
        return included and not any(fnmatch.fnmatchcase(path, glob) for glob in self.exclude_paths)

    def describe(self) -> str:
        parts = [f"--include-tag {t}" for t in self.include_tags]
        parts += [f"--include-path {p}" for p in self.include_paths]
        parts += [f"--exclude-path {p}" for p in self.exclude_paths]
        return " ".join(parts)


EVERYTHING = Selection()


@dataclass
class _Census:
    """What the paths hold, for the message when a selection keeps nothing."""

    operations: int = 0
    tags: set[str] = field(default_factory=set)


def select(specset: SpecSet, selection: Selection) -> None:
    """Slice the root documents of `specset` in place; a SpecError when nothing is left."""
    if not selection:
        return
    roots = specset.root_documents()
    census = _Census()
    sliced = {doc.path: _paths(specset, doc, selection, census) for doc in roots}
    kept = [node for _, nodes in sliced.values() for node in nodes]  # where the walk starts from
    if not kept:
        tags = ", ".join(sorted(census.tags)[:30]) or "none"
        message = (
            f"the selection ({selection.describe()}) matches none of the {census.operations} operations; "
            f"tags in the spec: {tags}"
        )
        where = next((doc for doc in roots if isinstance(doc.data, dict)), roots[0]).location("#/paths")
        raise SpecError([Diagnostic.of("empty-selection", where, message)])
    for doc in roots:
        for name in selection.keep_schemas if isinstance(doc.data, dict) else ():
            schemas = (doc.data.get("components") or {}).get("schemas")
            if isinstance(schemas, dict) and name in schemas:
                kept.append(Node(doc, "#", {"$ref": pointer_join("#/components/schemas", name)}, SCHEMA))
    reached = _reached_components(specset, kept)
    for doc in roots:
        if isinstance(doc.data, dict):  # else not a document: validation says so
            specset.replace(dataclasses.replace(doc, data=_sliced(doc, sliced[doc.path][0], reached)))


def _paths(specset: SpecSet, doc: Document, selection: Selection, census: _Census) -> tuple[dict[Any, Any], list[Node]]:
    """The document's `paths` with only the chosen operations, and a node for each path kept."""
    paths = (doc.data.get("paths") if isinstance(doc.data, dict) else None) or {}
    new_paths: dict[Any, Any] = {}
    kept: list[Node] = []
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if is_extension(path):
            continue
        pointer = pointer_join("#/paths", str(path))
        # A path item behind a $ref is kept or dropped whole: cutting it would move its own refs.
        resolved = _follow(specset, doc, pointer, item)
        operations = {m: op for m, op in resolved.items() if m in HTTP_METHODS and isinstance(op, dict)}
        census.operations += len(operations)
        census.tags.update(t for op in operations.values() for t in op.get("tags") or () if isinstance(t, str))
        chosen = {m for m, op in operations.items() if selection.keeps(str(path), op)}
        if not chosen:
            continue
        if item is not resolved or chosen == set(operations):
            new_paths[path] = item
        else:
            new_paths[path] = {k: v for k, v in item.items() if k not in operations or k in chosen}
        kept.append(Node(doc, pointer, new_paths[path]))
    return new_paths, kept


def _sliced(doc: Document, paths: dict[Any, Any], reached: set[tuple[str, str, str]]) -> dict[str, Any]:
    """The document's data with `paths`, only the components `reached`, and no webhooks."""
    data = {k: v for k, v in doc.data.items() if k not in ("webhooks", "x-webhooks")}
    data["paths"] = paths
    components = data.get("components")
    if isinstance(components, dict):
        data["components"] = {
            section: entries
            if section == "securitySchemes" or not isinstance(entries, dict)
            else {k: v for k, v in entries.items() if (str(doc.path), section, str(k)) in reached}
            for section, entries in components.items()
        }
    return data


def _follow(specset: SpecSet, doc: Document, pointer: str, node: Any) -> dict[str, Any]:
    """The path item behind any `$ref`s ({} when broken: validation reports it)."""
    found = follow(specset, doc, pointer, node)
    return found.value if found.whole and isinstance(found.value, dict) else {}


def _reached_components(specset: SpecSet, start: list[Node]) -> set[tuple[str, str, str]]:
    """(file, section, name) of every component reached from `start`, following refs and
    discriminator mappings; a component is kept whole, so all it refers to is reached too.
    Broken references are validation's to report."""
    reached = set()
    for target in reach(specset, start, mappings=True, whole_components=True).targets:
        tokens = split_pointer(target.pointer)
        if len(tokens) == 3 and tokens[0] == "components":
            reached.add((str(target.document.path), tokens[1], tokens[2]))
    return reached
