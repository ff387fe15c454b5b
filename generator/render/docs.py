"""The view of API.md: one row per operation, naming every method that calls it."""

from __future__ import annotations

from ..ir import Api, Operation


def doc_rows(api: Api) -> list[tuple[str, str, str, str]]:
    """(route, its methods as Markdown, summary, note) per operation."""
    rows = []
    for op in api.operations:
        summary = op.summary.split("\n")[0].replace("|", "\\|")
        rows.append((f"{op.http_method} {op.path}", _calls(op), summary, "deprecated" if op.deprecated else ""))
    return rows


def _calls(op: Operation) -> str:
    """The method, then its aliases (`permissions.retrieve`, which warns, says so)."""

    def call(name: str) -> str:
        return "`client." + ".".join((*op.resource, name)) + "()`"

    names = [call(op.name), *map(call, op.aliases)]
    names += [f"{call(alias)} (deprecated alias)" for alias, _ in op.deprecated_aliases]
    return "<br>".join(names)
