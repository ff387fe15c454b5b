"""Which positions of an OpenAPI document hold schemas, names or data, and the one walker
that follows `$ref`s through them.

A document mixes three kinds of positions: objects that can be a `$ref` (a schema, a
parameter, a response...), names (the keys of `properties`, `components/schemas`, `paths`,
`responses`, `mapping`...) and data (`example`, `examples`, `default`, `enum`, `const`,
extensions). Only the first kind holds a reference or keywords: a property called `$ref`, or
a `$ref` inside an example, is a name or data, never a reference. Every stage that walks a
document for its references (the ref checks, selection) walks with `reach`; normalization
follows a `$ref` only where it reads a schema, so it meets the same positions by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from .diagnostics import Diagnostic, Location, escape_pointer_token, pointer_join
from .loader import MAX_DEPTH, MAX_NODES, Document, SpecSet, Target, split_pointer

# JSON Schema keywords (OpenAPI 3.0 and 3.1 / 2020-12) by what their value holds.
SCHEMA_ONE = frozenset(
    {"items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
     "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema"}
)  # fmt: skip
SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAP = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})

# OpenAPI objects whose keys are names (status codes, media types, paths...), each value an object;
# of them, the Paths and Responses objects take extensions (`x-...`, data) beside the names.
_OBJECT_MAPS = frozenset({"paths", "webhooks", "callbacks", "responses", "content", "headers", "links", "encoding"})
_EXTENSIBLE_MAPS = frozenset({"paths", "responses"})
# OpenAPI keys that hold data or plain descriptions, never a reference to follow.
_OBJECT_DATA = frozenset({"info", "tags", "servers", "security", "externalDocs", "example", "discriminator"})

# Kinds of position: an OpenAPI object, a schema, a map of names to schemas or to objects,
# a map of Example objects, an Example object (only its own `$ref` counts), and data (walked
# only so that nothing nests too deep for the stages that recurse; it holds no references).
OBJECT, SCHEMA, SCHEMAS, OBJECTS, NAMED, EXAMPLES, EXAMPLE, DATA = (
    "object", "schema", "schemas", "objects", "named", "examples", "example", "data"
)  # fmt: skip
# NAMED: a map of names to objects that takes extensions too (paths, responses).
_COMPONENTS = "components"  # a document's `components`: each section a map of names


def is_extension(key: object) -> bool:
    """A specification extension (`x-...`): its value is data, whatever it holds."""
    return str(key).startswith("x-")


class Node(NamedTuple):  # a tuple: a walk of a big spec makes hundreds of thousands
    document: Document
    pointer: str
    value: Any
    kind: str = OBJECT


def component_kind(section: str) -> str:
    """The kind of an entry of `components/<section>`."""
    return {"schemas": SCHEMA, "examples": EXAMPLE}.get(section, OBJECT)


def children(node: Node) -> Iterator[Node]:
    """The containers directly below `node`, each with the kind of its position."""
    document, pointer, value, kind = node
    if isinstance(value, list):  # `parameters`, `allOf`, draft-04 tuple `items`, data
        inner = kind if kind in (OBJECT, SCHEMA) else DATA
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield Node(document, f"{pointer}/{i}", item, inner)
    elif isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                key = str(key)
                inner = DATA if kind == DATA else _kind_below(node, key)
                yield Node(document, f"{pointer}/{escape_pointer_token(key)}", child, inner)


def _kind_below(node: Node, key: str) -> str:
    kind = node.kind
    if kind in (_COMPONENTS, NAMED) and is_extension(key):  # an extension's value is data
        return DATA
    if kind == _COMPONENTS:
        return {"schemas": SCHEMAS, "examples": EXAMPLES}.get(key, OBJECTS)
    if kind in (SCHEMAS, OBJECTS, NAMED, EXAMPLES):  # every key a name
        return {SCHEMAS: SCHEMA, OBJECTS: OBJECT, NAMED: OBJECT, EXAMPLES: EXAMPLE}[kind]
    if kind == SCHEMA:
        if key in SCHEMA_ONE or key in SCHEMA_LIST:
            return SCHEMA
        return SCHEMAS if key in SCHEMA_MAP else DATA  # example(s), default, enum, const, extensions
    if kind != OBJECT or key == "$ref" or key in _OBJECT_DATA or is_extension(key):
        return DATA
    if key == "schema":
        return SCHEMA
    if key == "examples":
        return EXAMPLES
    if key == "components" and node.pointer == "#":
        return _COMPONENTS
    if key in _OBJECT_MAPS:
        return NAMED if key in _EXTENSIBLE_MAPS else OBJECTS
    return OBJECT


def refs(node: Node, mappings: bool = False) -> list[tuple[str, str, Any]]:
    """(pointer of the object, pointer of the reference, the reference) at `node` itself: its
    `$ref` where its kind can hold one, and with `mappings` a schema's discriminator mapping
    (bare schema names or references)."""
    value = node.value
    if not isinstance(value, dict) or node.kind not in (OBJECT, SCHEMA, EXAMPLE):
        return []
    found: list[tuple[str, str, Any]] = []
    if "$ref" in value:
        found.append((node.pointer, pointer_join(node.pointer, "$ref"), value["$ref"]))
    discriminator = value.get("discriminator") if node.kind == SCHEMA else None
    mapping = discriminator.get("mapping") if mappings and isinstance(discriminator, dict) else None
    for name, target in mapping.items() if isinstance(mapping, dict) else ():
        if isinstance(target, str):
            ref = target if "#" in target or "/" in target else f"#/components/schemas/{escape_pointer_token(target)}"
            found.append((node.pointer, pointer_join(node.pointer, "discriminator", "mapping", str(name)), ref))
    return found


@dataclass
class Reach:
    """What a walk met: each reference's target once, broken references, nodes too deep."""

    targets: list[Node] = field(default_factory=list)
    broken: list[Diagnostic] = field(default_factory=list)
    too_deep: list[Location] = field(default_factory=list)
    exhausted: bool = False  # more than MAX_NODES nodes (YAML aliases expanding?)


