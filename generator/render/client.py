"""Views of the client: one resource class per path group, one method per operation."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..annotate import Annotation, literal
from ..ir import Api, Body, Field, Literal, Operation, Parameter, Primitive, Ref, Resource
from .connection import ConnectionView, security_expression, server_expression
from .imports import FUTURE, block, from_module, from_typing
from .models import EVENTS, MODEL_OUT, PARAM, default_doc, event_parser, media_result, response_parser
from .signature import Arg


@dataclass(frozen=True)
class Warning_:
    """A DeprecationWarning a method gives when called (deprecated arguments are documented
    and left to type checkers, as openai-python does: docs/decisions.md, "Deprecations")."""

    message: str


@dataclass(frozen=True)
class Call:
    """The runtime call a method returns: `self._client.<verb>(<parser>, <method>, <path>, ...)`."""

    verb: str  # request | request_page | request_stream
    parser: str | None  # None for a stream, which has no parser
    arguments: tuple[str, ...]  # the HTTP method and the path, then `keyword=expression`s
    awaited: bool

    @property
    def expression(self) -> str:
        arguments = ", ".join(([self.parser] if self.parser else []) + list(self.arguments))
        return f"{'await ' if self.awaited else ''}self._client.{self.verb}({arguments})"


@dataclass(frozen=True)
class Overload:
    """One typed shape of a method whose result depends on an argument (`accept`, `stream`)."""

    keyword: list[Arg]
    returns: str
    names: frozenset[str] = frozenset()  # those its result writes (the events' `_streaming`, a model's)


@dataclass
class MethodView:
    name: str
    doc: str
    positional: list[Arg]  # before the `*`
    keyword: list[Arg]
    returns: str
    warnings: list[Warning_]
    call: Call
    is_async_def: bool
    aliases: tuple[str, ...] = ()  # the same method under other names (`[tool.ftgen.methods]`)
    overloads: list[Overload] = field(default_factory=list)
    branches: list[tuple[str, Call]] = field(default_factory=list)  # (condition, call) before `call`
    names: frozenset[str] = frozenset()  # the module's names it writes (`Literal`, `_models`, `overload`)

    @property
    def args(self) -> list[Arg | str]:
        return [*self.positional, "*", *self.keyword]

    def overload_args(self, overload: Overload) -> list[Arg | str]:
        return [*self.positional, "*", *overload.keyword]


@dataclass
class WaitView:
    """A `wait` helper for a resource of long-running jobs (retrieve + events + a status)."""

    id_arg: str
    job: str
    event: str
    terminal: tuple[str, ...]
    events_call: str  # the listing of the job's events, from the resource: `events.list`
    names: frozenset[str] = frozenset()  # the job's and event's, and `List` (the async one's events)


@dataclass
class ResourceView:
    class_name: str
    doc: str
    children: list[tuple[str, str]]  # (attribute, class name)
    methods: list[MethodView]
    wait: WaitView | None = None
    label: str = ""  # how users reach it: `client.fine_tuning.jobs`

    @property
    def names(self) -> frozenset[str]:
        """The module's names its methods and `wait` write."""
        return frozenset().union(*(m.names for m in self.methods), self.wait.names if self.wait else ())

    @property
    def wrapped(self) -> list[str]:
        """The methods `with_raw_response` and `with_streaming_response` offer: every operation's
        (its aliases too), not the download streams, which are streams already."""
        return [name for m in self.methods if not m.call.verb == "request_stream" for name in (m.name, *m.aliases)]


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


# Every method takes these last, as openai-python's do.
EXTRA_ARGS = [
    Arg("extra_headers", Annotation("_rt.Headers | None", union=True, nullable=True), "None"),
    Arg("extra_query", Annotation("_rt.Query | None", union=True, nullable=True), "None"),
    Arg("extra_body", Annotation("_rt.Body | None", union=True, nullable=True), "None"),
    Arg("timeout", Annotation("_rt.Timeout"), omittable=True),
]
OPTIONS = "options=_rt.RequestOptions(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)"


def path_parameters(op: Operation) -> list[Parameter]:
    """In the order the path names them."""
    return sorted((p for p in op.parameters if p.location == "path"), key=lambda p: op.path.find(f"{{{p.wire_name}}}"))


