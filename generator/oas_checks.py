"""The checks of openapi-spec-validator, made over the loaded data, each at its exact pointer.

openapi-spec-validator walks a document through jsonschema-path proxies: ~4 s on the full
OpenAI spec, nearly all of it proxy overhead, and a problem inside a schema comes back without
the schema's place. The same checks here, in the same order, over plain dicts, with
jsonschema-rs for every JSON Schema evaluation:
- the document against the official OpenAPI 3.0 / 3.1 JSON Schema (the copy that ships with
  openapi-spec-validator, read from its folder without importing the package);
then, only if that passes,
- duplicate tag names; per operation: duplicate parameters, duplicate operationIds, path
  parameters missing from the path template or named there but never declared;
- every schema reached from parameters, response content and components/schemas: checked once
  against its dialect's meta-schema, `required` naming properties that an allOf composition
  never defines, and `default` values against their own schema.
tests/test_oas_checks.py holds these to openapi-spec-validator's findings on every spec we have.
"""

from __future__ import annotations

import importlib.util
import json
import string
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from .diagnostics import Diagnostic, pointer_join
from .loader import Document, SpecSet
from .positions import follow

RULE = "openapi-schema"
OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT2020 = "https://json-schema.org/draft/2020-12/schema"
# A schema's dialect -> the meta-schema it is checked against (jsonschema-rs knows these offline).
META_SCHEMAS = {
    OAS31_DIALECT: DRAFT2020,  # the OAS dialect only adds annotation keywords to 2020-12
    DRAFT2020: DRAFT2020,
    "https://json-schema.org/draft/2019-09/schema": "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema#": "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema#": "http://json-schema.org/draft-06/schema#",
    DRAFT4: DRAFT4,
}


def check(specset: SpecSet, doc: Document) -> list[Diagnostic]:
    """Every finding for one root document, sorted by line."""
    version = "3.0" if str(doc.data["openapi"]).startswith("3.0") else "3.1"
    found = [
        Diagnostic.of(RULE, doc.location(pointer_join("#", *error.instance_path)), _line(error.message))
        for error in _document_validator(version).iter_errors(doc.data)
    ]
    if not found:  # the semantic checks assume a document of the right shape, as upstream's do
        checks = _Checks(specset, doc, version)
        try:
            checks.run()
        except RecursionError:  # a chain of $refs deeper than the interpreter's stack
            message = "schemas nest too deeply (through a long chain of $refs?) to be checked further"
            checks.found.append(Diagnostic.of(RULE, doc.location("#"), message))
        found = checks.found
    unique = {(d.location, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.location.file, d.location.line or 0, d.location.pointer, d.message))


def _package_file(package: str, *parts: str) -> Path:
    """A data file shipped inside an installed package, found without importing it."""
    origin = importlib.util.find_spec(package)
    if origin is None or not origin.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed: ftgen reads {'/'.join(parts)} from it")
    return Path(origin.submodule_search_locations[0]).joinpath(*parts)


@cache
def _document_validator(version: str) -> Any:
    schema = _package_file("openapi_spec_validator", "resources", "schemas", f"v{version}", "schema.json")
    return jsonschema_rs.validator_for(json.loads(schema.read_text(encoding="utf-8")))


@cache
def _meta_validator(meta_schema: str) -> Any:
    if meta_schema == DRAFT4:  # jsonschema-rs's own copy lets `enum` repeat values and be empty
        official = _package_file("jsonschema_specifications", "schemas", "draft4", "metaschema.json")
        return jsonschema_rs.Draft4Validator(json.loads(official.read_text(encoding="utf-8")), validate_formats=True)
    return jsonschema_rs.validator_for({"$schema": meta_schema, "$ref": meta_schema}, validate_formats=True)


def _line(message: str) -> str:
    """One line, bounded: jsonschema-rs may append the schema and the instance. A long one
    loses its middle, not its end: messages start with the value and end with what is wrong."""
    line = next((part for part in message.splitlines() if part.strip()), "invalid")
    return line if len(line) <= 200 else f"{line[:80]} ... {line[-115:]}"


@dataclass(frozen=True)
class _Node:
    """A value in a document and where it is, after following any `$ref` it is."""

    document: Document
    pointer: str
    value: Any

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value


