"""Schemas to IR types: named models for objects, plain types for everything else.

Object schemas become models named after where they sit: a component keeps its key; an
inline object takes its parent's name plus the property (`FineTuningJob` + `error` ->
`FineTuningJobError`). Titles are never used, numbers never invented. Inline models carry a
token for a name until every name is known (naming.py resolves collisions), then
`normalize` renames them.
"""

from __future__ import annotations

from typing import Any

from ..annotate import builtins_used
from ..diagnostics import Diagnostic, pointer_join
from ..ir import ANY, MISSING, NONE, Alias, Array, Constraints, Field, Literal, Map, Model, Ref, Source, Type
from ..loader import Document, SpecSet, Target, split_pointer
from ..names import field_name, pascal, unique
from ..positions import follow
from . import rules
from .naming import Names

Hint = tuple[str, ...]  # an owner's name, then the words of the path to an inline schema


def _component_name(target: Target) -> str:
    tokens = split_pointer(target.pointer)
    if len(tokens) == 3 and tokens[0] == "components":
        return tokens[2]
    if tokens:
        return tokens[-1]
    return target.document.path.stem


class SchemaNormalizer:
    def __init__(self, specset: SpecSet, diagnostics: list[Diagnostic]) -> None:
        self.specset = specset
        self.diagnostics = diagnostics
        self.models: dict[str, Model] = {}
        self.aliases: dict[str, Alias] = {}
        self.names = Names(specset)
        self._by_key: dict[str, Type] = {}
        self._in_progress: set[str] = set()
        self._merging: set[str] = set()  # schemas whose allOf members are being merged (cycles)
        self._standing_in: dict[Hint, str] = {}  # the hint of a named non-object -> its name

    # ------------------------------------------------------------ entry points
    def type_of(self, doc: Document, pointer: str, schema: Any, hint: Hint) -> Type:
        """The IR type of the schema at `pointer` in `doc`; `hint` (an owner's name, then the
        words of the path from it) names an inline object."""
        if not isinstance(schema, dict):
            return ANY
        if "$ref" in schema:
            target = self.specset.resolve(schema["$ref"], doc, pointer)
            if isinstance(target, Diagnostic):
                self.diagnostics.append(target)
                return ANY
            resolved = self._named(target)
            return rules.union([resolved, NONE]) if rules.declares_null(schema) else resolved
        return self._fold(doc, pointer, schema, hint)

    # ------------------------------------------------------------ named schemas
    def _named(self, target: Target) -> Type:
        key = target.key
        if key in self._by_key:
            return self._by_key[key]
        doc, pointer, schema = target.document, target.pointer, target.value
        where = Source(str(doc.path), pointer)
        word = self.names.components.get(key) or _component_name(target)
        # A `$ref` into something else than `components/schemas` is named like an inline schema.
        name = self.names.components.get(key) or self.names.inline((word,), schema, where)
        if _is_object(schema):
            self._by_key[key] = Ref(name)
            if name not in self.models:
                self._build_model(doc, pointer, schema, name, (word,))
            return self._by_key[key]
        if key in self._in_progress:
            message = "this schema refers to itself without an object in between; typed as Any"
            self.diagnostics.append(Diagnostic.of("recursive-alias", doc.location(pointer), message))
            return ANY
        self._in_progress.add(key)
        self._standing_in[(word,)] = name  # `X | null` or `allOf: [X]`: the object X is this schema
        resolved = self.type_of(doc, pointer, schema, (word,))
        del self._standing_in[(word,)]
        self._in_progress.discard(key)
        self._by_key[key] = resolved
        if name not in self.aliases and name not in self.models:
            self.aliases[name] = Alias(name, resolved, _description(schema), where)
        return resolved

    def _description(self, doc: Document, pointer: str, schema: Any) -> str:
        """A property's description: its own, else that of the schema it refers to (`method:
        {$ref: FineTuneMethod}` is described where FineTuneMethod is), through a lone non-null
        member (`anyOf: [{$ref: X}, {type: null}]`)."""
        own = _description(schema)
        if own or not isinstance(schema, dict):
            return own
        members = [m for c in ("anyOf", "oneOf") for m in schema.get(c) or [] if not rules.is_null_schema(m)]
        target = schema if "$ref" in schema else members[0] if len(members) == 1 else None
        if not isinstance(target, dict) or "$ref" not in target:
            return ""
        found = follow(self.specset, doc, pointer, target)
        return _description(found.value) if found.whole else ""

    # ------------------------------------------------------------ inline schemas
    def _fold(self, doc: Document, pointer: str, schema: dict[str, Any], hint: Hint) -> Type:
        nullable = rules.declares_null(schema)
        t = self._fold_non_null(doc, pointer, schema, hint)
        return rules.union([t, NONE]) if nullable else t

    def _fold_non_null(self, doc: Document, pointer: str, schema: dict[str, Any], hint: Hint) -> Type:
        for combinator in ("oneOf", "anyOf"):
            members = schema.get(combinator)
            if isinstance(members, list) and members:
                return self._union(doc, pointer_join(pointer, combinator), members, hint, schema)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            shaping = _shaping(all_of)
            if len(shaping) == 1 and "properties" not in schema:  # `allOf: [X, {description: ...}]` is X
                return self.type_of(doc, pointer_join(pointer, "allOf", shaping[0]), all_of[shaping[0]], hint)
            return self._hoist(doc, pointer, schema, hint)
        values = rules.enum_values(schema)
        if values is not None:
            return Literal(values) if values else NONE
        types = rules.schema_types(schema)
        if len(types) > 1:
            return rules.union([self._fold_non_null(doc, pointer, {**schema, "type": t}, hint) for t in types])
        kind = types[0] if types else None
        if kind == "array" or (kind is None and "items" in schema):
            item = self.type_of(doc, pointer_join(pointer, "items"), schema.get("items"), (*hint, "Item"))
            return Array(item, rules.constraints(schema))
        if kind == "object" or (kind is None and ("properties" in schema or "additionalProperties" in schema)):
            return self._object(doc, pointer, schema, hint)
        if kind in ("string", "integer", "number", "boolean"):
            return rules.primitive(kind, schema)
        # `{nullable: true}` alone is a null where it is a union's member (`anyOf: [X, ...]`);
        # on its own it allows any value, null too (Twilio's `event_data`).
        if kind == "null" or rules.is_null_schema(schema) and schema.get("nullable") is not True:
            return NONE
        return ANY

    def _object(self, doc: Document, pointer: str, schema: dict[str, Any], hint: Hint) -> Type:
        """An object with properties is a model; one without, a map of its additional properties."""
        if schema.get("properties"):
            return self._hoist(doc, pointer, schema, hint)
        extra = schema.get("additionalProperties", True)
        value = (
            self.type_of(doc, pointer_join(pointer, "additionalProperties"), extra, (*hint, "Value"))
            if isinstance(extra, dict)
            else ANY
        )
        names = schema.get("propertyNames")
        key_max = names.get("maxLength") if isinstance(names, dict) else None
        return Map(value, rules.constraints(schema), key_max)

    def _union(self, doc: Document, pointer: str, members: list[Any], hint: Hint, parent: dict[str, Any]) -> Type:
        folded: list[Type] = []
        alone = sum(not rules.is_null_schema(m) for m in members) == 1  # `X | null`: X keeps the name
        suffixes = [self._member_suffix(member, i, members) for i, member in enumerate(members)]
        for i, member in enumerate(members):
            if rules.is_null_schema(member):
                folded.append(NONE)
                continue
            suffix = suffixes[i] if suffixes.count(suffixes[i]) == 1 else f"{suffixes[i]}Variant{i}"  # `cat`, `Cat`
            inner = hint if alone else (*hint, suffix)
            folded.append(self.type_of(doc, pointer_join(pointer, i), member, inner))
        explicit = parent.get("discriminator")
        named = explicit.get("propertyName") if isinstance(explicit, dict) else None
        non_null = [m for m in folded if m != NONE]
        return rules.union(folded, rules.discriminator(named, non_null, self.models))

    @staticmethod
    def _member_suffix(member: Any, index: int, members: list[Any]) -> str:
        """A name for an inline union member: its tag value, else a property only it has."""
        if not isinstance(member, dict):
            return f"Variant{index}"
        props = member.get("properties") or {}
        for prop in props.values():
            if isinstance(prop, dict):
                values = rules.enum_values(prop)
                if values and len(values) == 1:
                    return pascal(str(values[0]))
        others = set()
        for j, other in enumerate(members):
            if j != index and isinstance(other, dict):
                others |= set(other.get("properties") or {})
        own = [p for p in props if p not in others]
        if own:
            return pascal(own[0])
        return f"Variant{index}"

    def _hoist(self, doc: Document, pointer: str, schema: dict[str, Any], hint: Hint) -> Type:
        key = f"{doc.path}{pointer}"
        if key in self._by_key:
            return self._by_key[key]
        name = self._standing_in.get(hint) or self.names.inline(hint, schema, Source(str(doc.path), pointer))
        self._by_key[key] = Ref(name)
        if name not in self.models:
            self._build_model(doc, pointer, schema, name, hint)
        return self._by_key[key]

    # ------------------------------------------------------------ models
    def _merged(
        self, doc: Document, pointer: str, schema: dict[str, Any], owner: Hint
    ) -> tuple[list[tuple[Document, str, str, Any, Hint]], set[str], dict[str, Any]]:
        """Properties and required names, allOf members merged in order. Each property comes
        with where it was written and the model that wrote it (`owner`): an inline object in a
        property is named after its owner, so its name never depends on which model met it first."""
        props: list[tuple[Document, str, str, Any, Hint]] = []
        required: set[str] = set(_names(schema.get("required")))
        extra: dict[str, Any] = {}
        here = f"{doc.path}{pointer}"
        self._merging.add(here)
        for i, member in enumerate(schema.get("allOf") or []):
            found = follow(self.specset, doc, pointer_join(pointer, "allOf", i), member)
            if found.broken:
                self.diagnostics.append(found.broken)
            mdoc, mptr, mschema, mowner = found.document, found.pointer, found.value, owner
            if found.target is not None:
                mowner = (self.names.components.get(found.target.key) or _component_name(found.target),)
            # A member that is (or includes) the schema being merged adds nothing it has not:
            # `Tiger: {allOf: [Tiger, {...}]}` is the object of its other members.
            if found.whole and isinstance(mschema, dict) and f"{mdoc.path}{mptr}" not in self._merging:
                sub_props, sub_required, sub_extra = self._merged(mdoc, mptr, mschema, mowner)
                props.extend(sub_props)
                required |= sub_required
                extra.update({k: v for k, v in sub_extra.items() if k != "constraints"})
                extra["constraints"] = rules.merge(extra.get("constraints", Constraints()), sub_extra["constraints"])
        for prop, sub in (schema.get("properties") or {}).items():
            props.append((doc, pointer_join(pointer, "properties", prop), str(prop), sub, owner))
        for key in ("description", "deprecated", "additionalProperties"):
            if key in schema:
                extra[key] = schema[key]
        # The object's own constraints, its allOf members' beside them (the schema's win).
        extra["constraints"] = rules.merge(rules.constraints(schema), extra.get("constraints", Constraints()))
        self._merging.discard(here)
        return props, required, extra

    def _build_model(self, doc: Document, pointer: str, schema: dict[str, Any], name: str, hint: Hint) -> None:
        self.models[name] = Model(name, (), source=Source(str(doc.path), pointer))  # placeholder for recursion
        props, required, extra = self._merged(doc, pointer, schema, hint)
        by_wire: dict[str, tuple[Document, str, str, Any, Hint]] = {}
        for entry in props:
            by_wire[entry[2]] = entry  # a later allOf member or the schema itself overrides
        fields: list[Field] = []
        types = [
            self.type_of(pdoc, pptr, sub, (*owner, pascal(wire))) for pdoc, pptr, wire, sub, owner in by_wire.values()
        ]
        # A field may not shadow a builtin its class's annotations use (`list: list[str]`):
        # pydantic evaluates them in the class namespace. Its name is decided here, once.
        taken = set().union(*map(builtins_used, types))
        for (pdoc, pptr, wire, sub, _owner), ftype in zip(by_wire.values(), types, strict=True):
            sub = sub if isinstance(sub, dict) else {}
            attribute = field_name(wire)
            fields.append(
                Field(
                    name=unique(attribute + "_" if attribute in taken else attribute, taken),
                    wire_name=wire,
                    type=ftype,
                    required=wire in required,
                    description=self._description(pdoc, pptr, sub),
                    default=sub.get("default", MISSING),
                    deprecated=bool(sub.get("deprecated")),
                    source=Source(str(pdoc.path), pptr),
                    read_only=sub.get("readOnly") is True,
                    write_only=sub.get("writeOnly") is True,
                )
            )
        additional = extra.get("additionalProperties")
        extra_type = (
            self.type_of(doc, pointer_join(pointer, "additionalProperties"), additional, (*hint, "Value"))
            if isinstance(additional, dict)
            else None
        )
        self.models[name] = Model(
            name=name,
            fields=tuple(fields),
            description=_description(extra),
            deprecated=bool(extra.get("deprecated")),
            source=Source(str(doc.path), pointer),
            tag=rules.detect_tag(fields),
            extra=extra_type,
            closed=additional is False,
            constraints=extra["constraints"],
        )