def _signature(op: Operation) -> tuple[list[Arg], list[Arg], str]:
    """(positional, keyword arguments, the name of the `accept` argument). As openai-python:
    the last path parameter (the object acted on) is the one positional argument; the ones
    before it (its parents) are keyword arguments, then the required ones, then the rest."""
    path = path_parameters(op)
    body_fields: tuple[Field, ...] = op.body.fields if op.body else ()
    keyword = [Arg(p.name, PARAM(p.type)) for p in path[:-1]]
    keyword += [Arg(p.name, PARAM(p.type), omittable=not p.required) for p in op.parameters if p.location != "path"]
    keyword += [Arg(f.name, PARAM(f.type), omittable=not f.required) for f in body_fields]
    if op.body and not body_fields:
        body = op.body
        raw_file = isinstance(body.type, Primitive) and body.type.kind == "bytes" and body.content_type not in FORMS
        annotation = Annotation("_rt.FileContent") if raw_file else PARAM(body.type)
        keyword.append(Arg("body", annotation, omittable=not body.required))
    keyword = [a for a in keyword if not a.omittable] + [a for a in keyword if a.omittable]
    positional = [Arg(p.name, PARAM(p.type)) for p in path[-1:]]
    taken = {a.name for a in positional + keyword}
    accept = "accept"  # the media type to ask for, when the response offers several
    while accept in taken:
        accept += "_"
    if op.accepts:
        keyword.append(Arg(accept, literal(op.accepts), repr(op.response_media)))
    return positional, keyword + EXTRA_ARGS, accept


def label(op: Operation) -> str:
    """How messages name the method: `fine_tuning.jobs.create()`."""
    return ".".join((*op.resource, op.name)) + "()"


def _warnings(op: Operation) -> list[Warning_]:
    """A deprecated operation warns at every call."""
    return [Warning_(f"{label(op)} is deprecated")] if op.deprecated else []


def _request(op: Operation, accept: str, media: str | None = None) -> tuple[str, ...]:
    """The arguments of the runtime call after its parser: method, path, then the wire's parts;
    `media` is the media type to ask for, where the call asks for one of its own."""
    path_params = path_parameters(op)
    path = (
        f"_rt.path_template({op.path!r}, {_dict_expr([(p.wire_name, _value(p)) for p in path_params])})"
        if path_params
        else repr(op.path)
    )
    kwargs = []
    for location, keyword in (("query", "query"), ("header", "headers"), ("cookie", "cookies")):
        entries = [(p.wire_name, _value(p)) for p in op.parameters if p.location == location]
        if entries:
            kwargs.append(f"{keyword}={_dict_expr(entries)}")
    if op.body:
        fields = op.body.fields
        kwargs.append(f"body={_dict_expr([(f.wire_name, f.name) for f in fields])}" if fields else "body=body")
        if op.body.content_type != "application/json":
            kwargs.append(f"content_type={op.body.content_type!r}")
        encoding = _encoding_expr(op.body)
        if encoding:
            kwargs.append(f"encoding={encoding}")
    if media is not None:
        kwargs.append(f"accept={media!r}")
    elif op.accepts:
        kwargs.append(f"accept={accept}")
    elif op.response_media != "application/json" and op.response_kind != "empty":
        kwargs.append(f"accept={op.response_media!r}")
    paging = op.pagination
    if paging is not None and not paging.is_default:  # OpenAI's is the runtime's default
        rule = (paging.style, paging.items, paging.param, paging.field, paging.more, paging.limit)
        kwargs.append(f"paging=_rt.Paging{rule!r}")
    if op.security is not None:  # its own; else the API's, which the runtime knows
        kwargs.append(f"security={security_expression(op.security)}")
    if op.servers:
        kwargs.append(f"servers={server_expression(op.servers)}")
    return (repr(op.http_method), path, *kwargs, OPTIONS)


def _described(description: str, default: object, deprecated: bool) -> str:
    return ("Deprecated. " if deprecated else "") + description + default_doc(default)


def _doc(op: Operation, stream: bool) -> str:
    doc = "\n\n".join(part for part in (op.summary, op.description if op.description != op.summary else "") if part)
    if op.deprecated:
        doc = f"Deprecated: {doc}"
    doc += f"\n\n`{op.http_method} {op.path}` ({op.operation_id})"
    body_fields: tuple[Field, ...] = op.body.fields if op.body else ()
    documented = [(p.name, _described(p.description, p.default, p.deprecated)) for p in op.parameters
                  if p.description or p.deprecated]  # fmt: skip
    documented += [(f.name, _described(f.description, f.default, f.deprecated)) for f in body_fields
                   if f.description or f.deprecated]  # fmt: skip
    if documented:
        doc += "\n\nArgs:\n" + "\n".join(
            f"    {name}: " + text.replace("\n", "\n        ") for name, text in documented
        )
    if stream:
        doc += "\n\nThe body comes in pieces (`iter_bytes()`, `write_to(path)`) and is never held whole."
    return doc.strip()


