"""Stage 2, validate: our structural checks, then openapi-spec-validator's (oas_checks).

Every problem becomes a Diagnostic with an absolute JSON pointer and a line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, pointer_join
from .loader import MAX_NODES, TOO_DEEP, Document, SpecSet
from .positions import SCHEMA, Node, reach

SUPPORTED = ("3.0", "3.1")


def check_version(doc: Document) -> Diagnostic | None:
    data = doc.data
    if data is None or data == {}:
        return Diagnostic.of("empty-document", Location(str(doc.path), "#"), "the document is empty")
    if not isinstance(data, dict):
        message = f"an OpenAPI document must be a mapping, not {type(data).__name__}"
        return Diagnostic.of("not-a-mapping", doc.location("#"), message)
    if "swagger" in data:
        message = (
            f"Swagger {data['swagger']} is not supported: this generator reads OpenAPI 3.0 and 3.1; "
            "convert the document first (for example with swagger2openapi)"
        )
        return Diagnostic.of("unsupported-version", doc.location("#/swagger"), message)
    version = str(data.get("openapi", ""))
    if not version:
        return Diagnostic.of("missing-version", doc.location("#"), "missing `openapi` version field")
    if not version.startswith(SUPPORTED):
        message = f"OpenAPI {version} is not supported (supported: {', '.join(SUPPORTED)})"
        return Diagnostic.of("unsupported-version", doc.location("#/openapi"), message)
    return None


def check_refs(specset: SpecSet, doc: Document) -> list[Diagnostic]:
    """Every `$ref` reachable from `doc` must resolve (each target is walked once), and every
    schema's keywords be of the kind normalization reads."""
    malformed: list[Diagnostic] = []
    found = reach(specset, [Node(doc, "#", doc.data)], visit=lambda node: malformed.extend(_malformed(node)))
    diagnostics = list(found.broken) + malformed
    if found.exhausted:
        message = f"more than {MAX_NODES} nodes (YAML aliases expanding?); refusing to walk further"
        diagnostics.append(Diagnostic.of("too-large", doc.location("#"), message))
    if found.too_deep:  # one report: the first collection too deep in the file
        first = min(found.too_deep, key=lambda at: (at.file, at.line or 0, at.col or 0))
        diagnostics.append(Diagnostic.of("nesting-too-deep", first, TOO_DEEP))
    return sorted(set(diagnostics), key=lambda d: (d.location.file, d.location.line or 0, d.message))


# Schema keywords normalization reads, and what each must hold (openapi-spec-validator reports
# them too, but as one vague line at the enclosing object, and only as a warning).
_SHAPES: dict[str, tuple[type, type, str]] = {
    "required": (list, str, "a list of property names"),
    "properties": (dict, object, "a mapping of property names to schemas"),
    "allOf": (list, object, "a list of schemas"),
    "anyOf": (list, object, "a list of schemas"),
    "oneOf": (list, object, "a list of schemas"),
    "enum": (list, object, "a list of values"),
}


def _malformed(node: Node) -> list[Diagnostic]:
    """A schema keyword whose value is not of its kind, located at the value (or the item)."""
    if node.kind != SCHEMA or not isinstance(node.value, dict):
        return []
    found = []
    for keyword, (container, item, what) in _SHAPES.items():
        value: Any = node.value.get(keyword)
        if value is None:
            continue
        at = pointer_join(node.pointer, keyword)
        bad: list[tuple[str, Any]] = [(at, value)]
        if isinstance(value, container):
            items: list[Any] = value if isinstance(value, list) else []
            bad = [(pointer_join(at, i), v) for i, v in enumerate(items) if not isinstance(v, item)]
        for pointer, v in bad[:1]:
            message = f"`{keyword}` must be {what}; {json.dumps(v)[:60]} is not one"
            found.append(Diagnostic.of("invalid-schema", node.document.location(pointer), message))
    return found


def validate(specset: SpecSet, schema: bool = True) -> list[Diagnostic]:
    """All diagnostics for the spec set: the structural checks, then (unless `schema=False`,
    which the spec diff uses: it needs only what normalization needs) the schema validator
    on every document whose structure is sound."""
    structural = structural_checks(specset)
    found = findings(structural)
    return found + schema_checks(specset, structural) if schema else found


def findings(structural: dict[Path, list[Diagnostic]]) -> list[Diagnostic]:
    """The structural checks' findings, document after document."""
    return [d for problems in structural.values() for d in problems]


def structural_checks(specset: SpecSet) -> dict[Path, list[Diagnostic]]:
    """Version and `$ref` checks, per root document: what normalization relies on."""
    out: dict[Path, list[Diagnostic]] = {}
    for doc in specset.root_documents():
        problem = check_version(doc)
        out[doc.path] = [problem] if problem else check_refs(specset, doc)
    return out


def schema_checks(specset: SpecSet, structural: dict[Path, list[Diagnostic]]) -> list[Diagnostic]:
    """openapi-spec-validator's checks (see oas_checks) on each root document without structural problems."""
    from . import oas_checks  # jsonschema_rs' ~20 ms, in the checks' own process when they run beside

    return [
        d for doc in specset.root_documents() if not structural.get(doc.path) for d in oas_checks.check(specset, doc)
    ]
