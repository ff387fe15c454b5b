"""Stage 2, validate: our structural checks, then openapi-spec-validator's (oas_checks).

Every problem becomes a Diagnostic with an absolute JSON pointer and a line.
"""

from __future__ import annotations

from pathlib import Path

from . import oas_checks
from .diagnostics import Diagnostic, Level, Location
from .loader import MAX_NODES, TOO_DEEP, Document, SpecSet
from .positions import Node, reach

SUPPORTED = ("3.0", "3.1")


def check_version(doc: Document) -> Diagnostic | None:
    data = doc.data
    if data is None or data == {}:
        return Diagnostic(Level.ERROR, Location(str(doc.path), "#"), "the document is empty", "empty-document")
    if not isinstance(data, dict):
        message = f"an OpenAPI document must be a mapping, not {type(data).__name__}"
        return Diagnostic(Level.ERROR, doc.location("#"), message, "not-a-mapping")
    if "swagger" in data:
        message = (
            f"Swagger {data['swagger']} is not supported: this generator reads OpenAPI 3.0 and 3.1; "
            "convert the document first (for example with swagger2openapi)"
        )
        return Diagnostic(Level.ERROR, doc.location("#/swagger"), message, "unsupported-version")
    version = str(data.get("openapi", ""))
    if not version:
        return Diagnostic(Level.ERROR, doc.location("#"), "missing `openapi` version field", "missing-version")
    if not version.startswith(SUPPORTED):
        message = f"OpenAPI {version} is not supported (supported: {', '.join(SUPPORTED)})"
        return Diagnostic(Level.ERROR, doc.location("#/openapi"), message, "unsupported-version")
    return None


def check_refs(specset: SpecSet, doc: Document) -> list[Diagnostic]:
    """Every `$ref` reachable from `doc` must resolve; each target is walked once."""
    found = reach(specset, [Node(doc, "#", doc.data)])
    diagnostics = list(found.broken)
    if found.exhausted:
        message = f"more than {MAX_NODES} nodes (YAML aliases expanding?); refusing to walk further"
        diagnostics.append(Diagnostic(Level.ERROR, doc.location("#"), message, "too-large"))
    if found.too_deep:  # one report: the first collection too deep in the file
        first = min(found.too_deep, key=lambda at: (at.file, at.line or 0, at.col or 0))
        diagnostics.append(Diagnostic(Level.ERROR, first, TOO_DEEP, "nesting-too-deep"))
    return sorted(set(diagnostics), key=lambda d: (d.location.file, d.location.line or 0, d.message))


def validate(specset: SpecSet, schema: bool = True) -> list[Diagnostic]:
    """All diagnostics for the spec set: the structural checks, then (unless `schema=False`,
    which the spec diff uses: it needs only what normalization needs) the schema validator
    on every document whose structure is sound."""
    structural = structural_checks(specset)
    found = [d for problems in structural.values() for d in problems]
    return found + schema_checks(specset, structural) if schema else found


def structural_checks(specset: SpecSet) -> dict[Path, list[Diagnostic]]:
    """Version and `$ref` checks, per root document: what normalization relies on."""
    out: dict[Path, list[Diagnostic]] = {}
    for doc in specset.root_documents():
        problem = check_version(doc)
        out[doc.path] = [problem] if problem else check_refs(specset, doc)
    return out


def schema_checks(specset: SpecSet, structural: dict[Path, list[Diagnostic]]) -> list[Diagnostic]:
    """openapi-spec-validator's checks (see oas_checks) on each root document without structural problems."""
    return [
        d for doc in specset.root_documents() if not structural.get(doc.path) for d in oas_checks.check(specset, doc)
    ]
