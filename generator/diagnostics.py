"""Problems found in a spec, as values: where (file, line, JSON pointer), what, and how bad.

Every stage reports through these instead of raising, so a user sees all problems at once
and never a Python traceback for a mistake in their document.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    file: str
    pointer: str = ""
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        where = os.path.relpath(self.file) if os.path.isabs(self.file) else self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        return where


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    location: Location
    message: str
    rule: str

    def __str__(self) -> str:
        pointer = self.location.pointer or "#"
        return f"{self.location}  {pointer}  {self.level.value}: {self.message}  [{self.rule}]"

    def as_warning(self) -> Diagnostic:
        return Diagnostic(Level.WARNING, self.location, self.message, self.rule)


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


def escape_pointer_token(token: str | int) -> str:
    token = str(token)
    return token.replace("~", "~0").replace("/", "~1") if "~" in token or "/" in token else token


def pointer_join(pointer: str, *tokens: str | int) -> str:
    if len(tokens) == 1:  # nearly every call
        return f"{pointer}/{escape_pointer_token(tokens[0])}"
    return pointer + "".join("/" + escape_pointer_token(t) for t in tokens)