def method_view(op: Operation, is_async: bool, stream: bool = False) -> MethodView:
    """The method of an operation; with `stream`, the companion that streams a binary response."""
    positional, keyword, accept = _signature(op)
    parser, returned = response_parser(op)
    returns, names = returned.text, set(returned.names)
    arguments = _request(op, accept)
    overloads: list[Overload] = []
    branches: list[tuple[str, Call]] = []
    events = f"_streaming.{'Async' if is_async else ''}Stream"
    if stream:
        name, returns = f"{op.name}_stream", f"_rt.{'Async' if is_async else ''}BinaryStream"
        call = Call("request_stream", None, arguments, is_async)
    elif op.pagination:
        name, item = op.name, MODEL_OUT(op.pagination.item)
        returns = f"_rt.{'AsyncPageRequest' if is_async else 'SyncCursorPage'}[{item}]"
        names |= item.names
        call, is_async = Call("request_page", parser, arguments, False), False  # pages are awaited or iterated
    elif op.response_kind == "events":
        name, returns = op.name, f"{events}[{returns}]"
        call = Call("request_events", parser, arguments, is_async)
    else:
        name, call = op.name, Call("request", parser, arguments, is_async)
        if op.stream_field and op.events is not None:
            overloads, branch, returns = _stream_overloads(op, keyword, accept, returns, events, is_async)
            branches.append(branch)
        elif len({media_result(m, returns) for m in op.accepts if m != EVENTS} | ({EVENTS} & set(op.accepts))) > 1:
            overloads, extra, returns = _accept_overloads(op, keyword, accept, returns, events, is_async)
            branches += extra
    names |= {
        n for a in [*positional, *keyword, *(a for o in overloads for a in o.keyword)] for n in a.annotation.names
    }
    names |= {n for o in overloads for n in o.names} | ({"overload"} if overloads else set())
    if op.servers:
        names.add("_connect")  # `_connect.Server(...)` in the call
    warnings = _warnings(op)
    return MethodView(name, _doc(op, stream), positional, keyword, returns, warnings, call, is_async,
                      () if stream else op.aliases, overloads, branches, frozenset(names))  # fmt: skip


def method_views(op: Operation, is_async: bool) -> list[MethodView]:
    """The method of an operation, and one per alias the config deprecates: the same method
    under the alias's name, giving its warning first (openai-python's `permissions.retrieve`)."""
    main = method_view(op, is_async)
    views = [main]
    for alias, message in op.deprecated_aliases:
        views.append(replace(main, name=alias, warnings=[Warning_(message), *main.warnings], aliases=()))
    return views


def _stream_overloads(
    op: Operation, keyword: list[Arg], accept: str, returns: str, events: str, is_async: bool
) -> tuple[list[Overload], tuple[str, Call], str]:
    """`stream=True` in the body asks for the event stream: typed as one by an overload."""
    assert op.body is not None and op.events is not None
    field_ = next(f for f in op.body.fields if f.wire_name == op.stream_field)
    parser, event = event_parser(op)
    stream_type = f"{events}[{event}]"
    index = next(i for i, a in enumerate(keyword) if a.name == field_.name)
    nullable = keyword[index].annotation.nullable
    off = literal((False,), nullable)
    not_streamed = [*keyword[:index], Arg(field_.name, off, omittable=True), *keyword[index + 1 :]]
    streamed = [*keyword[:index], Arg(field_.name, literal((True,))), *keyword[index + 1 :]]
    call = Call("request_events", parser, _request(op, accept, EVENTS), is_async)
    overloads = [Overload(not_streamed, returns), Overload(streamed, stream_type, event.names)]
    return overloads, (f"{field_.name} is True", call), f"{returns} | {stream_type}"


def _accept_overloads(
    op: Operation, keyword: list[Arg], accept: str, returns: str, events: str, is_async: bool
) -> tuple[list[Overload], list[tuple[str, Call]], str]:
    """A result typed by the `accept` asked for: one overload per kind of result (the JSON
    model, text, bytes, events); the default's keeps its default."""
    groups: dict[str, list[str]] = {}
    model = MODEL_OUT(op.response).text if op.response_kind == "json" and op.response is not None else returns
    for media in op.accepts:
        kind = "events" if media == EVENTS else media_result(media, model)
        groups.setdefault(kind, []).append(media)
    branches: list[tuple[str, Call]] = []
    overloads = []
    index = next(i for i, a in enumerate(keyword) if a.name == accept)
    for kind, media_types in groups.items():
        result, names = kind, frozenset[str]()
        if kind == "events":
            parser, event = event_parser(op)
            result, names = f"{events}[{event}]", event.names
            branches.append(
                (f"{accept} == {EVENTS!r}", Call("request_events", parser, _request(op, accept, EVENTS), is_async))
            )
        default = repr(op.response_media) if op.response_media in media_types else None
        chosen = Arg(accept, literal(tuple(media_types)), default)
        overloads.append(Overload([*keyword[:index], chosen, *keyword[index + 1 :]], result, names))
    # Every kind the media parser can return is one of the overloads' results.
    return overloads, branches, " | ".join(dict.fromkeys(o.returns for o in overloads))


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
    job, event = MODEL_OUT(retrieve.response), MODEL_OUT(listing.pagination.item)
    names = job.names | event.names | {"List"}
    return WaitView(retrieve.parameters[0].name, job.text, event.text, terminal, events, names)


