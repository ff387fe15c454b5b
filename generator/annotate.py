"""IR types to Python annotations, in the flavour each generated module needs.

- model: pydantic models (responses); closed enums are lenient at run time.
- param: request arguments; nested objects are TypedDicts (`FineTuneMethodParam`).
Spec values reach code only through `repr`, which always yields a valid, inert literal.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ir import NONE, Array, Literal, Map, Primitive, Ref, Type, Union_

PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "any": "Any",
    "none": "None",
}


def literal_values(values: tuple[object, ...]) -> str:
    return ", ".join(repr(v) for v in values)


@dataclass(frozen=True)
class Annotator:
    flavour: str = "model"  # model | param
    models: str = ""  # prefix for model names ("" inside models.py, "_models." elsewhere)
    params: str = ""  # prefix for TypedDict names
    lenient: bool = False  # wrap closed enums so unknown values still parse
    file_type: str = "bytes"  # what binary fields accept (uploads take file objects too)
    list_name: str = "list"  # `List` where a method named `list` shadows the builtin in class scope
    dict_name: str = "dict"

    def __call__(self, t: Type) -> str:
        if isinstance(t, Primitive):
            return self.file_type if t.kind == "bytes" else PRIMITIVES[t.kind]
        if isinstance(t, Literal):
            return self._literal(t)
        if isinstance(t, Array):
            return f"{self.list_name}[{self(t.item)}]"
        if isinstance(t, Map):
            return f"{self.dict_name}[str, {self(t.value)}]"
        if isinstance(t, Ref):
            return f"{self.params}{t.name}Param" if self.flavour == "param" else f"{self.models}{t.name}"
        if isinstance(t, Union_):
            parts: list[str] = []
            for member in t.members:
                text = self(member)
                if text not in parts:
                    parts.append(text)
            if "Any" in parts:
                return "Any"
            return " | ".join(parts)
        raise TypeError(f"unknown IR type {t!r}")

    def _literal(self, t: Literal) -> str:
        if any(isinstance(v, float) for v in t.values):
            return "float"  # typing's Literal does not take floats
        text = f"Literal[{literal_values(t.values)}]"
        if t.open:
            return f"{text} | str"
        if self.lenient:
            return f"Annotated[{text}, _LenientEnum]"
        return text

    def optional(self, t: Type) -> str:
        """The annotation of a value that may also be None."""
        text = self(t)
        if t == NONE or text == "Any" or text.endswith("| None"):
            return text
        return f"{text} | None"