class _Checks:
    def __init__(self, specset: SpecSet, doc: Document, version: str) -> None:
        self.specset = specset
        self.doc = doc
        self.version = version
        self.found: list[Diagnostic] = []
        # As upstream: each schema object (by identity) is meta-checked once and walked once.
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: set[str] = set()
        self.dialect = doc.data.get("jsonSchemaDialect", OAS31_DIALECT) if version == "3.1" else DRAFT4
        self._defaults: _DefaultChecks | None = None

    # -- walking ------------------------------------------------------------------------

    def report(self, node: _Node, message: str, *tokens: str | int) -> None:
        where = node.document.location(pointer_join(node.pointer, *tokens))
        self.found.append(Diagnostic.of(RULE, where, message))

    def deref(self, node: _Node) -> _Node:
        """What `node` is after its `$ref`s; where a chain breaks (the structural checks report
        it) or loops, the last object reached."""
        found = follow(self.specset, node.document, node.pointer, node.value)
        return _Node(found.document, found.pointer, found.value)

    def child(self, node: _Node, key: str | int) -> _Node:
        return self.deref(_Node(node.document, pointer_join(node.pointer, key), node.value[key]))

    def entries(self, node: _Node) -> Iterator[tuple[str, _Node]]:
        if isinstance(node.value, dict):
            for key in node.value:
                yield str(key), self.child(node, key)

    def elements(self, node: _Node) -> Iterator[_Node]:
        if isinstance(node.value, list):
            for i in range(len(node.value)):
                yield self.child(node, i)

    # -- the document ---------------------------------------------------------------------

    def run(self) -> None:
        root = _Node(self.doc, "#", self.doc.data)
        if root.has("tags"):
            seen: set[Any] = set()
            for tag in self.elements(self.child(root, "tags")):
                name = tag.value.get("name") if isinstance(tag.value, dict) else None
                if name in seen:
                    self.report(tag, f"Duplicate tag name '{name}'", "name")
                seen.add(name)
        if root.has("paths"):
            for url, item in self.entries(self.child(root, "paths")):
                self.path(url, item)
        if root.has("components"):
            components = self.child(root, "components")
            if components.has("schemas"):
                for _, schema in self.entries(self.child(components, "schemas")):
                    self.schema(schema)

    def path(self, url: str, item: _Node) -> None:
        shared = self.child(item, "parameters") if item.has("parameters") else None
        if shared is not None:
            self.parameters(shared)
        for method, operation in self.entries(item):
            if method in OPERATIONS:
                self.operation(url, method, operation, shared)

    def operation(self, url: str, method: str, operation: _Node, shared: _Node | None) -> None:
        operation_id = operation.value.get("operationId") if isinstance(operation.value, dict) else None
        if operation_id is not None:
            if operation_id in self.operation_ids:
                self.report(operation, f"Operation ID '{operation_id}' for '{method}' in '{url}' is not unique",
                            "operationId")  # fmt: skip
            self.operation_ids.add(operation_id)
        if operation.has("responses"):
            for _, response in self.entries(self.child(operation, "responses")):
                if response.has("content"):
                    for _, media in self.entries(self.child(response, "content")):
                        if media.has("schema"):
                            self.schema(self.child(media, "schema"))
        own = self.child(operation, "parameters") if operation.has("parameters") else None
        if own is not None:
            self.parameters(own)
        declared: dict[str, _Node] = {}  # path parameters: the operation's, then the path item's
        for group in filter(None, (own, shared)):
            for parameter in self.elements(group):
                if isinstance(parameter.value, dict) and parameter.value.get("in") == "path":
                    declared.setdefault(str(parameter.value.get("name")), parameter)
        try:
            in_template = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        except ValueError as exc:  # unbalanced braces
            self.report(operation, f"Path template '{url}' is malformed: {exc}")
            return
        message = "Path parameter '{}' for '{}' operation in '{}' was not resolved"
        for name in sorted(in_template - declared.keys()):
            self.report(operation, message.format(name, method, url))
        for name in sorted(declared.keys() - in_template):
            self.report(declared[name], message.format(name, method, url))

    def parameters(self, group: _Node) -> None:
        seen: set[tuple[Any, Any]] = set()
        for parameter in self.elements(group):
            if parameter.has("schema"):
                self.schema(self.child(parameter, "schema"))
            value = parameter.value if isinstance(parameter.value, dict) else {}
            key = (value.get("name"), value.get("in"))
            if key in seen:
                self.report(parameter, f"Duplicate parameter '{key[0]}'")
            seen.add(key)

    # -- schemas ----------------------------------------------------------------------------

    def schema(self, node: _Node, require_properties: bool = True, meta_checked: bool = False) -> None:
        value = node.value
        if not isinstance(value, (dict, bool)):
            self.report(node, f"{value!r} is not of type 'object', 'boolean'")
            return
        if not meta_checked and id(value) not in self.meta_checked:
            self.meta_checked.add(id(value))
            if self.meta_problem(node):
                return
        if id(value) in self.visited or not isinstance(value, dict):
            return
        self.visited.add(id(value))
        defined: set[str] = set()  # properties of the allOf parts, for `required`
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for part in self.elements(self.child(node, keyword)):
                    self.schema(part, require_properties=False, meta_checked=True)
                    if keyword == "allOf":
                        defined |= self.properties_of(part, set())
        for keyword in ("not", "items"):
            if keyword in value:
                self.schema(self.child(node, keyword), require_properties=False, meta_checked=True)
        if "properties" in value:
            for _, prop in self.entries(self.child(node, "properties")):
                self.schema(prop, require_properties=False, meta_checked=True)
        if "allOf" in value and require_properties and isinstance(value.get("required"), list):
            own = value["properties"] if isinstance(value.get("properties"), dict) else {}
            missing = sorted({str(name) for name in value["required"]} - own.keys() - defined)
            if missing:
                self.report(node, f"Required list has not defined properties: {missing}", "required")
        if "default" in value and (value["default"] is not None or value.get("nullable") is not True):
            self.defaults().check(node, self.report)

    def meta_problem(self, node: _Node) -> bool:
        """Check a schema against its dialect's meta-schema; report the first problem."""
        value = node.value
        dialect = (
            value.get("$schema", self.dialect) if isinstance(value, dict) and self.version == "3.1" else self.dialect
        )
        meta = META_SCHEMAS.get(dialect) if isinstance(dialect, str) else None
        if meta is None:
            self.report(node, f"Unknown JSON Schema dialect: {dialect!r}")
            return True
        error = next(iter(_meta_validator(meta).iter_errors(value)), None)
        if error is not None:
            self.report(node, _line(error.message), *error.instance_path)
        return error is not None

    def properties_of(self, node: _Node, seen: set[int]) -> set[str]:
        """Every property name a schema defines, through compositions, items and not."""
        value = node.value
        if not isinstance(value, dict) or id(value) in seen:
            return set()
        seen.add(id(value))
        names = {str(name) for name in value["properties"]} if isinstance(value.get("properties"), dict) else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for part in self.elements(self.child(node, keyword)):
                    names |= self.properties_of(part, seen)
        for keyword in ("items", "not"):
            if keyword in value:
                names |= self.properties_of(self.child(node, keyword), seen)
        return names

    def defaults(self) -> _DefaultChecks:
        if self._defaults is None:
            self._defaults = _DefaultChecks(self.specset, self.version)
        return self._defaults


