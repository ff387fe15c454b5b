"""Stage 4, render: the IR to source files, through Jinja2 templates.

Everything a template prints is computed here (annotations, signatures, call expressions);
templates only loop and print. Spec text reaches code through two filters only: `py`
(a Python literal via repr) and `docstring` (escaped for a triple-quoted string).
"""

from __future__ import annotations

import hashlib
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .annotate import Annotator, field_arguments
from .ir import MISSING, Api, Field, Literal, Model, Operation, Primitive, Ref, Resource, Type, nullable, refs
from .names import field_name, unique

# Installed, the templates are package data beside this module; in a checkout, at its top.
_HERE = Path(__file__).resolve().parent
TEMPLATES = next(p for p in (_HERE / "templates", _HERE.parent / "templates") if p.is_dir())
USER_OWNED = "custom.py"  # in the client package: written when missing, never overwritten
GENERATOR_NAME = "ftgen"


def _escape(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == "\n" or ch == "\t" or ch.isprintable():
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_ASCII_UNSAFE = re.compile(r"[\\\x00-\x08\x0b-\x1f\x7f]")  # in ASCII text, what _escape changes


def docstring(text: str) -> str:
    """Text that is safe between triple double quotes, whatever the spec author wrote."""
    text = text.replace("\r\n", "\n")
    if text.isascii():  # nearly every description: one regex pass instead of a call per character
        body = _ASCII_UNSAFE.sub(lambda m: _escape(m.group(0)), text)
    else:
        body = "".join(map(_escape, text))
    body = body.replace('"""', '\\"\\"\\"')
    body = "\n".join(line.rstrip() for line in body.split("\n")).strip()
    if "\n" in body:  # closing quotes on a line of their own, where black puts them when the last line is long
        return body + "\n"
    if body.endswith('"'):
        body += " "
    return body


def py(value: object) -> str:
    return repr(value)


_PARAMETER_INDENT = 8  # every parameter list is printed in a method, one parameter a line
_SIMPLE_DEFAULT = re.compile(r" = [\w.]+$")


def parameter(text: str, line_length: int) -> str:
    """One parameter (`name: annotation = default`), its annotation parenthesized when a union
    makes the line too long, as black formats it (and ruff keeps); left bare, ruff would split
    it at each `|` and black would then reformat the file. Generated code is stable under both."""
    if _PARAMETER_INDENT + len(text) + 1 <= line_length or ": " not in text:
        return text
    name, _, rest = text.partition(": ")
    default = _SIMPLE_DEFAULT.search(rest)
    annotation, tail = (rest[: default.start()], default.group()) if default else (rest, "")
    return f"{name}: ({annotation}){tail}" if _top_level_union(annotation) else text


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")  # string literals, as repr writes them
_NESTING = re.compile(r"[\[(]|[\])]| \| ")


def _top_level_union(annotation: str) -> bool:
    if " | " not in annotation:
        return False
    depth = 0
    for match in _NESTING.finditer(_QUOTED.sub("''", annotation)):
        token = match.group()
        if token == " | " and depth == 0:
            return True
        depth += 1 if token in "[(" else -1 if token in "])" else 0
    return False


# ---------------------------------------------------------------- views
@dataclass(frozen=True)
class Config:
    client_package: str
    stubs_package: str | None
    api_key_env: str = "OPENAI_API_KEY"
    base_url_env: str = "OPENAI_BASE_URL"
    training_formats: tuple[tuple[str, str], ...] = ()  # (method, line-format schema name)
    line_length: int = 88  # the formatter's: long parameter annotations are parenthesized as black would


@dataclass
class FieldView:
    name: str
    annotation: str
    default: str | None
    doc: str


@dataclass
class ModelView:
    name: str
    doc: str
    fields: list[FieldView]
    closed: bool = False  # unknown fields are an error (strict request bodies only)


@dataclass
class TypedDictView:
    name: str
    doc: str
    items: list[tuple[str, str, str]]  # (key, annotation, doc)
    class_syntax: bool


@dataclass
class MethodView:
    name: str
    doc: str
    args: list[str]
    returns: str
    prelude: list[str]
    call: str
    is_async_def: bool


@dataclass
class WaitView:
    """A `wait` helper for a resource of long-running jobs (retrieve + events + a status)."""

    id_arg: str
    job: str
    event: str
    terminal: tuple[str, ...]


@dataclass
class ResourceView:
    class_name: str
    doc: str
    children: list[tuple[str, str]]  # (attribute, class name)
    methods: list[MethodView]
    wait: WaitView | None = None


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


MODEL = Annotator("model", lenient=True)
# In client.py a resource method may be called `list`, which shadows the builtin for type
# checkers inside the class, so container annotations there use typing's List and Dict.
MODEL_OUT = Annotator("model", models="_models.", list_name="List", dict_name="Dict")
PARAM = Annotator(
    "param", models="_models.", params="_params.", file_type="_rt.FileInput", list_name="List", dict_name="Dict"
)
PARAM_IN_PARAMS = Annotator("param")  # inside params.py: TypedDicts by bare name
# Server side: what a request may carry, constraints enforced (inside bodies.py, and beside it).
STRICT = Annotator("model", constrained=True)
STRICT_OUT = Annotator("model", models="_bodies.", constrained=True, list_name="List", dict_name="Dict")


def _default_doc(default: object) -> str:
    return "" if default is MISSING else f"\n\nDefault: `{default!r}`."


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def model_view(model: Model, strict: bool = False) -> ModelView:
    """A model class; `strict` is the server's view of a request: absent means optional."""
    annotate = STRICT if strict else MODEL
    annotations = []
    for f in model.fields:
        optional = not f.required or (nullable(f.type) and not strict)
        annotation = annotate.optional(f.type) if optional else annotate(f.type)
        if strict and optional and not nullable(f.type):
            annotation = f"Annotated[{annotation}, _NotNull]"  # may be left out, not sent as null
        annotations.append((optional, annotation))
    # A field named like something the class's annotations use (`list: list[str]`) would
    # shadow it when pydantic evaluates them in the class namespace.
    used = set(_IDENTIFIER.findall(_STRING_LITERAL.sub("", " ".join(a for _, a in annotations))))
    fields = []
    for f, (optional, annotation) in zip(model.fields, annotations, strict=True):
        name = f.name + "_" if f.name in used else f.name
        alias = f", alias={f.wire_name!r}" if name != f.wire_name else ""
        default: str | None
        if optional:
            default = f"_Field(default=None{alias})" if alias else "None"
        else:
            default = f"_Field({alias[2:]})" if alias else None
        doc = f.description + (" (deprecated)" if f.deprecated else "")
        fields.append(FieldView(name, annotation, default, doc))
    doc = model.description
    if model.tag:
        doc += (
            f"\n\nSet `{model.tag.field}` to one of "
            + ", ".join(f"`{v}`" for v, _ in model.tag.members)
            + ", and fill the member of the same name."
        )
    if model.deprecated:
        doc = "Deprecated. " + doc
    return ModelView(model.name, doc.strip() or model.name, fields, strict and model.closed)


def typed_dict_view(model: Model) -> TypedDictView:
    items = []
    for f in model.fields:
        annotation = PARAM_IN_PARAMS(f.type)
        if f.required:
            annotation = f"Required[{annotation}]"
        items.append((f.wire_name, annotation, f.description + _default_doc(f.default)))
    class_syntax = all(k.isidentifier() and not keyword.iskeyword(k) for k, _, _ in items)
    return TypedDictView(f"{model.name}Param", model.description or model.name, items, class_syntax)


def _arg(name: str, annotation: str, required: bool) -> str:
    if required:
        return f"{name}: {annotation}"
    return f"{name}: {annotation} | _rt.Omit = _rt.OMIT"


def _parser(op: Operation) -> tuple[str, str]:
    """The parser expression and the Python return annotation of an operation's response."""
    if op.response_kind == "empty" or op.response is None:
        return "_rt.read_none", "None"
    if op.response_kind == "binary":
        return "_rt.read_bytes", "bytes"
    if op.response_kind == "text":
        return "_rt.read_text", "str"
    annotation = MODEL_OUT(op.response)
    if annotation.startswith("_models.") and annotation.count(".") == 1 and " " not in annotation:
        return f"_rt.ModelParser({annotation})", annotation
    return f"_rt.AdapterParser[{annotation}]({annotation})", annotation


def _dict_expr(entries: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key!r}: {value}" for key, value in entries) + "}"


