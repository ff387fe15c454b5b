"""Views of `layout = "package"`: the output as an installable distribution (a
`pyproject.toml` named and versioned from the spec's `info`, with the runtime's dependency
ranges, and a README with an example call per resource)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ir import Api, Literal, Operation, Primitive, Resource, Type, without_none

# What the generated code needs at run time: the ranges ftgen's own tests cover (pyproject.toml).
CLIENT_REQUIRES = ("httpx>=0.27", "pydantic>=2.11")
STUBS_REQUIRES = ("fastapi>=0.110",)
TOKENS_REQUIRES = ("bpe-openai>=0.1.4",)  # the training-file checker's token counts (an extra)
BUILD_REQUIRES = "setuptools>=77"


def distribution_version(version: str) -> str:
    """A PEP 440 version for `info.version`: the numbers it starts with, joined by dots
    (`2.3.0-beta` -> `2.3.0`, `2023-12-22` -> `2023.12.22`, `v1` -> `1`), else `0.0.0`."""
    numbers = re.match(r"\s*[vV]?(\d+(?:[.\-_]\d+)*)", version)
    return ".".join(str(int(n)) for n in re.split(r"[.\-_]", numbers[1])) if numbers else "0.0.0"


@dataclass(frozen=True)
class Example:
    attribute: str  # `fine_tuning.jobs`
    call: str  # `client.fine_tuning.jobs.create(model="...", training_file="...")`
    summary: str


def _placeholder(type_: Type) -> str:
    t = without_none(type_)
    if isinstance(t, Literal) and t.values:
        return repr(t.values[0])
    if isinstance(t, Primitive):
        return {"str": '"..."', "int": "1", "float": "1.0", "bool": "True"}.get(t.kind, "...")
    return "..."


def example(op: Operation) -> str:
    """A call with every required argument, each a placeholder of its type."""
    path = sorted((p for p in op.parameters if p.location == "path"), key=lambda p: op.path.find(f"{{{p.wire_name}}}"))
    args = [_placeholder(p.type) for p in path[-1:]]
    args += [f"{p.name}={_placeholder(p.type)}" for p in path[:-1]]
    args += [f"{p.name}={_placeholder(p.type)}" for p in op.parameters if p.location != "path" and p.required]
    if op.body and op.body.fields:
        args += [f"{f.name}={_placeholder(f.type)}" for f in op.body.fields if f.required]
    elif op.body and op.body.required:
        args.append(f"body={_placeholder(op.body.type)}")
    return "client." + ".".join((*op.resource, op.name)) + f"({', '.join(args)})"


def examples(api: Api) -> list[Example]:
    """One per resource that has operations: its first, preferring one that reads (list,
    retrieve) as the gentlest to try."""
    found = []
    for resource in api.root.walk():
        if not resource.operations:
            continue
        op = _first(resource)
        found.append(Example(".".join(resource.path) or "(client)", example(op), op.summary.split("\n")[0]))
    return found


def _first(resource: Resource) -> Operation:
    reads = [op for op in resource.operations if op.http_method == "GET"]
    return (reads or list(resource.operations))[0]
