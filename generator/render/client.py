"""Views of the client: one resource class per path group, one method per operation."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Body, Field, Literal, Operation, Parameter, Primitive, Ref, Resource
from .models import MODEL_OUT, PARAM, default_doc, response_parser


@dataclass
class MethodView:
    name: str
    doc: str
    args: list[str]
    returns: str
    prelude: list[str]
    call: str
    is_async_def: bool
    aliases: tuple[str, ...] = ()  # the same method under other names (`[tool.ftgen.methods]`)


@dataclass
class WaitView:
    """A `wait` helper for a resource of long-running jobs (retrieve + events + a status)."""

    id_arg: str
    job: str
    event: str
    terminal: tuple[str, ...]
    events_call: str  # the listing of the job's events, from the resource: `events.list`


@dataclass
class ResourceView:
    class_name: str
    doc: str
    children: list[tuple[str, str]]  # (attribute, class name)
    methods: list[MethodView]
    wait: WaitView | None = None


def _arg(name: str, annotation: str, required: bool) -> str:
    if required:
        return f"{name}: {annotation}"
    return f"{name}: {annotation} | _rt.Omit = _rt.OMIT"


def _dict_expr(entries: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key!r}: {value}" for key, value in entries) + "}"


def style_args(style: str, explode: bool, allow_reserved: bool, media: str | None) -> str:
    args = [repr(style), str(explode)]
    if allow_reserved or media:
        args.append(str(allow_reserved))
    if media:
        args.append(repr(media))
    return ", ".join(args)


def _value(p: Parameter) -> str:
    """The argument as the call passes it on: with its style, where not the location's default."""
    if p.default_style:
        return p.name
    return f"_rt.styled({p.name}, {style_args(p.style, p.explode, p.allow_reserved, p.media)})"


