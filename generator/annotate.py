"""IR types to Python annotations, in the flavour each generated module needs.

- model: pydantic models (responses); closed enums are lenient at run time.
- param: request arguments; nested objects are TypedDicts (`FineTuneMethodParam`).
- strict (`constrained=True`): what a server accepts; bounds, lengths and patterns become
  `Field(...)` constraints, closed enums stay closed, and unions with a discriminator dispatch on it.
Spec values reach code only through `repr`, which always yields a valid, inert literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .ir import NONE, Array, Constraints, Literal, Map, Primitive, Ref, Type, Union_

PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "any": "Any",
    "none": "None",
}


# IR constraint -> pydantic Field keyword (lengths of strings, lists and maps are all max_length)
_FIELD_KEYWORDS = {
    "min_length": "min_length", "max_length": "max_length", "min_items": "min_length", "max_items": "max_length",
    "max_properties": "max_length", "min_properties": "min_length", "minimum": "ge", "maximum": "le",
    "exclusive_minimum": "gt", "exclusive_maximum": "lt", "multiple_of": "multiple_of",
}  # fmt: skip


# An absolute URI (RFC 3986): a scheme, then only characters a URI may hold.
URI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$"


def literal_values(values: tuple[object, ...]) -> str:
    return ", ".join(repr(v) for v in values)


def field_arguments(c: Constraints) -> str:
    """`Field(...)` keywords for constraints; values of the wrong type and patterns Python
    cannot compile are left out rather than written into code."""
    args = []
    for attr, keyword in _FIELD_KEYWORDS.items():
        value = getattr(c, attr)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            args.append(f"{keyword}={value!r}")
    if isinstance(c.pattern, str):
        try:
            re.compile(c.pattern)
            args.append(f"pattern={c.pattern!r}")
        except re.error:
            pass
    return ", ".join(args)


@dataclass(frozen=True)
class Annotation:
    """A Python annotation as a value: the text to print, and what is decided about it (never
    by reading the text back)."""

    text: str
    union: bool = False  # `A | B` at its top level (a long parameter is parenthesized)
    nullable: bool = False  # None is one of its values already
    model: str | None = None  # the model it is exactly, when it is one (`_models.Job`: "Job")
    # The module-level names the text refers to beside builtins and models (`Literal`, `List`,
    # `_Field`, `_params`): what the module that writes it imports.
    names: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return self.text


ANY = Annotation("Any", names=frozenset({"Any"}))
OR_NONE = Annotation("None", nullable=True)  # what `| None` adds
LITERAL = frozenset({"Literal"})
FIELD = frozenset({"Annotated", "_Field"})  # `Annotated[..., _Field(...)]`


def union(parts: list[Annotation]) -> Annotation:
    """`A | B | ...`, each once, as typing reads it; Any absorbs the rest."""
    unique = list({a.text: a for a in parts}.values())
    if len(unique) == 1:
        return unique[0]
    if any(a.text == "Any" for a in unique):
        return ANY
    names = frozenset().union(*(a.names for a in unique))
    return Annotation(" | ".join(a.text for a in unique), True, any(a.nullable for a in unique), names=names)


def literal(values: tuple[object, ...], nullable: bool = False) -> Annotation:
    """`Literal[...]` of `values` (`| None` too when `nullable`), naming what it uses."""
    annotation = Annotation(f"Literal[{literal_values(values)}]", names=LITERAL)
    return union([annotation, OR_NONE]) if nullable else annotation


def _module(dotted: str) -> frozenset[str]:
    """The module a prefix or a dotted name starts with (`_models.`, `_rt.FileInput`), as a
    name the annotation uses; none for a bare name."""
    return frozenset({dotted.split(".")[0]}) if "." in dotted else frozenset()


def _renamed(name: str, builtin: str) -> frozenset[str]:
    """typing's `List` where a method named `list` shadows the builtin: a name to import."""
    return frozenset() if name == builtin else frozenset({name})


