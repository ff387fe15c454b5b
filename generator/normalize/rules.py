"""The folding rules: each takes a raw schema (or IR pieces) and says one thing about it.

These are the only places that know how OpenAPI 3.0 and 3.1 spell the same idea.
"""

from __future__ import annotations

import json
from typing import Any

from ..ir import NONE, Constraints, Literal, Model, Primitive, Ref, Tag, Type, Union_

NULL_SCHEMAS = ({"type": "null"}, {"const": None}, {"enum": [None]}, {"nullable": True})


def is_null_schema(schema: Any) -> bool:
    """`{type: null}` (3.1), `{enum: [null]}`, or a 3.0 `{nullable: true}` with nothing else."""
    if not isinstance(schema, dict):
        return False
    core = {k: v for k, v in schema.items() if k not in ("description", "title", "default", "example")}
    if core.get("type") == "null" or core.get("type") == ["null"]:
        return True
    return core in NULL_SCHEMAS[1:]


def declares_null(schema: dict[str, Any]) -> bool:
    """Nullability said on the schema itself: `nullable: true` (3.0), `type: [X, "null"]` (3.1),
    or null among the `enum` values. Unions with a null member are folded in `union`."""
    if schema.get("nullable") is True:
        return True
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        return True
    enum = schema.get("enum")
    return isinstance(enum, list) and None in enum


def schema_types(schema: dict[str, Any]) -> list[str]:
    """The non-null JSON types a schema names (`type: [string, "null"]` gives ["string"])."""
    types = schema.get("type")
    if isinstance(types, str):
        return [] if types == "null" else [types]
    if isinstance(types, list):
        return [t for t in types if isinstance(t, str) and t != "null"]
    return []


def bounds(schema: dict[str, Any]) -> dict[str, float | None]:
    """Numeric bounds, folding 3.0's boolean `exclusiveMinimum: true` + `minimum: x` into the
    3.1 form `exclusiveMinimum: x` (the real 3.1 spec still uses the boolean form)."""
    out: dict[str, float | None] = {}
    for side in ("minimum", "maximum"):
        exclusive_key = "exclusive" + side.capitalize()
        value, exclusive = schema.get(side), schema.get(exclusive_key)
        if exclusive is True:
            out["exclusive_" + side], out[side] = value, None
        elif isinstance(exclusive, (int, float)) and not isinstance(exclusive, bool):
            out["exclusive_" + side], out[side] = exclusive, value
        else:
            out["exclusive_" + side], out[side] = None, value
    return out


# JSON Schema 2020-12 (and OpenAPI 3.1) keywords that constrain values without being types:
# carried as their JSON, so that a change to any of them is seen (and rated by the spec diff).
KEYWORDS = (
    "contains", "dependentRequired", "dependentSchemas", "if", "then", "else", "prefixItems",
    "unevaluatedProperties", "unevaluatedItems", "propertyNames", "patternProperties", "not",
    "contentMediaType", "contentEncoding", "contentSchema",
)  # fmt: skip


# Every key `constraints` reads: a schema with none of them (most) has the empty Constraints.
_CONSTRAINING = frozenset((
    *KEYWORDS, "uniqueItems", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems",
    "maxProperties", "minProperties", "minContains", "maxContains", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum",
))  # fmt: skip
_NO_CONSTRAINTS = Constraints()


def constraints(schema: dict[str, Any]) -> Constraints:
    if _CONSTRAINING.isdisjoint(schema):
        return _NO_CONSTRAINTS
    keywords = [(k, json.dumps(schema[k], sort_keys=True)) for k in KEYWORDS if k in schema]
    if schema.get("uniqueItems") is True:
        keywords.append(("uniqueItems", "true"))
    multiple = schema.get("multipleOf")
    return Constraints(
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        pattern=schema.get("pattern"),
        min_items=schema.get("minItems"),
        max_items=schema.get("maxItems"),
        max_properties=schema.get("maxProperties"),
        min_properties=schema.get("minProperties"),
        min_contains=schema.get("minContains"),
        max_contains=schema.get("maxContains"),
        multiple_of=multiple if isinstance(multiple, (int, float)) and not isinstance(multiple, bool) else None,
        keywords=tuple(sorted(keywords)),
        **bounds(schema),
    )


def merge(first: Constraints, second: Constraints) -> Constraints:
    """Both sets of constraints (an allOf): where both set one, the first wins."""
    values = {k: v if v is not None else getattr(second, k) for k, v in vars(first).items()}
    values["keywords"] = tuple(sorted(dict([*second.keywords, *first.keywords]).items()))
    return Constraints(**values)


