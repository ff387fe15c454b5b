"""Stage 3, normalize: every document of the spec set becomes one IR (`ir.Api`)."""

from __future__ import annotations

import dataclasses
import functools
import operator
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, Location, pointer_join
from ..ir import Api, Array, Literal, Map, Model, Primitive, Ref, Security, Server, Source, Type, Union_, _Missing
from ..loader import Document, SpecSet
from ..names import WEBHOOK_NAMES
from .operations import OperationNormalizer, disambiguate, named_by_config, paged_by_config, requirements, servers
from .schemas import SchemaNormalizer
from .webhooks import webhooks


def normalize(
    specset: SpecSet,
    diagnostics: list[Diagnostic],
    methods: tuple[tuple[str, tuple[str, ...]], ...] = (),
    where: Callable[[str], Location] = Location,
    pagination: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (),
    deprecated_methods: tuple[tuple[str, str], ...] = (),
) -> Api:
    """Fold the root documents, in path order, into one Api; problems go to `diagnostics`.
    `methods` are the method names `[tool.ftgen.methods]` gives; `where` locates its keys."""
    schemas = SchemaNormalizer(specset, diagnostics)
    ops = OperationNormalizer(specset, schemas, diagnostics)
    documents = sorted(specset.root_documents(), key=lambda d: str(d.path))
    operations = ops.operations(documents)
    for doc in documents:
        # Components no operation reaches are still part of the API's vocabulary.
        for name in sorted((doc.data.get("components") or {}).get("schemas") or {}):
            schemas.type_of(
                doc, "#", {"$ref": f"#/components/schemas/{name.replace('~', '~0').replace('/', '~1')}"}, (name,)
            )
    events = webhooks(documents, specset, schemas, diagnostics)
    operations = disambiguate(operations, diagnostics, specset, frozenset(WEBHOOK_NAMES if events else ()))
    if pagination:
        operations = paged_by_config(operations, pagination, ops, diagnostics, where)
    if methods:
        operations = named_by_config(operations, methods, diagnostics, where, deprecated_methods)
    # Inline models were built under tokens: now that every name is claimed, they get theirs.
    names = schemas.names.resolve()
    diagnostics += schemas.names.diagnostics
    rename = _renamer(names)
    first = documents[0].data if documents else {}
    info = first.get("info") or {}
    return Api(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or "").strip(),
        models=tuple(sorted((_model(m, names, rename) for m in schemas.models.values()), key=lambda m: m.name)),
        aliases=tuple(
            sorted(
                (replace(renamed(a, rename), name=names.get(a.name, a.name)) for a in schemas.aliases.values()),
                key=lambda a: a.name,
            )
        ),
        operations=tuple(renamed(op, rename) for op in operations),
        sources=tuple(str(d.path) for d in documents),
        servers=servers(first.get("servers")) or (Server("/"),),  # OpenAPI's default: where the spec is served
        security=requirements(first["security"]) if isinstance(first.get("security"), list) else (),
        security_schemes=_schemes(documents[0]) if documents else (),
        webhooks=tuple(renamed(w, rename) for w in events),
    )


def _schemes(doc: Document) -> tuple[Security, ...]:
    """`components.securitySchemes` of the first document, by name."""
    schemes = (doc.data.get("components") or {}).get("securitySchemes") or {}
    out = []
    for name, scheme in sorted(schemes.items()):
        if isinstance(scheme, dict):
            pointer = pointer_join("#/components/securitySchemes", str(name))
            flows: dict[str, Any] = scheme["flows"] if isinstance(scheme.get("flows"), dict) else {}
            credentials = flows["clientCredentials"] if isinstance(flows.get("clientCredentials"), dict) else {}
            out.append(Security(
                str(name), str(scheme.get("type", "")), str(scheme.get("in", "")), str(scheme.get("name", "")),
                str(scheme.get("scheme", "")).lower(), Source(str(doc.path), pointer),
                tuple(sorted(str(f) for f in flows)), str(credentials.get("tokenUrl") or ""),
            ))  # fmt: skip
    return tuple(out)


def _renamer(names: dict[str, str]) -> Callable[[Type], Type]:
    """A type with its tokens renamed; the very same object when nothing in it changes."""

    def rename(t: Type) -> Type:
        if isinstance(t, Ref):
            return Ref(names[t.name]) if t.name in names else t
        if isinstance(t, Array):
            item = rename(t.item)
            return t if item is t.item else replace(t, item=item)
        if isinstance(t, Map):
            value = rename(t.value)
            return t if value is t.value else replace(t, value=value)
        if isinstance(t, Union_):
            members = tuple(rename(m) for m in t.members)
            return t if all(map(operator.is_, members, t.members)) else replace(t, members=members)
        return t

    return rename


TYPES = (Primitive, Literal, Array, Map, Ref, Union_)


def renamed(value: Any, rename: Callable[[Type], Type]) -> Any:
    """`value` (any IR object) with every type anywhere in it renamed: the IR's dataclasses are
    walked through each field whose annotation can hold a type (`_walked`), so a type held by a
    new attribute is never missed. The very same object when nothing in it changes."""
    if isinstance(value, TYPES):
        return rename(value)
    if isinstance(value, tuple):
        items = tuple(renamed(v, rename) for v in value)
        return value if all(map(operator.is_, items, value)) else items
    changed = {}
    for name in _walked(value.__class__):
        old = getattr(value, name)
        new = renamed(old, rename)
        if new is not old:
            changed[name] = new
    return replace(value, **changed) if changed else value


@functools.cache
def _walked(cls: type) -> tuple[str, ...]:
    """The fields of an IR dataclass whose annotations can hold a type; () for anything else.
    Renaming the full OpenAI spec's IR visited ~170,000 values before, mostly strings."""
    if not dataclasses.is_dataclass(cls):
        return ()
    hints = _hints(cls)
    return tuple(name for name, hint in hints.items() if _can_hold_type(hint, {cls}))


def _hints(cls: type) -> dict[str, Any]:
    """A dataclass's field annotations, evaluated in its module in one go (they are strings:
    typing.get_type_hints compiles each one apart, ~30 ms for the IR's at every run)."""
    fields = dataclasses.fields(cls)  # a dataclass: the callers check
    written = [f.type if isinstance(f.type, str) else repr(f.type) for f in fields]
    values = eval(f"({', '.join(written)},)", vars(sys.modules[cls.__module__]))  # the IR module's own annotations
    return {f.name: value for f, value in zip(fields, values, strict=True)}


def _can_hold_type(hint: Any, seen: set[type]) -> bool:
    """Whether a value of this annotation can be or contain a `Type` that `renamed` reaches
    (through tuples and dataclasses; it leaves lists and dicts, JSON values, as they are).
    Anything it cannot tell (Any, a forward reference) counts as yes."""
    if hint in TYPES:
        return True
    if hint in (str, int, float, bool, type(None), _Missing):
        return False
    origin = typing.get_origin(hint)
    if origin in (list, dict):
        return False
    if origin in (tuple, typing.Union, types.UnionType):
        return any(_can_hold_type(arg, seen) for arg in typing.get_args(hint) if arg is not Ellipsis)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint in seen:  # a dataclass holding itself: its other fields decide
            return False
        return any(_can_hold_type(h, seen | {hint}) for h in _hints(hint).values())
    return True


def _model(model: Model, names: dict[str, str], rename: Callable[[Type], Type]) -> Model:
    model = renamed(model, rename)
    return replace(model, name=names[model.name]) if model.name in names else model