def method_view(op: Operation, is_async: bool) -> MethodView:
    path_params = [p for p in op.parameters if p.location == "path"]
    other_params = [p for p in op.parameters if p.location != "path"]
    body_fields: tuple[Field, ...] = op.body.fields if op.body else ()
    args: list[str] = [f"{p.name}: {PARAM(p.type)}" for p in path_params]
    if path_params:
        args.append("/")  # positional-only: renaming a path parameter in the spec breaks no caller
    args.append("*")
    keyword_args: list[tuple[bool, str]] = []
    for p in other_params:
        annotation = PARAM(p.type)
        keyword_args.append((p.required, _arg(p.name, annotation, p.required)))
    for f in body_fields:
        keyword_args.append((f.required, _arg(f.name, PARAM(f.type), f.required)))
    if op.body and not body_fields:
        keyword_args.append((op.body.required, _arg("body", PARAM(op.body.type), op.body.required)))
    args.extend(text for required, text in keyword_args if required)
    args.extend(text for required, text in keyword_args if not required)
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
    parser, returns = _parser(op)
    path = (
        f"_rt.path_template({op.path!r}, {_dict_expr([(p.wire_name, p.name) for p in path_params])})"
        if path_params
        else repr(op.path)
    )
    kwargs = []
    query = [(p.wire_name, p.name) for p in other_params if p.location == "query"]
    if query:
        kwargs.append(f"query={_dict_expr(query)}")
        deep = [p.wire_name for p in other_params if p.location == "query" and p.style == "deepObject"]
        if deep:
            kwargs.append(f"deep_object={tuple(deep)!r}")
    headers = [(p.wire_name, p.name) for p in other_params if p.location == "header"]
    if headers:
        kwargs.append(f"headers={_dict_expr(headers)}")
    cookies = [(p.wire_name, p.name) for p in other_params if p.location == "cookie"]
    if cookies:
        kwargs.append(f"cookies={_dict_expr(cookies)}")
    if op.body:
        kwargs.append(
            f"body={_dict_expr([(f.wire_name, f.name) for f in body_fields])}" if body_fields else "body=body"
        )
        if op.body.content_type != "application/json":
            kwargs.append(f"content_type={op.body.content_type!r}")
    kwargs.append(
        "options=_rt.RequestOptions(extra_headers=extra_headers, extra_query=extra_query, extra_body=extra_body, timeout=timeout)"
    )
    call_args = ", ".join([parser, repr(op.http_method), path, *kwargs])
    if op.pagination:
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
    documented = [(p.name, p.description + _default_doc(p.default)) for p in op.parameters if p.description]
    documented += [(f.name, f.description + _default_doc(f.default)) for f in body_fields if f.description]
    if documented:
        doc += "\n\nArgs:\n" + "\n".join(
            f"    {name}: " + text.replace("\n", "\n        ") for name, text in documented
        )
    return MethodView(op.name, doc.strip(), args, returns, prelude, call, is_async_def)


