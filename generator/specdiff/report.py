"""The diff's findings as text (default), Markdown (a PR comment), JSON (for tools), GitHub
Actions annotations (each finding on its line in the pull request's files) or a JUnit XML
report (for CI systems that read test results)."""

from __future__ import annotations

import json
import os
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


_ANNOTATION = {Level.BREAKING: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _escape(value: str, in_property: bool = False) -> str:
    """GitHub's workflow-command escaping: data keeps `%`, CR and LF out; properties `:` and `,` too."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if in_property else value


def _in_checkout(f: Finding) -> tuple[str, int | None, int] | None:
    """Where a CI system shows a finding: the new document's line, or the old one's for what
    was removed, relative to the working folder; None for a file not in the checkout (a
    `REF:path` extracted with --base)."""
    where = f.new or f.old
    if where is None or not os.path.exists(where.file):
        return None
    return os.path.relpath(where.file), where.line, where.col or 1


def _described(f: Finding) -> str:
    return f.message + (f" (affects {_symbols(f.symbols)})" if f.symbols else "")


def github(findings: list[Finding], hidden: int) -> str:
    """`::error file=F,line=L,col=C,title=RULE::message` per finding (breaking: error, warning:
    warning, info: notice)."""
    lines = []
    for f in findings:
        properties = []
        place = _in_checkout(f)
        if place is not None:
            file, line, col = place
            properties.append(f"file={_escape(file, True)}")
            if line is not None:
                properties += [f"line={line}", f"col={col}"]
        properties.append(f"title={_escape(f.rule, True)}")
        lines.append(f"::{_ANNOTATION[f.level]} {','.join(properties)}::{_escape(_described(f))}")
    lines.append(f"API changes: {summary(findings, hidden)}")
    return "\n".join(lines) + "\n"


def junit(findings: list[Finding], hidden: int) -> str:
    """One test case per finding, named by its rule, in one suite: a breaking finding fails its
    case; warnings and news pass, their text in `system-out`."""
    from xml.sax.saxutils import escape as xml_escape  # (imports urllib: only when asked for)
    from xml.sax.saxutils import quoteattr

    failures = sum(f.level is Level.BREAKING for f in findings)
    cases = []
    for f in findings:
        place = _in_checkout(f)
        where = f' file={quoteattr(place[0])} line="{place[1] or 0}"' if place else ""
        body = f"{f.level}: {_described(f)}\nold: {_where(f.old)}\nnew: {_where(f.new)}"
        case = f"    <testcase classname={quoteattr(f.rule)} name={quoteattr(f.message)}{where}>\n"
        if f.level is Level.BREAKING:
            case += (
                f"      <failure type={quoteattr(f.rule)} message={quoteattr(f.message)}>{xml_escape(body)}</failure>\n"
            )
        else:
            case += f"      <system-out>{xml_escape(body)}</system-out>\n"
        cases.append(case + "    </testcase>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="ftgen diff" tests="{len(findings)}" failures="{failures}">\n'
        f'  <testsuite name={quoteattr("API changes: " + summary(findings, hidden))} tests="{len(findings)}"'
        f' failures="{failures}" errors="0" skipped="0">\n' + "".join(cases) + "  </testsuite>\n</testsuites>\n"
    )


FORMATS = {"text": text, "markdown": markdown, "json": as_json, "github": github, "junit": junit}