@dataclass(frozen=True)
class Annotator:
    flavour: str = "model"  # model | param
    models: str = ""  # prefix for model names ("" inside models.py, "_models." elsewhere)
    params: str = ""  # prefix for TypedDict names
    lenient: bool = False  # wrap closed enums so unknown values still parse
    file_type: str = "bytes"  # what binary fields accept (uploads take file objects too)
    list_name: str = "list"  # `List` where a method named `list` shadows the builtin in class scope
    dict_name: str = "dict"
    constrained: bool = False  # write constraints as `Annotated[..., _Field(...)]`
    # type -> its annotation (and its optional one): a big spec's fields share few types (the
    # full OpenAI spec's render asks for 19,248 annotations of 5,844 types); `forget` empties them
    _made: dict[Type, Annotation] = field(default_factory=dict, init=False, repr=False, compare=False)
    _optional: dict[Type, Annotation] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __call__(self, t: Type) -> Annotation:
        made = self._made.get(t)
        if made is None:
            made = self._made[t] = self._annotation(t)
        return made

    def forget(self) -> None:
        self._made.clear()
        self._optional.clear()

    def _annotation(self, t: Type) -> Annotation:
        if isinstance(t, Primitive):
            return self._primitive(t)
        if isinstance(t, Literal):
            return self._literal(t)
        if isinstance(t, Array):
            item = self(t.item)
            names = item.names | _renamed(self.list_name, "list")
            return self._constrained(Annotation(f"{self.list_name}[{item}]", names=names), t.constraints)
        if isinstance(t, Map):
            key, value = "str", self(t.value)
            names = value.names | _renamed(self.dict_name, "dict")
            if self.constrained and isinstance(t.key_max_length, int) and not isinstance(t.key_max_length, bool):
                key = f"Annotated[str, _Field(max_length={t.key_max_length!r})]"
                names |= FIELD
            return self._constrained(Annotation(f"{self.dict_name}[{key}, {value}]", names=names), t.constraints)
        if isinstance(t, Ref):
            if self.flavour == "param":
                return Annotation(f"{self.params}{t.name}Param", names=_module(self.params))
            return Annotation(f"{self.models}{t.name}", model=t.name, names=_module(self.models))
        if isinstance(t, Union_):
            tagged = [m for m in t.members if m != NONE]
            members = union([self(m) for m in t.members])
            if self.constrained and t.discriminator and all(isinstance(m, Ref) for m in tagged) and members != ANY:
                # Dispatch on the tag: one member is tried, and its errors are the ones reported.
                tags = [self(m) for m in tagged]
                names = frozenset().union(*(a.names for a in tags)) | FIELD
                text = " | ".join(a.text for a in tags)
                choice = Annotation(f"Annotated[{text}, _Field(discriminator={t.discriminator!r})]", names=names)
                return union([choice, OR_NONE]) if NONE in t.members else choice
            return members
        raise TypeError(f"unknown IR type {t!r}")

    def _primitive(self, t: Primitive) -> Annotation:
        constraints = t.constraints
        if t.format == "uri" and constraints.pattern is None:  # JSON Schema's format, as a pattern
            constraints = replace(constraints, pattern=URI_PATTERN)
        if t.kind == "bytes":
            base = Annotation(self.file_type, names=_module(self.file_type))
        elif t.kind == "any":
            base = ANY
        else:
            base = Annotation(PRIMITIVES[t.kind], nullable=t.kind == "none")
        return self._constrained(base, constraints)

    def _constrained(self, annotation: Annotation, c: Constraints) -> Annotation:
        arguments = field_arguments(c) if self.constrained and c and annotation != ANY else ""
        if not arguments:
            return annotation
        return Annotation(f"Annotated[{annotation}, _Field({arguments})]", names=annotation.names | FIELD)

    def _literal(self, t: Literal) -> Annotation:
        if any(isinstance(v, float) for v in t.values):
            return Annotation("float")  # typing's Literal does not take floats
        text = literal(t.values)
        if t.open:
            return union([text, Annotation("str")])
        kinds = {type(v) for v in t.values}
        if self.lenient and kinds in ({str}, {int}):  # a bool or mixed enum stays closed
            # A value added after generation is kept: pydantic-core's smart union matches the
            # known literals first (exactly, in Rust), then the plain type.
            return union([text, Annotation("str" if kinds == {str} else "int")])
        return text

    def optional(self, t: Type) -> Annotation:
        """The annotation of a value that may also be None."""
        made = self._optional.get(t)
        if made is None:
            annotation = self(t)
            made = annotation if annotation.nullable or annotation == ANY else union([annotation, OR_NONE])
            self._optional[t] = made
        return made


def builtins_used(t: Type) -> set[str]:
    """The builtin names an annotation of `t` may write, in any flavour (a lenient closed enum
    adds `str` or `int`): a model's field may not take one, or it would shadow it there."""
    if isinstance(t, Primitive):
        return {PRIMITIVES[t.kind]}
    if isinstance(t, Literal):
        kinds = {type(v) for v in t.values}
        return (
            {"float"}
            if float in kinds
            else {"str"}
            if t.open or kinds == {str}
            else {"int"}
            if kinds == {int}
            else set()
        )
    if isinstance(t, Array):
        return {"list"} | builtins_used(t.item)
    if isinstance(t, Map):
        return {"dict", "str"} | builtins_used(t.value)
    if isinstance(t, Union_):
        return set().union(*(builtins_used(m) for m in t.members))
    return set()