TERMINAL_STATUSES = ("succeeded", "failed", "cancelled")


def wait_view(api: Api, resource: Resource) -> WaitView | None:
    """Jobs have a `retrieve` whose model's `status` can reach a terminal value, and an
    `events.list` sub-resource; such a resource gets `wait(id)`."""
    ops = {op.name: op for op in resource.operations}
    events = next((c for c in resource.children if c.attr == "events"), None)
    retrieve = ops.get("retrieve")
    listing = next((op for op in events.operations if op.name == "list" and op.pagination), None) if events else None
    if retrieve is None or listing is None or not isinstance(retrieve.response, Ref):
        return None
    if "wait" in ops or [p.location for p in retrieve.parameters] != ["path"] or len(listing.parameters) < 1:
        return None
    status = next((f for f in api.model(retrieve.response.name).fields if f.wire_name == "status"), None)
    values = status.type.values if status and isinstance(status.type, Literal) else ()
    terminal = tuple(v for v in TERMINAL_STATUSES if v in values)
    if not terminal or not isinstance(listing.pagination.item if listing.pagination else None, Ref):
        return None
    assert listing.pagination is not None
    return WaitView(
        retrieve.parameters[0].name, MODEL_OUT(retrieve.response), MODEL_OUT(listing.pagination.item), terminal
    )


def resource_views(api: Api, root: Resource, is_async: bool) -> list[ResourceView]:
    """Children before parents, so each class exists before a parent instantiates it."""
    prefix = "Async" if is_async else ""
    out = []
    for resource in sorted(root.walk()[1:], key=lambda r: (-len(r.path), r.path)):
        children = [(c.attr, prefix + c.class_name) for c in resource.children]
        methods = [method_view(op, is_async) for op in resource.operations]
        label = ".".join(resource.path)
        doc = f"Operations under `client.{label}`."
        out.append(ResourceView(prefix + resource.class_name, doc, children, methods, wait_view(api, resource)))
    return out


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
    _, returns = _parser(op)
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


def param_models(api: Api, whole_bodies: bool = False) -> list[Model]:
    """Models a request can carry, transitively: each gets a TypedDict twin (the body model
    itself is unpacked into keyword arguments), and a strict twin in the stubs (`whole_bodies`)."""
    roots: list[str] = []
    for op in api.operations:
        types: list[Type] = [p.type for p in op.parameters]
        if op.body:
            types += [f.type for f in op.body.fields] if op.body.fields and not whole_bodies else [op.body.type]
        for t in types:
            roots.extend(refs(t))
    return closure(api, roots)


