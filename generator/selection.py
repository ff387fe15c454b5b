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
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, Level, SpecError, pointer_join
from .loader import Document, SpecSet, split_pointer
from .normalize.operations import HTTP_METHODS
from .positions import SCHEMA, Node, reach


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


def select(specset: SpecSet, selection: Selection) -> None:
    """Slice the root documents of `specset` in place; a SpecError when nothing is left."""
    if not selection:
        return
    roots = specset.root_documents()
    kept: list[Node] = []  # where the walk starts from
    new_paths: dict[str, dict[Any, Any]] = {}
    all_tags: set[str] = set()
    total = 0
    for doc in roots:
        paths = (doc.data.get("paths") if isinstance(doc.data, dict) else None) or {}
        new_paths[str(doc.path)] = {}
        for path, item in paths.items() if isinstance(paths, dict) else ():
            pointer = pointer_join("#/paths", str(path))
            # A path item behind a $ref is kept or dropped whole: cutting it would move its own refs.
            resolved = _follow(specset, doc, pointer, item)
            operations = {m: op for m, op in resolved.items() if m in HTTP_METHODS and isinstance(op, dict)}
            total += len(operations)
            for op in operations.values():
                all_tags.update(t for t in op.get("tags") or () if isinstance(t, str))
            chosen = {m for m, op in operations.items() if selection.keeps(str(path), op)}
            if not chosen:
                continue
            if item is not resolved or chosen == set(operations):
                new_paths[str(doc.path)][path] = item
                kept.append(Node(doc, pointer, item))
            else:
                trimmed = {k: v for k, v in item.items() if k not in operations or k in chosen}
                new_paths[str(doc.path)][path] = trimmed
                kept.append(Node(doc, pointer, trimmed))
    if not kept:
        tags = ", ".join(sorted(all_tags)[:30]) or "none"
        message = (
            f"the selection ({selection.describe()}) matches none of the {total} operations; tags in the spec: {tags}"
        )
        where = next((doc for doc in roots if isinstance(doc.data, dict)), roots[0]).location("#/paths")
        raise SpecError([Diagnostic(Level.ERROR, where, message, "empty-selection")])
    for doc in roots:
        for name in selection.keep_schemas if isinstance(doc.data, dict) else ():
            schemas = (doc.data.get("components") or {}).get("schemas")
            if isinstance(schemas, dict) and name in schemas:
                kept.append(Node(doc, "#", {"$ref": pointer_join("#/components/schemas", name)}, SCHEMA))
    reached = _reached_components(specset, kept)
    for doc in roots:
        if not isinstance(doc.data, dict):
            continue  # not a document: validation says so
        data = {k: v for k, v in doc.data.items() if k not in ("webhooks", "x-webhooks")}
        data["paths"] = new_paths[str(doc.path)]
        components = data.get("components")
        if isinstance(components, dict):
            data["components"] = {
                section: entries
                if section == "securitySchemes" or not isinstance(entries, dict)
                else {k: v for k, v in entries.items() if (str(doc.path), section, str(k)) in reached}
                for section, entries in components.items()
            }
        specset.replace(dataclasses.replace(doc, data=data))


def _follow(specset: SpecSet, doc: Document, pointer: str, node: Any) -> dict[str, Any]:
    """The path item behind any `$ref`s ({} when broken: validation reports it)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target = specset.resolve(node["$ref"], doc, pointer)
        if isinstance(target, Diagnostic) or target.key in seen:
            return {}
        seen.add(target.key)
        doc, pointer, node = target.document, target.pointer, target.value
    return node if isinstance(node, dict) else {}


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
