"""Does the real service accept what the generated client sends? Each public spec under
tests/data/prism/ (README.md there: where each comes from, its licence, what it exercises) is
generated into a client and mocked by Prism (`@stoplight/prism-cli`, installed by `make test`
into tests/prism/ at the version its lock file pins), which checks every request and its
credentials against the spec as the service would. Every operation is called with arguments
valid for its schemas; each request must be accepted (no 401 or 422 from Prism) and each
response must parse. Exceptions are listed, with their reason, in EXPECTED below and README."""

from __future__ import annotations

import inspect
import json
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import find
from hypothesis import strategies as st

from conftest import ROOT
from generator.config import Settings
from generator.ir import MISSING, NONE, Api, Array, Literal, Map, Operation, Primitive, Ref, Type, Union_
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from

SPECS = sorted((ROOT / "tests" / "data" / "prism").glob("*.json"))
PRISM = ROOT / "tests" / "prism" / "node_modules" / ".bin" / "prism"

# Operations Prism fails on however they are called, each with why (also in README).
PRISM_CANNOT_SERIALIZE = "Prism answers 500 'Cannot find serializer': a 200 without content, whose content-type header it fills with a random word"
PRISM_NEEDS_A_SCHEMA = "Prism answers 500 'Tried to force a dynamic response ... but schema is not defined': a JSON response without a schema"
EXPECTED: dict[str, str] = {
    "carbone.io: GET /render/{renderId}": PRISM_CANNOT_SERIALIZE,
    "carbone.io: GET /template/{templateId}": PRISM_CANNOT_SERIALIZE,
    "microcks.local: GET /features/config": PRISM_NEEDS_A_SCHEMA,
    "microcks.local: DELETE /jobs/{id}": PRISM_NEEDS_A_SCHEMA,
    # A defect of the spec: BookDepreciationSetting `required: [name]` declares no `name`
    # property, so there is no argument for it (and Prism's own responses leave it out).
    "xero.com_xero_assets: POST /AssetTypes": "the spec requires a property it does not declare",
}


@dataclass
class Outcome:
    called: int = 0
    accepted: int = 0
    problems: list[str] = field(default_factory=list)


TOTALS: dict[str, Outcome] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prism() -> Path:
    assert PRISM.exists(), f"{PRISM} is missing: `make test` installs it (npm ci in tests/prism)"
    return PRISM


