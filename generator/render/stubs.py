"""Views of the server stubs: one FastAPI route and one `Service` method per operation."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..annotate import Annotation, field_arguments
from ..ir import Api, Array, Encoding, Map, Operation, Parameter, Primitive, Ref, Type, without_none
from .client import style_args
from .connection import security_expression
from .imports import FUTURE, block, from_module, from_typing
from .models import MODEL_OUT, STRICT_OUT, event_parser, response_parser
from .signature import Arg


@dataclass
class StubView:
    name: str
    http_method: str
    path: str
    doc: str
    handler_args: list[Arg]
    service_args: list[Arg]
    call_args: list[str]
    body_model: str | None
    returns: str
    readers: list[tuple[str, str, str]] = field(default_factory=list)  # (variable, argument, reader)
    status_code: int = 200
    body_reader: str | None = None  # how the handler reads a non-JSON body
    operation: str = ""  # as a server's messages name it: `createJob (POST /jobs)`
    security: str = "_SECURITY"  # the requirements a request must meet: the API's, or its own
    # What the service's method and the app's route write beside builtins (`Literal`, `_models`):
    # what service.py and app.py import (`stub_imports`).
    service_names: frozenset[str] = frozenset()
    app_names: frozenset[str] = frozenset()


def wire_shape(api: Api, t: Type) -> tuple[str, tuple[str, ...] | None]:
    """What a parameter is read into (scalar, array, object), and an object's own keys (None:
    any key, for maps and models that take extra properties)."""
    t = without_none(t)
    if isinstance(t, Ref):
        aliases = {a.name: a.type for a in api.aliases}
        if t.name in aliases:
            return wire_shape(api, aliases[t.name])
        model = api.model(t.name)
        return "object", None if model.extra else tuple(f.wire_name for f in model.fields)
    if isinstance(t, Array):
        return "array", ()
    if isinstance(t, Map):
        return "object", None
    return "scalar", ()


def _style_expr(style: str, explode: bool, allow_reserved: bool, media: str | None) -> str:
    return f"_wire.Style({style_args(style, explode, allow_reserved, media)})"  # as the client writes it


def _reader(api: Api, op: Operation, p: Parameter, annotation: str) -> str:
    shape, keys = wire_shape(api, p.type)
    segments = op.path.split("?")[0].split("/")
    whole = f"{{{p.wire_name}}}"
    options = [f"required={p.required}"]
    if p.location == "path" and whole in segments:
        options.append(f"segment={segments.index(whole) - len(segments)}")  # from the end: mounts add
    if keys != ():
        options.append(f"keys={keys!r}")
    style = _style_expr(p.style, p.explode, p.allow_reserved, p.media)
    return (
        f"_server.Parameter({p.location!r}, {p.wire_name!r}, {style}, {shape!r}, {annotation}, "
        + ", ".join(options)
        + ")"
    )


def _native(api: Api, p: Parameter) -> bool:
    """FastAPI reads it exactly as the client writes it: a plain value in its default style."""
    return p.location != "path" and p.default_style and wire_shape(api, p.type)[0] == "scalar"


def _form_reader(api: Api, op: Operation, model: str) -> str:
    assert op.body is not None
    encoding = dict(op.body.encoding)
    fields = []
    for f in api.model(op.body.model).fields if op.body.model else ():
        e = encoding.get(f.wire_name, Encoding())
        style = _style_expr(e.style, e.explode, e.allow_reserved, e.content_type)
        shape, keys = wire_shape(api, f.type)
        fields.append(f"{f.wire_name!r}: ({style}, {shape!r}, {keys!r})")
    return f"await _server.form_body(_request, {model}, {{{', '.join(fields)}}})"


def stub_view(api: Api, op: Operation, name: str) -> StubView:
    handler_args: list[Arg] = []
    service_args: list[Arg] = []
    call_args: list[str] = []
    readers: list[tuple[str, str, str]] = []
    app_names: set[str] = set()  # beside the handler's arguments'
    for p in op.parameters:
        annotation = MODEL_OUT(p.type) if p.required else MODEL_OUT.optional(p.type)
        service_args.append(Arg(p.name, annotation))
        call_args.append(f"{p.name}={p.name}")
        if not _native(api, p):
            readers.append((f"_{name}_{p.name}", p.name, _reader(api, op, p, annotation.text)))
            app_names |= annotation.names | {"_wire"}
            if p.location == "path":  # declared for the app's OpenAPI document; read raw above
                declared = Annotation(
                    f"Annotated[str, _fa.Path(alias={p.wire_name!r})]", names=frozenset({"Annotated"})
                )
                handler_args.append(Arg(f"_path_{p.name}", declared))
            continue
        kind = {"query": "_fa.Query", "header": "_fa.Header", "cookie": "_fa.Cookie"}[p.location]
        bounds = field_arguments(p.type.constraints) if isinstance(p.type, Primitive) else ""
        options = ", ".join(filter(None, [f"alias={p.wire_name!r}", bounds]))
        read = Annotation(f"Annotated[{annotation}, {kind}({options})]", names=annotation.names | {"Annotated"})
        handler_args.append(Arg(p.name, read, None if p.required else "None"))
    body_model = None
    body_reader = None
    if op.body:
        media = op.body.content_type
        if media == "application/json":
            annotation = STRICT_OUT(op.body.type) if op.body.required else STRICT_OUT.optional(op.body.type)
            default = None if op.body.required else "None"
            # A lone model is a body to FastAPI already; other types need saying so.
            declared = (
                annotation
                if annotation.model
                else Annotation(f"Annotated[{annotation}, _fa.Body()]", names=annotation.names | {"Annotated"})
            )
            handler_args.append(Arg("body", declared, default))
            service_args.append(Arg("body", annotation))
            call_args.append("body=body")
            body_model = annotation.text
        elif media in ("multipart/form-data", "application/x-www-form-urlencoded") and op.body.model:
            form = STRICT_OUT(op.body.type)
            body_model = form.text
            service_args.append(Arg("body", form))
            body_reader = _form_reader(api, op, body_model)
            app_names |= form.names | {"_wire"}
            call_args.append("body=body")
        elif media.startswith("text/"):
            service_args.append(Arg("body", Annotation("str")))  # text bodies reach the service decoded
            body_reader = "(await _request.body()).decode()"
            call_args.append("body=body")
            body_model = "str"
        else:
            service_args.append(Arg("body", Annotation("bytes")))  # other bodies reach the service as raw bytes
            body_reader = "await _request.body()"
            call_args.append("body=body")
            body_model = "bytes"
    returned = response_parser(op)[1]
    returns, returns_names = returned.text, set(returned.names)
    if op.response_kind == "events":  # the service yields the events; they are sent as they come
        returns = f"AsyncIterator[{returns}]"
        returns_names.add("AsyncIterator")
    elif op.stream_field and op.events is not None:
        event = event_parser(op)[1]
        returns = f"{'bytes' if returns == 'str' else returns} | AsyncIterator[{event}]"
        returns_names |= event.names | {"AsyncIterator"}
    else:
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
        readers,
        op.status_code,
        body_reader,
        f"{op.operation_id} ({op.http_method} {op.path})",
        "_SECURITY" if op.security is None else security_expression(op.security),
        frozenset().union(returns_names, *(a.annotation.names for a in service_args)),
        frozenset().union(app_names, *(a.annotation.names for a in handler_args)),
    )


def stub_imports(stubs: list[StubView], client: str) -> tuple[str, str]:
    """service.py's import block and app.py's: what their views write, in ruff's order (the
    formatter's lint pass skips both)."""
    service = set().union(*(s.service_names for s in stubs))
    app = set().union(*(s.app_names for s in stubs)) | {"Any"}  # create_app's keyword arguments
    service_block = block(
        FUTURE,
        (["from collections.abc import AsyncIterator"] if "AsyncIterator" in service else [])
        + from_typing(service | {"Protocol"}),
        ["from pydantic import Field as _Field"] if "_Field" in service else [],
        [f"from {client} import models as _models"] if "_models" in service else [],
        from_module(".", [], {"bodies": "_bodies"} if "_bodies" in service else {})
        + ["from ._server import APIException"],
    )
    constants = ["SCHEMES"] if stubs else []  # each route authorizes its request
    constants += ["SECURITY"] if any(s.security == "_SECURITY" for s in stubs) else []
    app_block = block(
        FUTURE,
        from_typing(app),
        ["import fastapi as _fa"]
        + (["from fastapi.responses import Response as _Response"] if stubs else [])
        + (["from pydantic import Field as _Field"] if "_Field" in app else []),
        ([f"from {client} import models as _models"] if "_models" in app else [])
        + [f"from {client}._constants import {name} as _{name}" for name in constants],
        from_module(
            ".", ["_server", *(["_wire"] if "_wire" in app else [])], {"bodies": "_bodies"} if "_bodies" in app else {}
        )
        + ["from .service import Service"],
    )
    return service_block, app_block
