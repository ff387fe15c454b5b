"""The diff's findings as text (default), Markdown (a PR comment) or JSON (for tools)."""

from __future__ import annotations

import json
from collections import Counter

from ..diagnostics import Location
from .compare import Finding
from .rules import Level

SHOWN_SYMBOLS = 5


def summary(findings: list[Finding], hidden: int) -> str:
    counts = Counter(f.level for f in findings)
    text = ", ".join(f"{counts[level]} {level}" for level in sorted(Level, reverse=True))
    if hidden:
        text += f"; {hidden} description change(s) hidden (--descriptions shows them)"
    return text


def _where(location: Location | None) -> str:
    return f"{location}  {location.pointer}" if location else "-"


def _symbols(symbols: tuple[str, ...]) -> str:
    shown = ", ".join(symbols[:SHOWN_SYMBOLS])
    more = len(symbols) - SHOWN_SYMBOLS
    return shown + (f" and {more} more" if more > 0 else "")


def text(findings: list[Finding], hidden: int) -> str:
    if not findings:
        return f"no changes ({summary(findings, hidden)})\n"
    lines = []
    for f in findings:
        lines.append(f"{f.level!s:<8}  {f.rule}  {f.message}")
        lines.append(f"          old  {_where(f.old)}")
        lines.append(f"          new  {_where(f.new)}")
        if f.symbols:
            lines.append(f"          affects  {_symbols(f.symbols)}")
    lines.append(summary(findings, hidden))
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(findings: list[Finding], hidden: int) -> str:
    lines = [f"### API changes: {summary(findings, hidden)}", ""]
    if not findings:
        return "\n".join(lines) + "No changes to the API.\n"
    lines += ["| level | rule | change | affects | where (old → new) |", "| --- | --- | --- | --- | --- |"]
    for f in findings:
        level = f"**{f.level}**" if f.level is Level.BREAKING else str(f.level)
        where = " → ".join(f"`{loc}`" if loc else "-" for loc in (f.old, f.new))
        symbols = _symbols(tuple(f"`{s}`" for s in f.symbols))
        lines.append(f"| {level} | `{f.rule}` | {_cell(f.message)} | {_cell(symbols)} | {_cell(where)} |")
    return "\n".join(lines) + "\n"


def _location(location: Location | None) -> dict[str, object] | None:
    if location is None:
        return None
    return {"file": location.file, "line": location.line, "column": location.col, "pointer": location.pointer}


def as_json(findings: list[Finding], hidden: int) -> str:
    counts = Counter(str(f.level) for f in findings)
    document = {
        "summary": {**{str(level): counts[str(level)] for level in Level}, "hidden": hidden},
        "findings": [
            {
                "rule": f.rule,
                "level": str(f.level),
                "message": f.message,
                "symbols": list(f.symbols),
                "old": _location(f.old),
                "new": _location(f.new),
            }
            for f in findings
        ],
    }
    return json.dumps(document, indent=2) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
