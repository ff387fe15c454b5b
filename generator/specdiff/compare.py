"""Compare two IRs: operations by HTTP method and URL, types by shape, never by name.

Models are paired where they are used (the body of the same operation, the same field of
a paired model), so renaming a component or moving a schema inline is no change. Each
pair of models is compared once per direction; that also ends recursion. A finding inside
a model names the field (`FineTuningJob.result_files`); the operations that reach the
model are added at the end (`fine_tuning.jobs.create(suffix=)` for a top-level body field).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from ..diagnostics import Location, pointer_join
from ..ir import (
    MISSING,
    NONE,
    Api,
    Array,
    Constraints,
    Field,
    JsonValue,
    Literal,
    Map,
    Model,
    Operation,
    Pagination,
    Parameter,
    Primitive,
    Ref,
    Requirement,
    Security,
    Source,
    Type,
    Union_,
    _Missing,
    nullable,
    refs,
    without_none,
)
from .rules import RULES, Level
from .sides import Side


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    old: Location | None
    new: Location | None
    symbols: tuple[str, ...] = ()
    unstable: bool = False  # every operation it touches was draft or alpha: news, whatever the rule

    @property
    def level(self) -> Level:
        return Level.INFO if self.unstable else RULES[self.rule].level


@dataclass(frozen=True)
class _Where:
    """Where a compared type sits: its declarations on both sides and how to name it."""

    direction: str  # request | response
    label: str
    old: Source | None
    new: Source | None
    symbols: tuple[str, ...] = ()
    field: tuple[str, str, str] | None = None  # (old model, new model, wire name; "" for the model itself)

    def inner(self, what: str) -> _Where:
        return replace(self, label=f"{what} of {self.label}")

    def pick(self, request: str, response: str) -> str:
        """The rule of this side: each id is written whole where it is raised (or in the tables
        below), so that looking for an id finds where it comes from."""
        return request if self.direction == "request" else response


# Findings about names and wording: two types that differ only by these are equivalent.
UNSTRUCTURAL = frozenset({
    "description-changed", "model-renamed", "model-removed", "request-class-changed", "response-class-changed",
    "request-variant-added", "response-variant-added", "request-variant-removed", "response-variant-removed",
})  # fmt: skip

# Rules that differ only by side and kind of change: (request rule, response rule).
TYPE_RULES = {
    "widened": ("request-type-widened", "response-type-widened"),
    "narrowed": ("request-type-narrowed", "response-type-narrowed"),
    "changed": ("request-type-changed", "response-type-changed"),
}
FIELD_RULES = {
    "required": ("request-field-made-required", "response-field-made-required"),
    "optional": ("request-field-made-optional", "response-field-made-optional"),
    "nullable": ("request-field-made-nullable", "response-field-made-nullable"),
    "non-nullable": ("request-field-made-non-nullable", "response-field-made-non-nullable"),
}
BOUND_RULES = {
    "max lowered": ("request-max-lowered", "response-max-lowered"),
    "max raised": ("request-max-raised", "response-max-raised"),
    "min raised": ("request-min-raised", "response-min-raised"),
    "min lowered": ("request-min-lowered", "response-min-lowered"),
}
KEYWORD_RULES = {
    "added": ("request-keyword-added", "response-keyword-added"),
    "removed": ("request-keyword-removed", "response-keyword-removed"),
    "changed": ("request-keyword-changed", "response-keyword-changed"),
}


_UPPER = {"max_length": "maxLength", "maximum": "maximum", "exclusive_maximum": "exclusiveMaximum",
          "max_items": "maxItems", "max_properties": "maxProperties", "max_contains": "maxContains"}  # fmt: skip
_LOWER = {"min_length": "minLength", "minimum": "minimum", "exclusive_minimum": "exclusiveMinimum",
          "min_items": "minItems", "min_properties": "minProperties", "min_contains": "minContains"}  # fmt: skip
STABILITY = {"draft": 0, "alpha": 1, "beta": 2, "stable": 3}  # x-stability-level, as oasdiff reads it


def operation_key(op: Operation) -> tuple[str, str]:
    """Same method and URL is the same operation, whatever its path parameters are called."""
    return op.http_method.upper(), re.sub(r"\{[^}]*\}", "{}", op.path)


def symbol(op: Operation) -> str:
    return ".".join((*op.resource, op.name))


class _Differs(Exception):
    """Stops a scratch comparison at its first real difference."""


class Comparer:
    def __init__(self, old: Side, new: Side, parent: Comparer | None = None) -> None:
        self.old, self.new = old, new
        self.scratch = parent is not None  # only asks "any difference?", records nothing
        if parent is None:
            self.old_models = {m.name: m for m in old.api.models}
            self.new_models = {m.name: m for m in new.api.models}
            self.equivalents: dict[tuple[Type, Type, str], bool] = {}
            self.assumed: list[tuple[Type, Type, str]] = []
        else:
            self.old_models, self.new_models = parent.old_models, parent.new_models
            self.equivalents, self.assumed = parent.equivalents, parent.assumed
        self.found: dict[tuple[str, str, str, str], tuple[Finding, _Where]] = {}
        self.compared: set[tuple[str, str, str]] = set()  # (old model, new model, direction) walked

    # ------------------------------------------------------------ recording
    def add(self, rule: str, message: str, where: _Where) -> None:
        assert rule in RULES, rule
        if self.scratch:
            if rule not in UNSTRUCTURAL:
                raise _Differs
            return
        finding = Finding(rule, message, self.old.location(where.old), self.new.location(where.new), where.symbols)
        key = (rule, message, str(where.old), str(where.new))
        self.found.setdefault(key, (finding, where))

    # ------------------------------------------------------------ operations
    def run(self) -> list[Finding]:
        old_ops = {operation_key(op): op for op in self.old.api.operations}
        new_ops = {operation_key(op): op for op in self.new.api.operations}
        for key, op in old_ops.items():
            if key not in new_ops:
                where = _Where("request", "", op.source, None, (symbol(op) + "()",))
                self.add("operation-removed", f"`{key[0]} {op.path}` was removed", where)
        for key, op in new_ops.items():
            if key not in old_ops:
                where = _Where("request", "", None, op.source, (symbol(op) + "()",))
                self.add("operation-added", f"`{key[0]} {op.path}` was added", where)
            else:
                self.operation(old_ops[key], op)
        self.api()
        self.removed_names()
        return self.attach_operations()

    def removed_names(self) -> None:
        """Components whose class (or alias) the new client no longer has, paired with nothing
        the comparison walked: `from pkg.models import Breed3` fails, whatever the shapes say.
        An alias of the same type under one new name is renamed. Inline models' names are
        the generator's, and go with a structural change that says more."""
        paired = {old for old, _, _ in self.compared}
        old_aliases = {a.name: a for a in self.old.api.aliases}
        new_aliases = {a.name: a for a in self.new.api.aliases}
        for model in self.old.api.models:
            if model.name not in self.new_models and model.name not in paired and _declared(model.source):
                where = _Where("request", f"`{model.name}`", model.source, None, (model.name,))
                self.add("model-removed", f"{where.label} is no longer generated", where)
        for name, alias in old_aliases.items():
            if name in new_aliases or not _declared(alias.source):
                continue
            alike = [a for a in new_aliases.values() if a.name not in old_aliases and a.type == alias.type]
            if len(alike) == 1:
                where = _Where("request", f"`{name}`", alias.source, alike[0].source, (name, alike[0].name))
                self.add("model-renamed", f"{where.label} is now `{alike[0].name}`", where)
            else:
                where = _Where("request", f"`{name}`", alias.source, None, (name,))
                self.add("model-removed", f"{where.label} is no longer generated", where)

    def api(self) -> None:
        """What applies to every operation: servers, the default security, security schemes."""
        o, n = self.old.api, self.new.api
        top = _Where("request", "the API", None, None)
        old_urls, new_urls = [s.url for s in o.servers], [s.url for s in n.servers]
        for url in old_urls:
            if url not in new_urls:
                self.add("server-removed", f"server `{url}` was removed", top)
        for url in new_urls:
            if url not in old_urls:
                self.add("server-added", f"server `{url}` was added", top)
        inheriting = tuple(
            sorted(symbol(op) + "()" for op in n.operations if op.security is None)
        )  # the operations the API's own `security` applies to
        default = replace(
            top,
            label="the API's default security",
            old=_security_source(o),
            new=_security_source(n),
            symbols=inheriting,
        )
        self.security(o.security, n.security, default, _sent(o, o.security, inherited=True))
        # Only schemes the compared operations may use: a slice keeps others in components.
        used = _schemes_used(o) | _schemes_used(n)
        old_schemes = {s.name: s for s in o.security_schemes if s.name in used}
        new_schemes = {s.name: s for s in n.security_schemes if s.name in used}
        for name in sorted(old_schemes.keys() | new_schemes.keys()):
            so, sn = old_schemes.get(name), new_schemes.get(name)
            # A side without the scheme is located where it would be declared.
            where = _Where(
                "request", f"security scheme `{name}`", so.source if so else _scheme_source(o, name),
                sn.source if sn else _scheme_source(n, name),
            )  # fmt: skip
            if so is None:
                self.add("security-scheme-added", f"{where.label} was added", where)
            elif sn is None:
                self.add("security-scheme-removed", f"{where.label} was removed", where)
            elif (so.type, so.location, so.parameter, so.scheme) != (sn.type, sn.location, sn.parameter, sn.scheme):
                message = f"{where.label}: {_scheme(so)} -> {_scheme(sn)}"
                self.add("security-scheme-changed", message, where)

    def security(
        self, old: tuple[Requirement, ...], new: tuple[Requirement, ...], where: _Where, sent: set[_Presented]
    ) -> None:
        """Requirements are alternatives: a caller meets one of them. Schemes are compared by
        how their credentials travel, not by name, and `sent` is what a client of the old spec
        sends when given every credential it takes: a new requirement it meets already is no
        break. An old way no new one accepts breaks; so do more scopes for the same schemes."""
        anonymous_old, anonymous_new = not old or () in old, not new or () in new
        if anonymous_old and not anonymous_new:
            if any(a and _presented(self.new.api, a) <= sent for a in new):
                message = f"{where.label} now requires credentials, sent as the old client sent them"
                self.add("security-added-as-sent", message, where)
            else:
                self.add("security-added", f"{where.label} now requires credentials", where)
            return
        if anonymous_new and not anonymous_old:
            self.add("security-removed", f"{where.label} no longer requires credentials", where)
            return
        self.alternatives(old, new, where)

    def alternatives(self, old: tuple[Requirement, ...], new: tuple[Requirement, ...], where: _Where) -> None:
        """Both sides require credentials: the ways to present them, one by one."""
        old_presented = [_presented(self.old.api, a) for a in old]
        new_presented = [_presented(self.new.api, a) for a in new]
        for alternative, presented in zip(old, old_presented, strict=True):
            if alternative in new or not alternative:
                continue
            schemes = {name for name, _ in alternative}
            same = [a for a in new if {name for name, _ in a} == schemes]
            if same:
                was, now = _scopes(alternative), _scopes(same[0])
                added, removed = sorted(now - was), sorted(was - now)
                if added:
                    self.add("security-scope-added", f"{where.label} needs scopes {', '.join(added)}", where)
                if removed:
                    self.add("security-scope-removed", f"{where.label} no longer needs {', '.join(removed)}", where)
            elif not any(a <= presented for a in new_presented):
                self.add("security-requirement-removed", f"{where.label} no longer accepts {_alt(alternative)}", where)
        for alternative, presented in zip(new, new_presented, strict=True):
            if alternative not in old and presented not in old_presented:
                self.add("security-requirement-added", f"{where.label} also accepts {_alt(alternative)}", where)

    def operation(self, o: Operation, n: Operation) -> None:
        sym = symbol(n)
        where = _Where("request", f"`{n.http_method.upper()} {n.path}`", o.source, n.source, (sym + "()",))
        if (o.resource, o.name) != (n.resource, n.name):
            self.add("operation-renamed", f"{where.label} is now `{sym}()`, was `{symbol(o)}()`", where)
        if n.deprecated and not o.deprecated:
            self.add("operation-deprecated", f"{where.label} is deprecated", where)
        if o.operation_id != n.operation_id:
            message = f"{where.label}: operationId `{o.operation_id}` -> `{n.operation_id}`"
            self.add("operation-id-changed", message, where)
        if o.stability and n.stability and o.stability != n.stability:
            order = STABILITY.get(n.stability, 3) - STABILITY.get(o.stability, 3)
            if order:
                rule = "stability-decreased" if order < 0 else "stability-increased"
                self.add(rule, f"{where.label}: x-stability-level {o.stability} -> {n.stability}", where)
        if o.security is not None or n.security is not None:
            old_security = o.security if o.security is not None else self.old.api.security
            new_security = n.security if n.security is not None else self.new.api.security
            at = replace(
                where, label=f"the security of {where.label}", old=_security_source(self.old.api, o),
                new=_security_source(self.new.api, n),
            )  # fmt: skip
            self.security(old_security, new_security, at, _sent(self.old.api, old_security, o.security is None))
        self.description((o.summary, o.description), (n.summary, n.description), where)
        self.parameters(o, n, sym)
        self.body(o, n, where)
        response = replace(where, direction="response", label=f"the response of `{sym}()`")
        if o.response_kind == n.response_kind:  # else response-kind-changed says it
            self.media_types(o.response_media_types, n.response_media_types, response)
        self.headers(o, n, response)
        if o.response_kind != n.response_kind:
            self.add("response-kind-changed", f"{response.label}: {o.response_kind} -> {n.response_kind}", response)
        elif o.response is not None and n.response is not None:
            self.type(o.response, n.response, response)
        if o.status_code != n.status_code:
            self.add("response-status-changed", f"{response.label}: {o.status_code} -> {n.status_code}", response)
        old_style, new_style = _paging(o.pagination), _paging(n.pagination)
        if old_style != new_style:
            change = f"pages {old_style} -> {new_style}" if old_style and new_style else (
                "now returns pages" if new_style else "no longer returns pages")  # fmt: skip
            self.add("pagination-changed", f"`{sym}()` {change}", where)

    def media_types(self, old: tuple[str, ...], new: tuple[str, ...], where: _Where) -> None:
        for media in old:
            if media not in new:
                rule = where.pick("request-media-type-removed", "response-media-type-removed")
                self.add(rule, f"{where.label}: `{media}` is gone", where)
        for media in new:
            if media not in old and old:
                rule = where.pick("request-media-type-added", "response-media-type-added")
                self.add(rule, f"{where.label}: `{media}` was added", where)

    def headers(self, o: Operation, n: Operation, where: _Where) -> None:
        old = {h.name.lower(): h for h in o.response_headers}
        new = {h.name.lower(): h for h in n.response_headers}
        for key in sorted(old.keys() | new.keys()):
            ho, hn = old.get(key), new.get(key)
            header = replace(
                where, label=f"header `{(hn or ho).name}` of {where.label}",  # type: ignore[union-attr]
                old=ho.source if ho else where.old, new=hn.source if hn else where.new,
            )  # fmt: skip
            if ho is None:
                self.add("response-header-added", f"{header.label} was added", header)
            elif hn is None:
                rule = "response-header-removed" if ho.required else "response-optional-header-removed"
                self.add(rule, f"{header.label} was removed", header)
            else:
                if ho.required != hn.required:
                    rule = "response-header-made-required" if hn.required else "response-header-made-optional"
                    self.add(rule, f"{header.label} is now {'required' if hn.required else 'optional'}", header)
                self.type(ho.type, hn.type, header)

    def parameters(self, o: Operation, n: Operation, sym: str) -> None:
        old_path = [p for p in o.parameters if p.location == "path"]
        new_path = [p for p in n.parameters if p.location == "path"]
        for was, now in zip(old_path, new_path, strict=False):  # same URL: the same count
            where = _Where("request", f"`{sym}({now.name})`", was.source, now.source, (f"{sym}({now.name})",))
            if was.wire_name != now.wire_name:
                self.add("path-parameter-renamed", f"path parameter `{was.wire_name}` is now `{now.wire_name}`", where)
            self.style(was, now, where)
            self.type(was.type, now.type, where)
        old = {(p.location, p.wire_name): p for p in o.parameters if p.location != "path"}
        new = {(p.location, p.wire_name): p for p in n.parameters if p.location != "path"}
        # A parameter that moved (query -> header) is one change, then compared where it is now.
        for key in sorted(old.keys() - new.keys()):
            moved = [k for k in new.keys() - old.keys() if k[1] == key[1]]
            if len(moved) == 1:
                was, now = old.pop(key), new[moved[0]]
                label = f"parameter `{key[1]}` of `{sym}()`"
                where = _Where("request", label, was.source, now.source, (f"{sym}({now.name}=)",))
                self.add("parameter-location-changed", f"{where.label}: {key[0]} -> {moved[0][0]}", where)
                # The location's default style comes with it: not a second change.
                old[moved[0]] = replace(was, location=now.location, style=now.style, explode=now.explode)
        for key in sorted(old.keys() | new.keys()):
            po, pn = old.get(key), new.get(key)
            either = pn or po
            assert either is not None
            label = f"{key[0]} parameter `{key[1]}` of `{sym}()`"
            old_source, new_source = po.source if po else o.source, pn.source if pn else n.source
            where = _Where("request", label, old_source, new_source, (f"{sym}({either.name}=)",))
            if po is not None and pn is not None:
                self.style(po, pn, where)
            self.member(po, pn, where)

    def style(self, o: Parameter, n: Parameter, where: _Where) -> None:
        """How a parameter is written on the wire (its style table cell, or its media type)."""
        was, now = _wire_style(o), _wire_style(n)
        if was != now:
            self.add("parameter-style-changed", f"{where.label}: {was} -> {now}", where)

    def body(self, o: Operation, n: Operation, where: _Where) -> None:
        ob, nb = o.body, n.body
        if ob is None and nb is not None:
            rule = "request-body-added-required" if nb.required else "request-body-added"
            self.add(rule, f"{where.label} now takes a {'required ' if nb.required else ''}body", where)
        elif ob is not None and nb is None:
            self.add("request-body-removed", f"{where.label} no longer takes a body", where)
        elif ob is not None and nb is not None:
            if ob.content_type != nb.content_type:
                message = f"the body of {where.label}: {ob.content_type} -> {nb.content_type}"
                self.add("request-content-type-changed", message, where)
            if nb.required and not ob.required:
                self.add("request-body-made-required", f"the body of {where.label} is now required", where)
            if ob.content_type == nb.content_type:  # else request-content-type-changed says it
                self.media_types(ob.media_types, nb.media_types, replace(where, label=f"the body of {where.label}"))
            self.type(ob.type, nb.type, where.inner("the body"))

    # ------------------------------------------------------------ models and fields
    def model(self, old_name: str, new_name: str, direction: str) -> None:
        if self.scratch:  # through the shared cache, so each pair of models is walked once
            if not self.equivalent(Ref(old_name), Ref(new_name), direction, walk=True):
                raise _Differs
            return
        if (old_name, new_name, direction) not in self.compared:
            self.compared.add((old_name, new_name, direction))
            self._fields(old_name, new_name, direction)

    def _fields(self, old_name: str, new_name: str, direction: str) -> None:
        mo, mn = self.old_models[old_name], self.new_models[new_name]
        where = _Where(direction, f"`{new_name}`", mo.source, mn.source, (new_name,), (old_name, new_name, ""))
        self.description((mo.description,), (mn.description,), where)
        old = {f.wire_name: f for f in mo.fields}
        new = {f.wire_name: f for f in mn.fields}
        for wire in [*old, *(w for w in new if w not in old)]:
            fo, fn = old.get(wire), new.get(wire)
            either = fn or fo
            assert either is not None
            name = either.name
            field = _Where(
                direction,
                f"`{new_name}.{name}`",
                fo.source if fo else mo.source,
                fn.source if fn else mn.source,
                (f"{new_name}.{name}",),
                (old_name, new_name, wire),
            )
            self.member(fo, fn, field)
        if mo.extra is not None and mn.extra is not None:
            self.type(mo.extra, mn.extra, where.inner("additional properties"))
        self.constraints(mo.constraints, mn.constraints, where)
        if mo.closed != mn.closed:  # additionalProperties: false added or dropped
            message = f"{where.label} {'now rejects' if mn.closed else 'now accepts'} unknown fields"
            self.add(where.pick(*TYPE_RULES["narrowed" if mn.closed else "widened"]), message, where)

    def member(self, o: Field | Parameter | None, n: Field | Parameter | None, where: _Where) -> None:
        """A field or parameter on either side: added, removed, or compared."""
        request = where.direction == "request"
        if o is None and n is not None:
            rule = where.pick("request-field-added", "response-field-added")
            rule = "request-field-added-required" if request and n.required else rule
            self.add(rule, f"{where.label} was added{' as required' if n.required else ''}", where)
            return
        if n is None or o is None:
            self.add(where.pick("request-field-removed", "response-field-removed"), f"{where.label} was removed", where)
            return
        if o.required != n.required:
            change = "required" if n.required else "optional"
            self.add(where.pick(*FIELD_RULES[change]), f"{where.label} is now {change}", where)
        if n.deprecated and not o.deprecated:
            rule = where.pick("request-field-deprecated", "response-field-deprecated")
            self.add(rule, f"{where.label} is deprecated", where)
        if not _same_default(o.default, n.default):
            message = f"{where.label}: default {_show(o.default)} -> {_show(n.default)}"
            self.add(where.pick("request-default-changed", "response-default-changed"), message, where)
        self.description((o.description,), (n.description,), where)
        self.type(o.type, n.type, where)

    def description(self, old: tuple[str, ...], new: tuple[str, ...], where: _Where) -> None:
        if old != new:
            self.add("description-changed", f"the description of {where.label} changed", where)

    # ------------------------------------------------------------ types
    def type(self, o: Type, n: Type, where: _Where) -> None:
        if nullable(o) != nullable(n) and NONE not in (o, n):
            change = "nullable" if nullable(n) else "non-nullable"
            self.add(where.pick(*FIELD_RULES[change]), f"{where.label} is now {change}", where)
        self.shape(without_none(o), without_none(n), where)

    def shape(self, o: Type, n: Type, where: _Where) -> None:
        if isinstance(o, Ref) and isinstance(n, Ref):
            if o.name != n.name:
                self.class_changed(o.name, n.name, where)
            self.model(o.name, n.name, where.direction)
        elif isinstance(o, Array) and isinstance(n, Array):
            self.constraints(o.constraints, n.constraints, where)
            self.type(o.item, n.item, where.inner("the items"))
        elif isinstance(o, Map) and isinstance(n, Map):
            self.constraints(o.constraints, n.constraints, where)
            self.type(o.value, n.value, where.inner("the values"))
        elif isinstance(o, Primitive) and isinstance(n, Primitive) and o.kind == n.kind:
            self.constraints(o.constraints, n.constraints, where)
        elif isinstance(o, Literal) and isinstance(n, Literal):
            self.enum(o, n, where)
        elif isinstance(o, Union_) or isinstance(n, Union_):  # a member may have become a union
            self.discriminator(o, n, where)
            self.union(_members(o), _members(n), where)
        else:
            self.relation(o, n, where)

    def class_changed(self, old_name: str, new_name: str, where: _Where) -> None:
        """The same place holds a class of another name: the class renamed (said once, at the
        model), or another class put there (`allOf` grown into an inline model)."""
        if old_name not in self.new_models and new_name not in self.old_models:
            mo, mn = self.old_models[old_name], self.new_models[new_name]
            at = _Where(where.direction, f"`{old_name}`", mo.source, mn.source, (old_name, new_name))
            self.add("model-renamed", f"{at.label} is now `{new_name}`", replace(at, field=(old_name, new_name, "")))
        else:
            rule = where.pick("request-class-changed", "response-class-changed")
            self.add(rule, f"{where.label} is now `{new_name}`, was `{old_name}`", where)

    def relation(self, o: Type, n: Type, where: _Where) -> None:
        """Two different shapes: the new one accepts more (widened), less (narrowed), or other."""
        wider, narrower = self.covers(n, o, where.direction, True), self.covers(o, n, where.direction, False)
        if wider and narrower:
            return
        change = "widened" if wider else "narrowed" if narrower else "changed"
        self.add(where.pick(*TYPE_RULES[change]), f"{where.label}: {describe(o)} -> {describe(n)}", where)

    def discriminator(self, o: Type, n: Type, where: _Where) -> None:
        was = o.discriminator if isinstance(o, Union_) else None
        now = n.discriminator if isinstance(n, Union_) else None
        if was == now or not (isinstance(o, Union_) and isinstance(n, Union_)):
            return
        if was is None:
            self.add("discriminator-added", f"{where.label}: variants are told apart by `{now}`", where)
        elif now is None:
            self.add("discriminator-removed", f"{where.label}: variants are no longer told apart by `{was}`", where)
        else:
            self.add("discriminator-changed", f"{where.label}: discriminator `{was}` -> `{now}`", where)

    def union(self, o: tuple[Type, ...], n: tuple[Type, ...], where: _Where) -> None:
        direction = where.direction
        gone = [x for x in o if not any(self.equivalent(x, y, direction) for y in n)]
        new = [y for y in n if not any(self.equivalent(x, y, direction) for x in o)]
        self.variants(o, n, gone, new, where)
        # A changed member pairs with its successor, so its own changes are reported precisely:
        # the same model name, else the same tag value, else the only member of its shape.
        for pairing in (self._same_name, self._same_tag, _same_shape):
            for x in list(gone):
                matches = [y for y in new if pairing(x, y)]
                if len(matches) == 1 and sum(pairing(z, matches[0]) for z in gone) == 1:
                    gone.remove(x)
                    new.remove(matches[0])
                    self.shape(x, matches[0], where)
        if gone and new:
            self.relation(_one(gone), _one(new), where)
        elif gone or new:
            change = "widened" if new else "narrowed"
            message = f"{where.label}: {describe(_one(list(o)))} -> {describe(_one(list(n)))}"
            self.add(where.pick(*TYPE_RULES[change]), message, where)

    def variants(
        self, o: tuple[Type, ...], n: tuple[Type, ...], gone: list[Type], new: list[Type], where: _Where
    ) -> None:
        """Named variants that come or go while the union's values stay (a `Breed3` shaped like
        `Breed1`): the shapes say nothing, but a caller's class or `isinstance` chain does. One
        of each, alike, is a renamed variant (class_changed says it)."""
        old_names = {x.name for x in o if isinstance(x, Ref)}
        new_names = {y.name for y in n if isinstance(y, Ref)}
        removed = [x for x in o if isinstance(x, Ref) and x.name not in new_names and x not in gone]
        added = [y for y in n if isinstance(y, Ref) and y.name not in old_names and y not in new]
        if len(removed) == len(added) == 1 and self.equivalent(removed[0], added[0], where.direction):
            self.shape(removed[0], added[0], where)
            return
        for x in removed:
            variant = replace(where, symbols=(*where.symbols, x.name))
            rule = where.pick("request-variant-removed", "response-variant-removed")
            self.add(rule, f"{where.label} no longer has the variant `{x.name}`", variant)
        for y in added:
            variant = replace(where, symbols=(*where.symbols, y.name))
            rule = where.pick("request-variant-added", "response-variant-added")
            self.add(rule, f"{where.label} has a new variant `{y.name}`", variant)

    def _same_name(self, x: Type, y: Type) -> bool:
        return isinstance(x, Ref) and isinstance(y, Ref) and x.name == y.name

    def _same_tag(self, x: Type, y: Type) -> bool:
        if not (isinstance(x, Ref) and isinstance(y, Ref)):
            return False
        tag = _tag(self.old_models[x.name])
        return tag is not None and tag == _tag(self.new_models[y.name])

    def enum(self, o: Literal, n: Literal, where: _Where) -> None:
        if len(o.values) == len(n.values) == 1 and o.values != n.values and not (o.open or n.open):
            # A `const` changed: the one value either side knows is another (a renamed tag, say).
            message = f"{where.label}: {_values(list(o.values))} -> {_values(list(n.values))}"
            self.add(where.pick("request-const-changed", "response-const-changed"), message, where)
            return
        removed = [v for v in o.values if v not in n.values]
        added = [v for v in n.values if v not in o.values]
        # An open enum's values are hints: losing one in a request, or gaining one in a
        # response, still type-checks; the closed-enum rules are the ones that break.
        if removed:
            closed = where.direction == "response" or not n.open
            rule = where.pick("request-enum-value-removed", "response-enum-value-removed")
            rule = rule if closed else "request-open-enum-value-removed"
            self.add(rule, f"{where.label} loses {_values(removed)}", where)
        if added:
            closed = where.direction == "request" or not n.open
            rule = where.pick("request-enum-value-added", "response-enum-value-added")
            rule = rule if closed else "response-open-enum-value-added"
            self.add(rule, f"{where.label} gains {_values(added)}", where)
        if o.open != n.open:
            self.relation(o, n, where)

    def constraints(self, o: Constraints, n: Constraints, where: _Where) -> None:
        for attr, keyword in _UPPER.items():
            a, b = getattr(o, attr), getattr(n, attr)
            if a != b:
                change = "lowered" if b is not None and (a is None or b < a) else "raised"
                message = f"{where.label}: {keyword} {_show(a)} -> {_show(b)}"
                self.add(where.pick(*BOUND_RULES[f"max {change}"]), message, where)
        for attr, keyword in _LOWER.items():
            a, b = getattr(o, attr), getattr(n, attr)
            if a != b:
                change = "raised" if b is not None and (a is None or b > a) else "lowered"
                message = f"{where.label}: {keyword} {_show(a)} -> {_show(b)}"
                self.add(where.pick(*BOUND_RULES[f"min {change}"]), message, where)
        if o.pattern != n.pattern:
            message = f"{where.label}: pattern {_show(o.pattern)} -> {_show(n.pattern)}"
            self.add(where.pick("request-pattern-changed", "response-pattern-changed"), message, where)
        was, now = _keywords(o), _keywords(n)
        for keyword in sorted(was.keys() | now.keys()):
            a, b = was.get(keyword), now.get(keyword)
            if a != b:
                change = "added" if a is None else "removed" if b is None else "changed"
                message = f"{where.label}: {keyword} {_clip(a)} -> {_clip(b)}"
                self.add(where.pick(*KEYWORD_RULES[change]), message, where)

    # ------------------------------------------------------------ shape relations
    def equivalent(self, o: Type, n: Type, direction: str, walk: bool = False) -> bool:
        """No difference but wording? Asked of a scratch comparer; answers are shared and cached.

        A pair under comparison counts as equal meanwhile (a recursive type reaching itself). A
        question that fails drops the answers assumed on its way; `walk` is a step inside a
        question (one model pair), whose failure fails the question.
        """
        key = (o, n, direction)
        if key in self.equivalents:
            return self.equivalents[key]
        mark = len(self.assumed)
        self.equivalents[key] = True
        self.assumed.append(key)
        try:
            if isinstance(o, Ref) and isinstance(n, Ref):
                # Walk the pair's fields here: through type() the pair would meet its own key,
                # assumed equal while it is being answered, and pass unexamined.
                scratch = self if self.scratch else Comparer(self.old, self.new, self)
                scratch._fields(o.name, n.name, direction)
            else:
                Comparer(self.old, self.new, self).type(o, n, _Where(direction, "", None, None))
        except _Differs:
            self.equivalents[key] = False
            if walk:
                raise
            for assumed in self.assumed[mark:]:
                if self.equivalents.get(assumed) and assumed != key:
                    del self.equivalents[assumed]
            del self.assumed[mark:]
            return False
        return True

    def covers(self, a: Type, b: Type, direction: str, a_is_new: bool) -> bool:
        """Does type `a` (from one side) accept every value of `b` (from the other)?"""
        if isinstance(b, Union_):
            return all(self.covers(a, m, direction, a_is_new) for m in b.members)
        if isinstance(a, Union_):
            return any(self.covers(m, b, direction, a_is_new) for m in a.members)
        if isinstance(a, (Primitive, Literal)):
            return _scalar_covers(a, b)
        if isinstance(a, Ref) and isinstance(b, Ref):
            return self.equivalent(b, a, direction) if a_is_new else self.equivalent(a, b, direction)
        if isinstance(a, Array) and isinstance(b, Array):
            return self.covers(a.item, b.item, direction, a_is_new)
        if isinstance(a, Map) and isinstance(b, Map):
            return self.covers(a.value, b.value, direction, a_is_new)
        return False

    # ------------------------------------------------------------ symbols
    def attach_operations(self) -> list[Finding]:
        """Name the operations each model finding reaches, then order the findings."""
        reach = {side: _reach(api_side.api.operations, api_side.api.models) for side, api_side in
                 (("old", self.old), ("new", self.new))}  # fmt: skip
        # Draft and alpha operations may change freely (x-stability-level, as oasdiff reads it).
        unstable = {symbol(op) for op in self.old.api.operations if STABILITY.get(op.stability or "", 3) < 2}
        findings = []
        for finding, where in self.found.values():
            if where.field is not None:
                old_model, new_model, wire = where.field
                extra: set[str] = set()
                for side, model in (("old", old_model), ("new", new_model)):
                    for op in reach[side].get((model, where.direction), ()):
                        arg = None
                        if where.direction == "request" and op.body is not None and op.body.model == model:
                            arg = next((f.name for f in op.body.fields if f.wire_name == wire), None)
                        extra.add(f"{symbol(op)}({arg}=)" if arg else f"{symbol(op)}()")
                finding = replace(finding, symbols=(*finding.symbols, *sorted(extra)))
            touched = {sym.split("(")[0] for sym in finding.symbols if "(" in sym}
            if unstable and touched and touched <= unstable:
                finding = replace(finding, unstable=True)
            findings.append(finding)
        return sorted(findings, key=lambda f: (-f.level, f.rule, f.symbols, f.message))


