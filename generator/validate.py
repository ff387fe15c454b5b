"""Stage 2, validate: our structural checks, then openapi-spec-validator.

Every problem becomes a Diagnostic with an absolute JSON pointer and a line. The validator
reports errors inside a schema relative to that schema, so those paths are mapped back by
finding the places in the document that end with the same path and hold the same value.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections import defaultdict, deque
from functools import cache
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Level, Location, pointer_join
from .loader import MAX_NODES, Document, SpecSet

SUPPORTED = ("3.0", "3.1")
VALUE_KEYWORDS = ("default", "example", "enum", "const")
MAX_DEPTH = 100  # levels of nesting in one document


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
    """Every `$ref` reachable from `doc` must resolve; walk each target once."""
    diagnostics: list[Diagnostic] = []
    seen: set[str] = set()
    budget = MAX_NODES
    too_deep = False
    stack: list[tuple[Document, str, Any]] = [(doc, "#", doc.data)]
    while stack:
        budget -= 1
        if budget < 0:
            message = f"more than {MAX_NODES} nodes (YAML aliases expanding?); refusing to walk further"
            diagnostics.append(Diagnostic(Level.ERROR, doc.location("#"), message, "too-large"))
            break
        document, pointer, node = stack.pop()
        if pointer.count("/") > MAX_DEPTH:  # every later stage recurses; real specs nest ~20 deep
            if not too_deep:  # one report: the first node too deep
                message = f"nested more than {MAX_DEPTH} levels deep; refusing to read further"
                diagnostics.append(Diagnostic(Level.ERROR, document.location(pointer), message, "nesting-too-deep"))
            too_deep = True
            continue
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref is not None:
                target = specset.resolve(ref, document, pointer)
                if isinstance(target, Diagnostic):
                    diagnostics.append(target)
                elif target.key not in seen:
                    seen.add(target.key)
                    stack.append((target.document, target.pointer, target.value))
            for key, value in node.items():
                if key != "$ref" and isinstance(value, (dict, list)):
                    stack.append((document, pointer_join(pointer, key), value))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    stack.append((document, pointer_join(pointer, i), value))
    return sorted(set(diagnostics), key=lambda d: (d.location.file, d.location.line or 0, d.message))


def _handlers(specset: SpecSet) -> dict[str, Any]:
    """Resolver handlers for the validator: serve our loaded files, never the network."""

    def local(uri: str) -> Any:
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(uri).path))
        return specset.load(path).data

    def refuse(uri: str) -> Any:
        raise OSError(f"refusing to fetch {uri}")

    return {"file": local, "http": refuse, "https": refuse, "<all_urls>": refuse}


class _PointerIndex:
    """Finds absolute pointers for a path the validator gave relative to a sub-schema."""

    def __init__(self, data: Any) -> None:
        self.by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = defaultdict(list)
        stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
        while stack and len(stack) < MAX_NODES:
            tokens, node = stack.pop()
            if tokens:
                self.by_last[tokens[-1]].append((tokens, node))
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                stack.append(((*tokens, str(key)), value))

    def find(self, relative: tuple[str, ...], instance: Any) -> tuple[str, ...] | None:
        # An empty path is a value (a default or example) checked against its schema.
        suffixes = [relative] if relative else [(k,) for k in VALUE_KEYWORDS]
        matches = sorted(
            tokens
            for suffix in suffixes
            for tokens, node in self.by_last.get(suffix[-1], [])
            if tokens[-len(suffix) :] == suffix and _same(node, instance)
        )
        return matches[0] if matches else None


@cache
def _v31_validator() -> Any:
    """openapi-spec-validator for 3.1, with its check of each schema against the JSON Schema
    2020-12 meta-schema done by jsonschema-rs: pure-Python jsonschema spends ~15 s of ~19 s
    there on the full OpenAI spec, jsonschema-rs 0.02 s. The stock class if either is missing."""
    from openapi_schema_validator import OAS31_BASE_DIALECT_ID
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator, keywords

    stock = getattr(keywords, "OpenAPIV31SchemaValidator", None)
    try:
        import jsonschema_rs
    except ImportError:
        return OpenAPIV31SpecValidator
    if stock is None or not hasattr(stock, "_get_schema_checker") or not hasattr(stock, "_get_schema_dialect_id"):
        return OpenAPIV31SpecValidator
    from jsonschema.exceptions import SchemaError

    meta = jsonschema_rs.Draft202012Validator({"$ref": "https://json-schema.org/draft/2020-12/schema"})

    def check(value: Any) -> None:
        error = next(iter(meta.iter_errors(value)), None)
        if error is not None:
            raise SchemaError(error.message, path=deque(error.instance_path), instance=error.instance)

    class SchemaKeyword(stock):  # type: ignore[misc, valid-type]
        def _get_schema_checker(self, schema: Any, schema_value: Any) -> Any:
            if self._get_schema_dialect_id(schema, schema_value) != OAS31_BASE_DIALECT_ID:
                return super()._get_schema_checker(schema, schema_value)  # a custom dialect: the stock way
            return check

    class Validator(OpenAPIV31SpecValidator):
        keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": SchemaKeyword}

    return Validator


def run_openapi_validator(specset: SpecSet, doc: Document) -> list[Diagnostic]:
    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator

    cls = _v31_validator() if str(doc.data["openapi"]).startswith("3.1") else OpenAPIV30SpecValidator
    spec_path = SchemaPath.from_dict(doc.data, base_uri=doc.path.as_uri(), handlers=_handlers(specset))
    validator = cls(spec_path)
    found = list(validator.schema_validator.iter_errors(doc.data))
    if not found:
        # The semantic pass assumes a structurally valid document; it can still fail on odd input.
        try:
            found.extend(validator.root_validator(spec_path))
        except Exception as exc:  # noqa: BLE001 - a crash in a third-party check is reported, not raised
            message = f"openapi-spec-validator stopped early: {type(exc).__name__}: {exc}"
            found.append(Diagnostic(Level.ERROR, doc.location("#"), message, "validator-crash"))
    index: _PointerIndex | None = None
    diagnostics: dict[tuple[str, str], Diagnostic] = {}
    for error in found:
        if isinstance(error, Diagnostic):
            diagnostics[(error.location.pointer, error.message)] = error
            continue
        tokens = tuple(str(t) for t in error.absolute_path)
        try:
            doc.get(pointer_join("#", *tokens))
            exact = bool(tokens) and _same(doc.get(pointer_join("#", *tokens)), error.instance)
        except KeyError:
            exact = False
        if not exact:
            index = index or _PointerIndex(doc.data)
            tokens = index.find(tokens, error.instance) or tokens
        pointer = pointer_join("#", *tokens)
        # One line: some validator backends (jsonschema-rs) append the schema and instance.
        message = next((line for line in str(error.message).splitlines() if line.strip()), "invalid")
        message = message if len(message) <= 200 else message[:197] + "..."
        diagnostics.setdefault(
            (pointer, message), Diagnostic(Level.ERROR, doc.location(pointer), message, "openapi-schema")
        )
    return sorted(diagnostics.values(), key=lambda d: (d.location.line or 0, d.location.pointer, d.message))


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - path objects from the validator may not compare
        return False


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
    """openapi-spec-validator on each root document without structural problems."""
    diagnostics: list[Diagnostic] = []
    for doc in specset.root_documents():
        if not structural.get(doc.path):
            diagnostics.extend(run_openapi_validator(specset, doc))
    return diagnostics