# What client.py names besides its resource classes, which none of those may be called.
MODULE_NAMES = frozenset({"TYPE_CHECKING", "Any", "Dict", "List", "Literal", "overload", "cached_property"})


def class_names(root: Resource) -> dict[tuple[str, ...], str]:
    """Each resource's class (its path -> the sync class's name; the root's is `Client`), so
    that no two classes of client.py share a name: not those of two paths (`/fine/jobs` and
    `/fine_jobs`), nor the `Async...`, `...WithRawResponse` and `...WithStreamingResponse`
    classes made from them (`/async/things` beside `/things`), nor an imported name (`/list`)."""
    taken = set(MODULE_NAMES)
    out: dict[tuple[str, ...], str] = {}
    for resource in root.walk():
        name = resource.class_name if resource.path else "Client"
        while _classes_of(name) & taken:
            name += "_"
        taken |= _classes_of(name)
        out[resource.path] = name
    return out


def _classes_of(name: str) -> set[str]:
    return {f"{flavour}{name}{wrapper}" for flavour in ("", "Async") for wrapper in WRAPPERS}


WRAPPERS = ("", "WithRawResponse", "WithStreamingResponse")  # a resource's classes, the template's names


def resource_views(api: Api, root: Resource, is_async: bool) -> list[ResourceView]:
    """Children before parents, so each class exists before a parent instantiates it."""
    prefix = "Async" if is_async else ""
    named = class_names(root)
    out = []
    for resource in sorted(root.walk()[1:], key=lambda r: (-len(r.path), r.path)):
        children = [(c.attr, prefix + named[c.path]) for c in resource.children]
        methods = [view for op in resource.operations for view in method_views(op, is_async)]
        # A binary download also streams: `content_stream(...)` beside `content(...)`.
        names = {op.name for op in resource.operations}
        methods += [
            method_view(op, is_async, stream=True)
            for op in resource.operations
            if op.response_kind == "binary" and f"{op.name}_stream" not in names
        ]
        label = ".".join(resource.path)
        doc = f"Operations under `client.{label}`."
        view = ResourceView(
            prefix + named[resource.path], doc, children, methods, wait_view(api, resource), f"client.{label}"
        )
        out.append(view)
    return out


def root_view(api: Api, root: Resource, is_async: bool) -> ResourceView:
    """The client itself as a resource: its top-level groups and the operations at its root
    (for its `with_raw_response` and `with_streaming_response`)."""
    prefix = "Async" if is_async else ""
    named = class_names(root)
    children = [(c.attr, prefix + named[c.path]) for c in root.children]
    methods = [view for op in root.operations for view in method_views(op, is_async)]
    return ResourceView(f"{prefix}Client", "", children, methods, label="client")


def client_imports(resources: list[ResourceView], connection: ConnectionView, webhooks: bool) -> tuple[str, str]:
    """client.py's imports, each used, in ruff's order: those of the module, and those made
    for type checkers only (indented), so that the formatter's lint pass may skip it."""
    names = set(connection.names).union(*(r.names for r in resources))
    if webhooks:
        names |= {"_connect", "_webhooks"}  # the secret's setting, the webhooks' class
    top = block(
        FUTURE,
        ["from functools import cached_property", *from_typing(names | {"TYPE_CHECKING", "Any"})],
        from_module(".", names & {"_connect", "_streaming"}, {"_runtime": "_rt"}),
    )
    # `_models` always: the module also binds it (loaded lazily), which ruff counts as its use.
    renamed = {"models": "_models"} | ({"params": "_params"} if "_params" in names else {})
    checking = block(["import httpx"], from_module(".", {"_wrappers"} | (names & {"_webhooks"}), renamed))
    return top, "\n".join(f"    {line}" if line else "" for line in checking.split("\n"))