def reach(
    specset: SpecSet,
    start: list[Node],
    *,
    mappings: bool = False,
    whole_components: bool = False,
    visit: Callable[[Node], None] | None = None,
) -> Reach:
    """Walk from `start` through every position and every reference, each target once.
    `whole_components`: a target inside `components/<section>/<name>` is walked from that
    entry's top (selection keeps components whole, so all they refer to is reached).
    `visit` is called with every node walked."""
    found = Reach()
    seen: set[str] = set()
    stack = list(reversed(start))
    budget = MAX_NODES
    while stack:
        budget -= 1
        if budget < 0:
            found.exhausted = True
            break
        node = stack.pop()
        if visit is not None:
            visit(node)
        if node.pointer.count("/") > MAX_DEPTH:  # every later stage recurses; real specs nest ~20 deep
            found.too_deep.append(node.document.location(node.pointer))
            continue
        value = node.value
        holds = isinstance(value, dict) and ("$ref" in value or mappings and "discriminator" in value)
        for at, written, ref in refs(node, mappings) if holds else ():
            target = specset.resolve(ref, node.document, at)
            if isinstance(target, Diagnostic):
                if written != pointer_join(at, "$ref"):  # a mapping entry: the problem is there
                    target = replace(target, location=node.document.location(written))
                found.broken.append(target)
                continue
            kind = node.kind
            tokens = split_pointer(target.pointer) if whole_components else []  # the ref checks: not needed
            if len(tokens) >= 3 and tokens[0] == "components":
                top = pointer_join("#/components", tokens[1], tokens[2])
                target, kind = Target(target.document, top, target.document.get(top)), component_kind(tokens[1])
            if target.key not in seen:
                seen.add(target.key)
                found.targets.append(Node(target.document, target.pointer, target.value, kind))
                stack.append(found.targets[-1])
        stack.extend(reversed(list(children(node))))
    return found


@dataclass(frozen=True)
class Followed:
    """Where a chain of `$ref`s ends: the value there, or why it stopped early."""

    document: Document
    pointer: str
    value: Any
    broken: Diagnostic | None = None  # a link that leads nowhere (the chain stops before it)
    cycle: bool = False  # the chain comes back to a target it passed
    target: Target | None = None  # the last target reached; None when `value` was no `$ref`

    @property
    def whole(self) -> bool:
        return self.broken is None and not self.cycle


def follow(specset: SpecSet, document: Document, pointer: str, value: Any) -> Followed:
    """Follow `value` (written in `document` at `pointer`) through every `$ref` it is, to what
    the chain ends at; the one loop for a chain of references (an object or a schema that is
    only a `$ref`)."""
    seen: set[str] = set()
    last: Target | None = None
    while isinstance(value, dict) and "$ref" in value:
        target = specset.resolve(value["$ref"], document, pointer)
        if isinstance(target, Diagnostic):
            return Followed(document, pointer, value, broken=target, target=last)
        if target.key in seen:
            return Followed(document, pointer, value, cycle=True, target=last)
        seen.add(target.key)
        last, document, pointer, value = target, target.document, target.pointer, target.value
    return Followed(document, pointer, value, target=last)
