"""A function's parameters as values (`Arg`), and how one is laid out on its line."""

from __future__ import annotations

from dataclasses import dataclass

from ..annotate import Annotation


@dataclass(frozen=True)
class Arg:
    """One parameter of a generated function."""

    name: str
    annotation: Annotation
    default: str | None = None  # a Python expression; None: the caller must pass it
    omittable: bool = False  # `X | _rt.Omit = _rt.OMIT`: sent only when the caller passes it

    @property
    def annotation_text(self) -> str:
        return f"{self.annotation} | _rt.Omit" if self.omittable else self.annotation.text

    @property
    def default_text(self) -> str | None:
        return "_rt.OMIT" if self.omittable else self.default

    @property
    def union(self) -> bool:
        return self.annotation.union or self.omittable

    def __str__(self) -> str:
        default = self.default_text
        return f"{self.name}: {self.annotation_text}" + (f" = {default}" if default is not None else "")


PARAMETER_INDENT = 8  # every parameter list is printed in a method, one parameter a line


def parameter(arg: Arg | str, line_length: int) -> str:
    """One parameter on its line, its annotation parenthesized when a union makes the line
    too long, as black formats it (and ruff keeps); left bare, ruff would split it at each `|`
    and black would then reformat the file. Generated code is stable under both. A string is
    a parameter without an annotation (`*`)."""
    text = str(arg)
    if isinstance(arg, str) or PARAMETER_INDENT + len(text) + 1 <= line_length or not arg.union:
        return text
    default = arg.default_text
    return f"{arg.name}: ({arg.annotation_text})" + (f" = {default}" if default is not None else "")