def _encoding_expr(body: Body) -> str | None:
    entries = [
        (wire, f"_rt.Style({style_args(e.style, e.explode, e.allow_reserved, e.content_type)})")
        for wire, e in body.encoding
    ]
    return _dict_expr(entries) if entries and body.content_type in FORMS else None


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def method_view(op: Operation, is_async: bool, stream: bool = False) -> MethodView:
    """The method of an operation; with `stream`, the companion that streams a binary response."""
    # As openai-python: the last path parameter (the object acted on) is the one positional
    # argument; the ones before it (its parents) are keyword arguments.
    path_params = sorted(
        (p for p in op.parameters if p.location == "path"), key=lambda p: op.path.find(f"{{{p.wire_name}}}")
    )
    other_params = [p for p in op.parameters if p.location != "path"]
    body_fields: tuple[Field, ...] = op.body.fields if op.body else ()
    args: list[str] = [f"{p.name}: {PARAM(p.type)}" for p in path_params[-1:]]
    args.append("*")
    keyword_args: list[tuple[bool, str]] = [(True, f"{p.name}: {PARAM(p.type)}") for p in path_params[:-1]]
    for p in other_params:
        annotation = PARAM(p.type)
        keyword_args.append((p.required, _arg(p.name, annotation, p.required)))
    for f in body_fields:
        keyword_args.append((f.required, _arg(f.name, PARAM(f.type), f.required)))
    if op.body and not body_fields:
        raw_file = (
            isinstance(op.body.type, Primitive) and op.body.type.kind == "bytes" and op.body.content_type not in FORMS
        )
        annotation = "_rt.FileContent" if raw_file else PARAM(op.body.type)
        keyword_args.append((op.body.required, _arg("body", annotation, op.body.required)))
    args.extend(text for required, text in keyword_args if required)
    args.extend(text for required, text in keyword_args if not required)
    accept = "accept"  # the media type to ask for, when the response offers several
    while any(a.split(":")[0] == accept for a in args):
        accept += "_"
    if op.accepts:
        choices = ", ".join(repr(m) for m in op.accepts)
        args.append(f"{accept}: Literal[{choices}] = {op.response_media!r}")
    args += [
        "extra_headers: _rt.Headers | None = None",
        "extra_query: _rt.Query | None = None",
        "extra_body: _rt.Body | None = None",
        "timeout: _rt.Timeout | _rt.Omit = _rt.OMIT",
    ]
    prelude: list[str] = []
    label = ".".join((*op.resource, op.name)) + "()"
    if op.deprecated:
        prelude.append(f"_rt.warn_deprecated({label!r})")
    # A deprecated argument warns only when the caller actually passes it.
    deprecated = [(p.name, p.wire_name, "parameter") for p in other_params if p.deprecated]
    deprecated += [(f.name, f.wire_name, "argument") for f in body_fields if f.deprecated]
    for name, wire, kind in deprecated:
        prelude.append(f"if not isinstance({name}, _rt.Omit):")
        prelude.append(f"    _rt.warn_deprecated({f'the {wire!r} {kind} of {label}'!r})")
    parser, returns = response_parser(op)
    path = (
        f"_rt.path_template({op.path!r}, {_dict_expr([(p.wire_name, _value(p)) for p in path_params])})"
        if path_params
        else repr(op.path)
    )
    kwargs = []
    for location, keyword in (("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        entries = [(p.wire_name, _value(p)) for p in other_params if p.location == location]
        if entries:
            kwargs.append(f"{keyword}={_dict_expr(entries)}")
    if op.body:
        kwargs.append(
            f"body={_dict_expr([(f.wire_name, f.name) for f in body_fields])}" if body_fields else "body=body"
        )
        if op.body.content_type != "application/json":
            kwargs.append(f"content_type={op.body.content_type!r}")
        encoding = _encoding_expr(op.body)
        if encoding:
            kwargs.append(f"encoding={encoding}")
    if op.accepts:
        kwargs.append(f"accept={accept}")
    elif op.response_media != "application/json" and op.response_kind != "empty":
        kwargs.append(f"accept={op.response_media!r}")
    kwargs.append(
        "options=_rt.RequestOptions(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)"
    )
    request_args = ", ".join([repr(op.http_method), path, *kwargs])
    call_args = f"{parser}, {request_args}"
    name = op.name
    if stream:
        name, returns = f"{op.name}_stream", f"_rt.{'Async' if is_async else ''}BinaryStream"
        call = f"{'await ' if is_async else ''}self._client.request_stream({request_args})"
        is_async_def = is_async
    elif op.pagination:
        item = MODEL_OUT(op.pagination.item)
        page = "AsyncPageRequest" if is_async else "SyncCursorPage"
        returns = f"_rt.{page}[{item}]"
        call = f"self._client.request_page({call_args})"
        is_async_def = False
    else:
        call = f"{'await ' if is_async else ''}self._client.request({call_args})"
        is_async_def = is_async
    doc = "\n\n".join(part for part in (op.summary, op.description if op.description != op.summary else "") if part)
    if op.deprecated:
        doc = f"Deprecated: {doc}"
    doc += f"\n\n`{op.http_method} {op.path}` ({op.operation_id})"
    documented = [(p.name, p.description + default_doc(p.default)) for p in op.parameters if p.description]
    documented += [(f.name, f.description + default_doc(f.default)) for f in body_fields if f.description]
    if documented:
        doc += "\n\nArgs:\n" + "\n".join(
            f"    {name}: " + text.replace("\n", "\n        ") for name, text in documented
        )
    if stream:
        doc += "\n\nThe body comes in pieces (`iter_bytes()`, `write_to(path)`) and is never held whole."
    return MethodView(name, doc.strip(), args, returns, prelude, call, is_async_def, () if stream else op.aliases)


TERMINAL_STATUSES = ("succeeded", "failed", "cancelled")


def wait_view(api: Api, resource: Resource) -> WaitView | None:
    """Jobs have a `retrieve` whose model's `status` can reach a terminal value, and a paged
    GET of `.../{id}/events` below it (`jobs.events.list`, or `jobs.list_events` when the
    config names it so); such a resource gets `wait(id)`."""
    ops = {op.name: op for op in resource.operations}
    retrieve = ops.get("retrieve")
    if retrieve is None or not isinstance(retrieve.response, Ref):
        return None
    listing = next(
        (
            op
            for op in api.operations
            if op.http_method == "GET" and op.path == f"{retrieve.path}/events" and op.pagination
            and op.resource[: len(resource.path)] == resource.path
        ),
        None,
    )  # fmt: skip
    if listing is None or "wait" in ops or [p.location for p in retrieve.parameters] != ["path"]:
        return None
    status = next((f for f in api.model(retrieve.response.name).fields if f.wire_name == "status"), None)
    values = status.type.values if status and isinstance(status.type, Literal) else ()
    terminal = tuple(v for v in TERMINAL_STATUSES if v in values)
    if not terminal or not isinstance(listing.pagination.item if listing.pagination else None, Ref):
        return None
    assert listing.pagination is not None
    events = ".".join((*listing.resource[len(resource.path) :], listing.name))
    return WaitView(
        retrieve.parameters[0].name, MODEL_OUT(retrieve.response), MODEL_OUT(listing.pagination.item), terminal, events
    )


def resource_views(api: Api, root: Resource, is_async: bool) -> list[ResourceView]:
    """Children before parents, so each class exists before a parent instantiates it."""
    prefix = "Async" if is_async else ""
    out = []
    for resource in sorted(root.walk()[1:], key=lambda r: (-len(r.path), r.path)):
        children = [(c.attr, prefix + c.class_name) for c in resource.children]
        methods = [method_view(op, is_async) for op in resource.operations]
        # A binary download also streams: `content_stream(...)` beside `content(...)`.
        names = {op.name for op in resource.operations}
        methods += [
            method_view(op, is_async, stream=True)
            for op in resource.operations
            if op.response_kind == "binary" and f"{op.name}_stream" not in names
        ]
        label = ".".join(resource.path)
        doc = f"Operations under `client.{label}`."
        out.append(ResourceView(prefix + resource.class_name, doc, children, methods, wait_view(api, resource)))
    return out