def closure(api: Api, roots: list[str]) -> list[Model]:
    """The models named in `roots` and every model their fields reach, in the API's order."""
    wanted: set[str] = set()
    todo = list(roots)
    models = {m.name: m for m in api.models}
    while todo:
        name = todo.pop()
        if name in wanted or name not in models:
            continue
        wanted.add(name)
        model = models[name]
        for t in [f.type for f in model.fields] + ([model.extra] if model.extra else []):
            todo.extend(refs(t))
    return [m for m in api.models if m.name in wanted]


# ---------------------------------------------------------------- environment
_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in Jinja's per-user temporary folder: compiling them is ~0.13 s,
    half of a small spec's run. Jinja checks each entry against its template's source; the
    file name carries the Jinja version and options, which the compiled code depends on too."""
    key = hashlib.sha256(repr((jinja2.__version__, sorted(_OPTIONS.items()))).encode()).hexdigest()[:16]
    try:
        return jinja2.FileSystemBytecodeCache(pattern=f"__ftgen_{key}_%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


def environment(line_length: int = 88) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )
    env.filters["py"] = py
    env.filters["docstring"] = docstring
    env.filters["parameter"] = lambda text: parameter(text, line_length)
    return env


def render(api: Api, config: Config) -> dict[str, str]:
    """Relative path -> file text, for the client package and (when configured) the stubs."""
    env = environment(config.line_length)
    root = api.root
    client = config.client_package
    common = {"api": api, "config": config, "generator": GENERATOR_NAME}
    files = {
        f"{client}/__init__.py": env.get_template("client/__init__.py.j2").render(**common),
        f"{client}/_runtime.py": env.get_template("client/_runtime.py.j2").render(
            api_key_env=config.api_key_env,
            base_url_env=config.base_url_env,
            base_url=api.base_url,
            user_agent=f"{client}/{api.version}",
        ),
        f"{client}/_base.py": env.get_template("client/_base.py.j2").render(),
        f"{client}/models.py": env.get_template("client/models.py.j2").render(
            models=[model_view(m) for m in api.models],
            aliases=[(a.name, MODEL(a.type), a.description) for a in api.aliases],
            **common,
        ),
        f"{client}/params.py": env.get_template("client/params.py.j2").render(
            typed_dicts=[typed_dict_view(m) for m in param_models(api)], **common
        ),
        f"{client}/client.py": env.get_template("client/client.py.j2").render(
            sync_resources=resource_views(api, root, False),
            async_resources=resource_views(api, root, True),
            sync_root=[method_view(op, False) for op in root.operations],
            async_root=[method_view(op, True) for op in root.operations],
            top=[(c.attr, c.class_name) for c in root.children],
            **common,
        ),
        f"{client}/py.typed": "",
        f"{client}/{USER_OWNED}": env.get_template("client/custom.py.j2").render(**common),
        "API.md": env.get_template("docs/API.md.j2").render(rows=_doc_rows(api), **common),
    }
    names = {m.name for m in api.models}
    formats = [(method, model) for method, model in config.training_formats if model in names]
    if formats:  # the spec has line formats of training files: a checker for them
        lines = closure(api, [model for _, model in formats])
        files[f"{client}/training.py"] = env.get_template("client/training.py.j2").render(
            models=[model_view(m, strict=True) for m in lines], formats=formats, **common
        )
        for name in ("_training.py", "__main__.py"):
            files[f"{client}/{name}"] = env.get_template(f"client/{name}.j2").render(**common)
    if config.stubs_package:
        taken: set[str] = set()  # operationIds are unique, their snake_case forms need not be
        stubs = [stub_view(op, unique(field_name(op.operation_id), taken)) for op in api.operations]
        for name in ("__init__.py", "service.py", "app.py"):
            files[f"{config.stubs_package}/{name}"] = env.get_template(f"stubs/{name}.j2").render(stubs=stubs, **common)
        files[f"{config.stubs_package}/bodies.py"] = env.get_template("stubs/bodies.py.j2").render(
            models=[model_view(m, strict=True) for m in param_models(api, whole_bodies=True)], **common
        )
    return files


def _doc_rows(api: Api) -> list[tuple[str, str, str, str]]:
    rows = []
    for op in api.operations:
        call = "client." + ".".join((*op.resource, op.name)) + "()"
        summary = op.summary.split("\n")[0].replace("|", "\\|")
        rows.append((f"{op.http_method} {op.path}", call, summary, "deprecated" if op.deprecated else ""))
    return rows
