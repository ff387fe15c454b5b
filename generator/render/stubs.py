"""Views of the server stubs: one FastAPI route and one `Service` method per operation."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..annotate import field_arguments
from ..ir import Operation, Primitive
from .models import MODEL_OUT, STRICT_OUT, response_parser


@dataclass
class StubView:
    name: str
    http_method: str
    path: str
    doc: str
    handler_args: list[str]
    service_args: list[str]
    call_args: list[str]
    body_model: str | None
    returns: str
    deep_objects: list[tuple[str, str]] = field(default_factory=list)
    status_code: int = 200


def stub_view(op: Operation, name: str) -> StubView:
    handler_args: list[str] = []
    service_args: list[str] = []
    call_args: list[str] = []
    deep: list[tuple[str, str]] = []
    for p in op.parameters:
        annotation = MODEL_OUT(p.type) if p.required else MODEL_OUT.optional(p.type)
        service_args.append(f"{p.name}: {annotation}")
        call_args.append(f"{p.name}={p.name}")
        if p.location == "query" and p.style == "deepObject":
            deep.append((p.name, p.wire_name))
            continue
        kind = {"path": "_fa.Path", "query": "_fa.Query", "header": "_fa.Header", "cookie": "_fa.Cookie"}[p.location]
        default = "" if p.required else " = None"
        bounds = field_arguments(p.type.constraints) if isinstance(p.type, Primitive) else ""
        options = ", ".join(filter(None, [f"alias={p.wire_name!r}", bounds]))
        handler_args.append(f"{p.name}: Annotated[{annotation}, {kind}({options})]{default}")
    body_model = None
    if op.body:
        if op.body.content_type == "application/json":
            annotation = STRICT_OUT(op.body.type) if op.body.required else STRICT_OUT.optional(op.body.type)
            default = "" if op.body.required else " = None"
            # A lone model is a body to FastAPI already; other types need saying so.
            plain = annotation.startswith("_bodies.") and " " not in annotation
            handler_args.append(
                f"body: {annotation}{default}" if plain else f"body: Annotated[{annotation}, _fa.Body()]{default}"
            )
            service_args.append(f"body: {annotation}")
            body_model = annotation
        else:
            service_args.append("body: bytes")  # non-JSON bodies reach the service as raw bytes
            call_args.append("body=await _request.body()")
            body_model = "bytes"
    if op.body and op.body.content_type == "application/json":
        call_args.append("body=body")
    _, returns = response_parser(op)
    returns = "bytes" if returns == "str" else returns
    doc = (op.summary or op.operation_id) + f"\n\n`{op.http_method} {op.path}`"
    return StubView(
        name,
        op.http_method.lower(),
        op.path,
        doc,
        handler_args,
        service_args,
        call_args,
        body_model,
        returns,
        deep,
        op.status_code,
    )
