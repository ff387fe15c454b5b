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
class Rule:
    """A kind of problem: its id, the level it is reported at, and whether `--strict` makes a
    warning of it an error."""

    id: str
    level: Level
    about: str
    strict: bool = True  # a warning that --strict raises (every warning, so far)


_E, _W = Level.ERROR, Level.WARNING
RULES: dict[str, Rule] = {rule.id: rule for rule in (
    # Reading: the documents cannot be had, or are not YAML/JSON an OpenAPI document can be.
    Rule("unreadable", _E, "a file or URL that cannot be read"),
    Rule("yaml-syntax", _E, "YAML that does not parse, or holds what JSON cannot"),
    Rule("json-syntax", _E, "JSON that does not parse, or holds NaN or Infinity"),
    Rule("duplicate-key", _E, "a mapping key written twice; a parser would silently keep one"),
    Rule("nesting-too-deep", _E, "nested past the bound every later stage recurses within"),
    Rule("too-large", _E, "more nodes than the bound (YAML aliases expanding)"),
    Rule("no-spec", _E, "no OpenAPI document given or found"),
    Rule("empty-document", _E, "a document with nothing in it"),
    Rule("not-a-mapping", _E, "a document that is not a mapping"),
    Rule("missing-version", _E, "no `openapi` field"),
    Rule("unsupported-version", _E, "Swagger 2.0, or an OpenAPI version not 3.x"),
    # References.
    Rule("ref-invalid", _E, "a `$ref` that is not a string"),
    Rule("ref-remote", _E, "a `$ref` to the network (never followed)"),
    Rule("ref-outside", _E, "a `$ref` out of the spec's folder, without --allow-outside"),
    Rule("ref-missing", _E, "a `$ref` to a file or pointer that does not exist"),
    # The spec's content: openapi-spec-validator's findings, and what the generator works around.
    Rule("openapi-schema", _W, "against OpenAPI's own schema (openapi-spec-validator's checks)"),
    Rule("validator-crash", _W, "the schema checks could not run to the end"),
    Rule("name-collision", _W, "two schemas wanting one class name; one is named by its place"),
    Rule("duplicate-operation-id", _W, "an operationId used twice; the later operation is renamed"),
    Rule("duplicate-operation", _E, "two operations for one method and path"),
    Rule("recursive-alias", _W, "a schema that refers to itself with no object between; typed Any"),
    Rule("invalid-schema", _E, "a schema keyword with a value the generator cannot read"),
    Rule("empty-selection", _E, "a selection (--include-tag, --include-path) that matches nothing"),
    # The run's settings and output.
    Rule("config", _E, "a [tool.ftgen] value, or a command-line setting, that cannot be used"),
    Rule("config-unknown-key", _W, "a [tool.ftgen] key ftgen does not know (a typo?)"),
    Rule("output-refused", _E, "an output folder ftgen may not write into"),
    Rule("output-unwritable", _E, "an output folder the system does not let ftgen write"),
    Rule("git", _E, "a --base that git cannot give"),
    Rule("generator-bug", _E, "ftgen wrote invalid Python: a bug of ftgen's"),
)}  # fmt: skip


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    location: Location
    message: str
    rule: str

    @classmethod
    def of(cls, rule: str, location: Location, message: str) -> Diagnostic:
        """A problem at its rule's level (`RULES`); an unknown rule id is a bug (KeyError)."""
        return cls(RULES[rule].level, location, message, rule)

    def __str__(self) -> str:
        pointer = self.location.pointer or "#"
        return f"{self.location}  {pointer}  {self.level.value}: {self.message}  [{self.rule}]"

    def as_error(self) -> Diagnostic:
        return Diagnostic(Level.ERROR, self.location, self.message, self.rule)


def strictly(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """With --strict, the warnings whose rule says so are errors; the one place this is decided."""
    if not strict:
        return diagnostics
    return [d.as_error() if d.level is Level.WARNING and RULES[d.rule].strict else d for d in diagnostics]


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