def mock(prism: Path, spec: Path) -> Iterator[str]:
    """Prism serving `spec` on 127.0.0.1; yields its URL once it says it listens."""
    port = free_port()
    process = subprocess.Popen(
        # Responses drawn from the schemas (not the specs' examples, which some contradict), the
        # same on every run. Requests are checked whatever the flags: a 401 or 422 says why.
        [
            str(prism),
            "mock",
            str(spec),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "--dynamic",
            "--seed",
            "ftgen",
            "--json-schema-faker-fillProperties=false",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # readiness: the line Prism prints once it accepts
        seen.append(line)
        if "Prism is listening on" in line:
            break
    else:
        raise AssertionError("Prism did not start:\n" + "".join(seen[-20:]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


# ---------------------------------------------------------------- schema-valid values
def text(primitive: Primitive) -> str:
    c = primitive.constraints
    if isinstance(c.pattern, str):
        shortest = max(1, c.min_length if isinstance(c.min_length, int) else 1)  # an empty value reads as none
        try:
            return find(st.from_regex(c.pattern, fullmatch=True), lambda s: len(s) >= shortest)
        except Exception:  # a pattern hypothesis cannot draw from: a plain value, and see
            pass
    by_format = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "email": "user@example.com",
                 "uuid": "123e4567-e89b-12d3-a456-426614174000", "uri": "https://example.com/x",
                 "url": "https://example.com/x", "ipv4": "192.0.2.1", "hostname": "example.com"}  # fmt: skip
    value = by_format.get(primitive.format or "", "text")
    low = c.min_length if isinstance(c.min_length, int) else 0
    high = c.max_length if isinstance(c.max_length, int) else None
    value = value.ljust(low, "x")
    return value[:high] if high is not None else value


def number(primitive: Primitive) -> int | float:
    c = primitive.constraints
    low = c.minimum if c.minimum is not None else (c.exclusive_minimum + 1 if c.exclusive_minimum is not None else None)
    high = (
        c.maximum if c.maximum is not None else (c.exclusive_maximum - 1 if c.exclusive_maximum is not None else None)
    )
    value = low if low is not None else (min(1, high) if high is not None else 1)
    return int(value) if primitive.kind == "int" else float(value)


def value(t: Type, api: Api, depth: int = 0) -> Any:
    """A value of `t` its schema accepts: the first enum value, the smallest within bounds,
    objects with their required fields."""
    if isinstance(t, Union_):
        members = [m for m in t.members if m != NONE]
        return value(members[0], api, depth) if members else None
    if isinstance(t, Literal):
        return t.values[0]
    if isinstance(t, Primitive):
        if t.kind == "str":
            return text(t)
        if t.kind in ("int", "float"):
            return number(t)
        return {"bool": True, "bytes": b"file contents", "none": None}.get(t.kind, "value")
    if isinstance(t, Array):
        count = t.constraints.min_items if isinstance(t.constraints.min_items, int) else 1
        return [value(t.item, api, depth + 1) for _ in range(max(count, 1))] if depth < 6 else []
    if isinstance(t, Map):
        return {}
    if isinstance(t, Ref):
        aliases = {a.name: a.type for a in api.aliases}
        if t.name in aliases:
            return value(aliases[t.name], api, depth)
        model = api.model(t.name)
        return {
            f.wire_name: (f.default if f.default is not MISSING else value(f.type, api, depth + 1))
            for f in model.fields
            if f.required and not f.read_only
        }
    return None


def call(client: Any, op: Operation, api: Api) -> Any:
    """The operation's method with every required argument (valid values) and credentials."""
    method = client
    for attribute in (*op.resource, op.name):
        method = getattr(method, attribute)
    path = sorted((p for p in op.parameters if p.location == "path"), key=lambda p: op.path.find(f"{{{p.wire_name}}}"))
    positional = [value(p.type, api) for p in path[-1:]]
    keywords = {p.name: value(p.type, api) for p in path[:-1]}
    keywords |= {p.name: value(p.type, api) for p in op.parameters if p.location != "path" and p.required}
    if op.body and op.body.fields:
        keywords |= {f.name: value(f.type, api) for f in op.body.fields if f.required}
    elif op.body and op.body.required:
        keywords["body"] = value(op.body.type, api)
    return method(*positional, **keywords)


def credentials(client_class: type) -> dict[str, Any]:
    """A value for every credential argument the constructor has."""
    given: dict[str, Any] = {}
    for name in inspect.signature(client_class).parameters:
        if name in ("base_url", "server", "timeout", "max_retries", "default_headers", "default_query", "http_client"):
            continue
        if name.endswith(("username", "client_id")):
            given[name] = "user"
        elif name.endswith(("password", "client_secret")):
            given[name] = "secret"
        elif name not in ("timeout",) and not re.fullmatch(r"[a-z_]*(version|region|host|port|scheme)", name):
            given[name] = "key-123"
    return given


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # deprecated operations are called too
@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_prism_accepts_every_request_and_every_response_parses(prism: Path, spec: Path, tmp_path: Path) -> None:
    package = re.sub(r"\W", "_", spec.stem).lower() + "_client"
    result = build(Settings(specs=(spec,), client_package=package, stubs_package=""))
    write_tree(result.files, tmp_path / "out")
    (client_module,) = import_from(tmp_path / "out", package)
    api = result.api
    outcome = TOTALS.setdefault(spec.stem, Outcome())
    with contextlib_mock(prism, spec) as url:
        client = client_module.Client(base_url=url, max_retries=0, **credentials(client_module.Client))
        for op in api.operations:
            label = f"{op.http_method} {op.path}"
            outcome.called += 1
            try:
                answer = call(client, op, api)
                if hasattr(answer, "close"):
                    answer.close()
                outcome.accepted += 1
            except client_module.APIStatusError as exc:
                why = exc.response.headers.get("sl-violations") or json.dumps(exc.body)
                outcome.problems.append(f"{label}: {exc.status_code} {why[:400]}")
            except client_module.APIResponseValidationError as exc:
                outcome.problems.append(f"{label}: the response does not parse: {exc.detail[:300]}")
    unexpected = [p for p in outcome.problems if f"{spec.stem}: {p.split(':')[0]}" not in EXPECTED]
    assert not unexpected, f"{len(unexpected)} of {outcome.called} operations of {spec.name}:\n" + "\n".join(unexpected)


def contextlib_mock(prism: Path, spec: Path) -> Any:
    import contextlib

    return contextlib.contextmanager(mock)(prism, spec)


def test_the_harness_covers_varied_security_and_servers() -> None:
    """What the specs exercise, read from them, so that the choice stays varied."""
    kinds: set[str] = set()
    servers: set[str] = set()
    for spec in SPECS:
        data = json.loads(spec.read_text())
        for scheme in (data.get("components") or {}).get("securitySchemes", {}).values():
            kinds.add(
                f"{scheme['type']}-{scheme.get('in') or scheme.get('scheme') or ','.join(scheme.get('flows', {}))}"
            )
        for server in data.get("servers") or [{"url": "/"}]:
            servers.add(
                "variables" if server.get("variables") else "relative" if server["url"].startswith("/") else "absolute"
            )
    assert len(SPECS) >= 10
    assert {"apiKey-header", "apiKey-query", "http-basic", "http-bearer"} <= kinds
    assert any(k.startswith("oauth2-") and "clientCredentials" in k for k in kinds)
    # Prism serves every path at its root whatever the server's path, so a relative server (which
    # the client resolves against base_url, tests/test_connect.py) is not among them.
    assert {"variables", "absolute"} <= servers
