"""The view of API.md: one row per operation."""

from __future__ import annotations

from ..ir import Api


def doc_rows(api: Api) -> list[tuple[str, str, str, str]]:
    rows = []
    for op in api.operations:
        call = "client." + ".".join((*op.resource, op.name)) + "()"
        summary = op.summary.split("\n")[0].replace("|", "\\|")
        rows.append((f"{op.http_method} {op.path}", call, summary, "deprecated" if op.deprecated else ""))
    return rows