def _declared(source: Source | None) -> bool:
    """Named by the spec's author (a component), not by the generator (an inline schema)."""
    return source is not None and re.fullmatch(r"#/components/schemas/[^/]+", source.pointer) is not None


def _scalar_covers(a: Primitive | Literal, b: Type) -> bool:
    """Does the scalar type `a` accept every value of `b` (not a union)?"""
    if isinstance(a, Primitive) and a.kind == "any":
        return True
    if isinstance(a, Primitive) and isinstance(b, Primitive):
        return a.kind == b.kind or (a.kind, b.kind) == ("float", "int")
    if isinstance(a, Primitive) and isinstance(b, Literal):
        return all(_kind(v) == a.kind or (a.kind, _kind(v)) == ("float", "int") for v in b.values)
    if isinstance(a, Literal) and isinstance(b, Literal):
        return a.open or (not b.open and set(b.values) <= set(a.values))
    if isinstance(a, Literal) and isinstance(b, Primitive):
        return a.open and b.kind == "str"
    return False


def _reach(operations: tuple[Operation, ...], models: tuple[Model, ...]) -> dict[tuple[str, str], list[Operation]]:
    """(model name, direction) -> the operations whose request or response contains it."""
    by_name = {m.name: m for m in models}
    out: dict[tuple[str, str], list[Operation]] = {}
    for op in operations:
        request = [p.type for p in op.parameters] + ([op.body.type] if op.body else [])
        for direction, types in (("request", request), ("response", [op.response] if op.response else [])):
            todo = set().union(*(refs(t) for t in types)) if types else set()
            seen: set[str] = set()
            while todo:
                name = todo.pop()
                if name in seen or name not in by_name:
                    continue
                seen.add(name)
                out.setdefault((name, direction), []).append(op)
                model = by_name[name]
                for f in model.fields:
                    todo |= refs(f.type)
                if model.extra is not None:
                    todo |= refs(model.extra)
    return out