class _DefaultChecks:
    """`default` values against the schema they sit in, `$ref`s resolved through a registry of
    the loaded documents. OpenAPI 3.0 schemas are draft 4 plus `nullable`, which becomes a
    `null` type here; formats are not checked. jsonschema-rs compiles only valid schemas; for
    a default whose schema reaches an invalid one (reported by its own meta-schema check),
    openapi-spec-validator's own validators evaluate it as upstream does (their import is
    ~0.2 s), but where the schema is invalid only as OpenAPI 3.1 specs often are, and the
    default fits it read as those validators read it (`_fits_with_bounds_as_numbers`)."""

    def __init__(self, specset: SpecSet, version: str) -> None:
        self.specset = specset
        self.draft4 = version == "3.0"
        self.registry = self._registry(self.contents)
        self._bounds: Any = None  # the registry of the documents with their bounds as numbers, once asked
        self._python: Any = None

    def _registry(self, contents: Callable[[Document], Any]) -> Any:
        def retrieve(uri: str) -> Any:  # a document a `$ref` reaches later
            return contents(self.load(uri))

        resources = [(d.path.as_uri(), contents(d)) for d in self.specset.documents.values()]
        return jsonschema_rs.Registry(resources, draft=4 if self.draft4 else 20, retriever=retrieve)

    def contents(self, document: Document) -> Any:
        return _with_null_types(document.data) if self.draft4 else document.data

    def load(self, uri: str) -> Document:
        """A document by URI (the structural checks have loaded every one a `$ref` reaches)."""
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme != "file":
            raise ValueError(f"refusing to fetch {uri}")
        return self.specset.load(Path(urllib.parse.unquote(parts.path)))

    def check(self, node: _Node, report: Any) -> None:
        fragment = urllib.parse.quote(node.pointer[1:], safe="/~")
        reference = {"$ref": f"{node.document.path.as_uri()}#{fragment}"}
        default = node.value["default"]
        errors: list[Any]
        try:
            dialect = DRAFT4 if self.draft4 else DRAFT2020
            errors = list(jsonschema_rs.validator_for({"$schema": dialect, **reference}, registry=self.registry)
                          .iter_errors(default))  # fmt: skip
        except jsonschema_rs.ReferencingError:
            return  # a broken `$ref`: the structural checks report it
        except jsonschema_rs.ValidationError:  # an invalid schema on the way
            if self._fits_with_bounds_as_numbers(reference, default):
                return
            try:
                errors = list(self.python_validator(reference).iter_errors(default))
            except Exception:  # noqa: BLE001 - jsonschema may fail anywhere in an invalid schema, which is reported
                return
        for error in errors:
            tokens = error.instance_path if hasattr(error, "instance_path") else error.absolute_path  # rs, Python
            report(node, _line(error.message), "default", *tokens)

    def _fits_with_bounds_as_numbers(self, reference: dict[str, str], default: Any) -> bool:
        """Whether the default fits its schema with each boolean `exclusiveMinimum` and
        `exclusiveMaximum` (OpenAPI 3.0's form, invalid in 3.1: the OpenAI spec's six) read as
        the number Python compares it as, True as 1 and False as 0, as openapi-spec-validator's
        validators read it; False where that does not settle it (the schema is otherwise
        invalid too, or the default does not fit: those validators say how)."""
        if self.draft4:
            return False  # draft 4's booleans are valid: the schema is invalid otherwise
        if self._bounds is None:
            self._bounds = self._registry(lambda document: _bounds_as_numbers(document.data))
        try:
            return bool(
                jsonschema_rs.validator_for({"$schema": DRAFT2020, **reference}, registry=self._bounds).is_valid(
                    default
                )
            )
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
            return False

    def python_validator(self, reference: dict[str, str]) -> Any:
        from openapi_schema_validator import OAS30Validator, OAS31Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4 as SPEC4
        from referencing.jsonschema import DRAFT202012 as SPEC2020

        if self._python is None:
            spec = SPEC4 if self.draft4 else SPEC2020

            def retrieve(uri: str) -> Any:
                return Resource.from_contents(self.load(uri).data, default_specification=spec)

            self._python = Registry(retrieve=retrieve)  # type: ignore[call-arg]  # an attrs field mypy misses
        return (OAS30Validator if self.draft4 else OAS31Validator)(reference, registry=self._python)


_BOUNDS = ("exclusiveMinimum", "exclusiveMaximum")


def _bounds_as_numbers(value: Any) -> Any:
    """`value` with each boolean `exclusiveMinimum` and `exclusiveMaximum` its number (True: 1,
    False: 0); what holds none is the very object, not a copy (nor copied on the way)."""
    if isinstance(value, list):
        items = [_bounds_as_numbers(item) for item in value]
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    if not isinstance(value, dict):
        return value
    changed = {key: new for key, item in value.items() if (new := _bounds_as_numbers(item)) is not item}
    changed |= {bound: int(value[bound]) for bound in _BOUNDS if isinstance(value.get(bound), bool)}
    return {**value, **changed} if changed else value


def _with_null_types(value: Any) -> Any:
    """A copy where `nullable: true` beside a `type` adds "null" to it (OpenAPI 3.0)."""
    if isinstance(value, list):
        return [_with_null_types(item) for item in value]
    if not isinstance(value, dict):
        return value
    copy = {key: _with_null_types(item) for key, item in value.items()}
    if copy.get("nullable") is True and isinstance(copy.get("type"), str):
        copy["type"] = [copy["type"], "null"]
    return copy