def enum_values(schema: dict[str, Any]) -> tuple[Any, ...] | None:
    """`enum` (null dropped: it is nullability) or `const`; None when neither is present, or
    when a value is an object or array (no Literal can hold it: the schema's type decides).
    `x-stainless-const` single-value enums come out as one-value tuples like `const`."""
    if "const" in schema:
        value = schema["const"]
        return () if value is None else (value,) if isinstance(value, _SCALARS) else None
    enum = schema.get("enum")
    if not isinstance(enum, list):
        return None
    seen: list[Any] = []
    for v in enum:
        if v is not None and not isinstance(v, _SCALARS):
            return None
        if v is not None and v not in seen:
            seen.append(v)
    return tuple(seen)


_SCALARS = (str, int, float, bool)


def primitive(type_name: str, schema: dict[str, Any]) -> Primitive:
    fmt = schema.get("format")
    if type_name == "string" and fmt == "binary":
        return Primitive("bytes", fmt)
    kind = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(type_name, "any")
    return Primitive(kind, fmt if isinstance(fmt, str) else None, constraints(schema))


def _plain_str(t: Type) -> bool:
    return isinstance(t, Primitive) and t.kind == "str" and t.format is None


def _merged_literal(literals: list[Literal], with_plain_str: bool) -> Literal:
    """One literal of every value, in order; open when one is, or a plain `str` is beside
    values that are all strings (`str | Literal[...]` is an open enum)."""
    values: list[Any] = []
    for lit in literals:
        values.extend(v for v in lit.values if v not in values)
    is_open = any(lit.open for lit in literals) or (with_plain_str and all(isinstance(v, str) for v in values))
    return Literal(tuple(values), open=is_open)


def union(members: list[Type], discriminator: str | None = None) -> Type:
    """Fold a list of types into one: flatten nested unions, merge literal sets, turn
    `str | Literal[...]` into an open enum, drop duplicates, and put None last."""
    flat: list[Type] = []
    for m in members:
        flat.extend(m.members if isinstance(m, Union_) else [m])
    has_none = NONE in flat
    flat = [m for m in flat if m != NONE]
    literals = [m for m in flat if isinstance(m, Literal)]
    merged = _merged_literal(literals, any(map(_plain_str, flat))) if literals else None
    out: list[Type] = []
    for m in flat:
        if isinstance(m, Literal):
            m = merged  # type: ignore[assignment]  # every literal is the merged one, in the first's place
        elif merged is not None and merged.open and _plain_str(m):
            continue  # absorbed into the open enum
        if m not in out:
            out.append(m)
    if has_none:
        out.append(NONE)
    if not out:
        return NONE
    return out[0] if len(out) == 1 else Union_(tuple(out), discriminator)


def discriminator(explicit: Any, members: list[Type], models: dict[str, Model]) -> str | None:
    """The property that tells the members apart: the spec's `discriminator.propertyName`, or
    one inferred (`type: {enum: [string_check]}` in one grader, `[python]` in the next). Kept
    only when every member model has it as a required field pinned to its own single value,
    named in Python as on the wire: then a strict validator can dispatch on it."""
    if len(members) < 2 or not all(isinstance(m, Ref) and m.name in models for m in members):
        return None
    candidates: set[str] | None = None
    pinned_values: list[dict[str, str | int | float | bool]] = []
    for m in members:
        assert isinstance(m, Ref)
        pinned = {
            f.wire_name: f.type.values[0]
            for f in models[m.name].fields
            if f.required
            and f.name == f.wire_name
            and isinstance(f.type, Literal)
            and len(f.type.values) == 1
            and not f.type.open
        }
        pinned_values.append(pinned)
        candidates = set(pinned) if candidates is None else candidates & set(pinned)
    names = [explicit] if isinstance(explicit, str) else sorted(candidates or ())
    for name in names:
        if name not in (candidates or ()):
            continue
        values = [pinned[name] for pinned in pinned_values]
        if len(set(values)) == len(values):
            return name
    return None


def detect_tag(fields: list[Any]) -> Tag | None:
    """A tagged struct: a closed enum property whose every value is the name of another
    property, e.g. the fine-tuning `method`: `type: dpo` goes with the `dpo` member."""
    by_wire = {f.wire_name: f for f in fields}
    for f in fields:
        if isinstance(f.type, Literal) and not f.type.open and len(f.type.values) > 1:
            values = f.type.values
            if all(isinstance(v, str) and v in by_wire and v != f.wire_name for v in values):
                return Tag(f.wire_name, tuple((str(v), str(v)) for v in values))
    return None