def _is_object(schema: Any) -> bool:
    """Does this schema become a model class? Objects with properties, and allOf merges."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if "properties" in schema and not any(k in schema for k in ("oneOf", "anyOf")):
        return True
    all_of = schema.get("allOf")
    return isinstance(all_of, list) and len(_shaping(all_of)) > 1


# Keywords that say something about a value without shaping it: an allOf member of these alone
# (AWS's `allOf: [{$ref: Timestamp}, {xml: ..., description: ...}]`) adds nothing to the type.
_ANNOTATIONS = frozenset({"description", "title", "xml", "example", "examples", "deprecated", "readOnly",
                          "writeOnly", "externalDocs", "default", "$comment", "nullable"})  # fmt: skip


def _shaping(members: list[Any]) -> list[int]:
    """The positions of the allOf members that shape the type (all, where none would be left)."""
    shaping = [i for i, m in enumerate(members)
               if not isinstance(m, dict) or any(k not in _ANNOTATIONS and not k.startswith("x-") for k in m)]  # fmt: skip
    return shaping or list(range(len(members)))


def _names(required: Any) -> list[str]:
    """The names in a `required` list; anything else there is the validator's to report."""
    return [r for r in required if isinstance(r, str)] if isinstance(required, list) else []


def _description(schema: Any) -> str:
    """The schema's own description, or that of its only non-null member (`anyOf: [X, null]`)."""
    if not isinstance(schema, dict):
        return ""
    text = schema.get("description")
    if not text:
        for combinator in ("anyOf", "oneOf"):
            members = [m for m in schema.get(combinator) or [] if not rules.is_null_schema(m)]
            if len(members) == 1:
                return _description(members[0])
    return text.strip() if isinstance(text, str) else ""