def _keywords(c: Constraints) -> dict[str, str]:
    """Keyword constraints by name, `multipleOf` among them."""
    keywords = dict(c.keywords)
    if c.multiple_of is not None:
        keywords["multipleOf"] = json.dumps(c.multiple_of)
    return keywords


def _clip(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "unset"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _wire_style(p: Parameter) -> str:
    if p.media:
        return f"content {p.media}"
    parts = [p.style, "exploded" if p.explode else "not exploded"]
    return ", ".join(parts + (["allowReserved"] if p.allow_reserved else []))


def _schemes_used(api: Api) -> set[str]:
    requirements = [*api.security, *(r for op in api.operations for r in op.security or ())]
    return {name for requirement in requirements for name, _ in requirement}


# How a credential travels: (type, then where and under which name). Two schemes alike are
# one credential to a client, whatever the spec calls them.
_Presented = tuple[str, ...]
_BEARER: _Presented = ("http", "bearer")


def _presentation(scheme: Security) -> _Presented:
    if scheme.type == "apiKey":
        name = scheme.parameter.lower() if scheme.location == "header" else scheme.parameter
        return ("apiKey", scheme.location, name)
    if scheme.type == "http":
        return ("http", scheme.scheme)
    return (scheme.type, scheme.name)  # oauth2, openIdConnect, mutualTLS: the scheme itself


def _presented(api: Api, alternative: Requirement) -> frozenset[_Presented]:
    schemes = {s.name: s for s in api.security_schemes}
    return frozenset(_presentation(schemes[n]) if n in schemes else ("unknown", n) for n, _ in alternative)


def _sent(api: Api, requirements: tuple[Requirement, ...], inherited: bool) -> set[_Presented]:
    """What a client generated from `api` sends, given every credential it takes, where
    `requirements` apply. With no requirement, an operation that inherits (not `security: []`)
    sends whatever it is given: every declared scheme, or, where the spec declares none, an
    `api_key` as a bearer token (render/connection.py)."""
    if not requirements:
        if not inherited:
            return set()
        return {_presentation(s) for s in api.security_schemes} or {_BEARER}
    return {p for alternative in requirements for p in _presented(api, alternative)}


def _security_source(api: Api, op: Operation | None = None) -> Source | None:
    """The `security` entry that applies: the operation's own, else the API's (located at
    the document's top where it has none)."""
    if op is not None and op.security is not None and op.source is not None:
        return Source(op.source.file, op.source.pointer + "/security")
    return Source(api.sources[0], "#/security") if api.sources else None


def _scheme_source(api: Api, name: str) -> Source | None:
    return Source(api.sources[0], pointer_join("#/components/securitySchemes", name)) if api.sources else None


def _scopes(alternative: Requirement) -> set[str]:
    return {f"{name}:{scope}" for name, scopes in alternative for scope in scopes}


def _alt(alternative: Requirement) -> str:
    return " + ".join(f"`{name}`" + (f" ({', '.join(scopes)})" if scopes else "") for name, scopes in alternative)


def _scheme(s: Security) -> str:
    return " ".join(part for part in (s.type, s.scheme, s.location, s.parameter) if part)


def _same_shape(x: Type, y: Type) -> bool:
    """Could `y` be `x` changed? Same shape (and, for primitives, the same kind)."""
    if isinstance(x, Primitive) and isinstance(y, Primitive):
        return x.kind == y.kind
    return type(x) is type(y)


def _tag(model: Model) -> tuple[str, str | int | float | bool] | None:
    """The (field, value) a variant is told apart by: its one-value `type`-like field."""
    for f in model.fields:
        if f.required and isinstance(f.type, Literal) and len(f.type.values) == 1 and not f.type.open:
            return f.wire_name, f.type.values[0]
    return None


def _members(t: Type) -> tuple[Type, ...]:
    return t.members if isinstance(t, Union_) else (t,)


def _one(types: list[Type]) -> Type:
    return types[0] if len(types) == 1 else Union_(tuple(types))


def _kind(value: object) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str"}.get(type(value), "any")


def _values(values: list[str | int | float | bool]) -> str:
    return ", ".join(repr(v) for v in values)


def _same_default(a: JsonValue | _Missing, b: JsonValue | _Missing) -> bool:
    return (a is MISSING) == (b is MISSING) and (a is MISSING or a == b)


def _show(value: JsonValue | _Missing | float | None) -> str:
    return "unset" if value is MISSING or value is None else json.dumps(value)


def describe(t: Type) -> str:
    """A short human spelling of a type, for messages."""
    if isinstance(t, Primitive):
        return {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(t.kind, t.kind)
    if isinstance(t, Literal):
        return ("one of " if not t.open else "a string like ") + _values(list(t.values))
    if isinstance(t, Array):
        return f"array of {describe(t.item)}"
    if isinstance(t, Map):
        return f"map of {describe(t.value)}"
    if isinstance(t, Ref):
        return t.name
    return " | ".join(describe(m) for m in t.members) or "nothing"


def _paging(pagination: Pagination | None) -> str:
    """How a caller walks the pages: "" when the result is not a page, "single" when it has one."""
    return "" if pagination is None else pagination.style
