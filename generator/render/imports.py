"""Import lines in the order ruff's isort rule (I001) gives them, for the modules whose
imports the renderer settles from the names their views use: ruff's linter need not read
those to prune and sort their imports (writer.format_files)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def member_order(names: Iterable[str]) -> list[str]:
    """The names of one `from x import ...` as ruff orders them: CONSTANTS, then Classes,
    then the rest, each group case-insensitively in natural order (`Item2` before `Item10`)."""
    return sorted(set(names), key=_member_key)


_Natural = list[tuple[int, int, str]]


def _member_key(name: str) -> tuple[int, tuple[_Natural, _Natural, str]]:
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, _text_key(name)


def _text_key(text: str) -> tuple[_Natural, _Natural, str]:
    """Case-insensitively in natural order, then as written; last the text itself (`Item002`
    before `Item2`)."""
    return _natural(text.lower()), _natural(text), text


def _natural(text: str) -> _Natural:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def module_order(modules: Iterable[str]) -> list[str]:
    """Modules of one section as ruff orders them: case-insensitively in natural order."""
    return sorted(set(modules), key=_text_key)


FUTURE = ["from __future__ import annotations"]  # every generated module's first section

# What the generated modules take from typing.
TYPING = frozenset({"TYPE_CHECKING", "Annotated", "Any", "Dict", "List", "Literal", "Protocol", "Required",
                    "TypeAlias", "TypedDict", "overload"})  # fmt: skip


def from_typing(names: Iterable[str]) -> list[str]:
    """`from typing import ...` of those of `names` that typing gives, or nothing."""
    used = member_order(TYPING.intersection(names))
    return [f"from typing import {', '.join(used)}"] if used else []


def from_module(module: str, names: Iterable[str], renamed: dict[str, str] | None = None) -> list[str]:
    """`from module import ...` as ruff writes it: the names kept as they are on one line, each
    renamed one (`_runtime as _rt`) on its own, the lines ordered by their first name."""
    plain = member_order(names)
    lines = [(plain[0], f"from {module} import {', '.join(plain)}")] if plain else []
    lines += [(name, f"from {module} import {name} as {alias}") for name, alias in (renamed or {}).items()]
    return [line for _, line in sorted(lines, key=lambda pair: _member_key(pair[0]))]


def block(*sections: list[str]) -> str:
    """An import block: its sections (future, standard library, third party, first party,
    local) one blank line apart, the empty ones left out."""
    return "\n\n".join("\n".join(lines) for lines in sections if lines)
