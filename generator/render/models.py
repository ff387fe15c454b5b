"""Views of models, shared by every output: the client's lenient models and TypedDicts, the
stubs' strict bodies, the training-file line formats; and how a response is parsed."""

from __future__ import annotations

import keyword
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..annotate import Annotation, Annotator
from ..ir import MISSING, Api, Model, Operation, Primitive, Type, nullable, refs
from .imports import from_typing


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
    names: frozenset[str] = frozenset()  # what its fields' annotations and defaults use (`_Field`)


@dataclass
class TypedDictView:
    name: str
    doc: str
    items: list[tuple[str, str, str]]  # (key, annotation, doc)
    class_syntax: bool
    names: frozenset[str] = frozenset()  # what it writes from typing (`TypedDict`, `Required`, `Literal`)


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


def forget_annotations() -> None:
    """Each render starts with the annotators' memories empty: they hold one spec's types."""
    for annotator in (MODEL, MODEL_OUT, PARAM, PARAM_IN_PARAMS, STRICT, STRICT_OUT):
        annotator.forget()


def default_doc(default: object) -> str:
    return "" if default is MISSING else f"\n\nDefault: `{default!r}`."


def model_view(model: Model, strict: bool = False) -> ModelView:
    """A model class; `strict` is the server's view of a request: absent means optional."""
    annotate = STRICT if strict else MODEL
    fields = []
    names: set[str] = set()
    for f in model.fields:
        # The client's models read responses (a writeOnly field may be left out); the strict
        # bodies read requests (a readOnly one may be, and is then the server's to set).
        required = f.required_in_request if strict else f.required_in_response
        optional = not required or (nullable(f.type) and not strict)
        annotated = annotate.optional(f.type) if optional else annotate(f.type)
        annotation = annotated.text
        names |= annotated.names
        if strict and optional and not nullable(f.type):
            annotation = f"Annotated[{annotation}, _NotNull]"  # may be left out, not sent as null
            names |= {"Annotated", "_NotNull"}
        alias = f", alias={f.wire_name!r}" if f.name != f.wire_name else ""
        default: str | None
        if optional:
            default = f"_Field(default=None{alias})" if alias else "None"
        else:
            default = f"_Field({alias[2:]})" if alias else None
        if alias:
            names.add("_Field")
        doc = f.description + (" (deprecated)" if f.deprecated else "")
        fields.append(FieldView(f.name, annotation, default, doc))
    doc = model.description
    if model.tag:
        doc += (
            f"\n\nSet `{model.tag.field}` to one of "
            + ", ".join(f"`{v}`" for v, _ in model.tag.members)
            + ", and fill the member of the same name."
        )
    if model.deprecated:
        doc = "Deprecated. " + doc
    return ModelView(model.name, doc.strip() or model.name, fields, strict and model.closed, frozenset(names))


def typed_dict_view(model: Model) -> TypedDictView:
    items = []
    names = {"TypedDict"}
    for f in model.fields:
        if f.read_only:
            continue  # a request never carries it
        annotated = PARAM_IN_PARAMS(f.type)
        names |= annotated.names
        annotation = annotated.text
        if f.required:
            annotation = f"Required[{annotation}]"
            names.add("Required")
        items.append((f.wire_name, annotation, f.description + default_doc(f.default)))
    class_syntax = all(k.isidentifier() and not keyword.iskeyword(k) for k, _, _ in items)
    return TypedDictView(f"{model.name}Param", model.description or model.name, items, class_syntax, frozenset(names))


def strict_imports(models: list[ModelView], typing: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The typing line and pydantic's lines of a module of strict models (the stubs' bodies,
    training.py): what their bases use (`Any`, `_pd`), what their fields do, and `typing`."""
    uses = set().union(*(m.names for m in models)) | {"Any", *typing}
    pydantic = ["import pydantic as _pd"] + (["from pydantic import Field as _Field"] if "_Field" in uses else [])
    return from_typing(uses), pydantic


EVENTS = "text/event-stream"


def event_parser(op: Operation) -> tuple[str, Annotation]:
    """The parser of each event of an operation's event stream, and the events' annotation
    (whose names include the parser's: `_streaming`)."""
    assert op.events is not None
    event = Annotation("str") if op.events == Primitive("str") else MODEL_OUT(op.events)
    return f"_streaming.EventParser({event})", replace(event, names=event.names | {"_streaming"})


def response_parser(op: Operation) -> tuple[str, Annotation]:
    """The parser expression and the Python return annotation of an operation's response
    (for an event stream, of each event: `event_parser`); the annotation's names are both's."""
    if op.response_kind == "events":
        return event_parser(op)
    if op.response_kind == "empty" or op.response is None:
        return "_rt.read_none", Annotation("None")
    if op.response_kind == "binary":
        parser, returned = "_rt.read_bytes", Annotation("bytes")
    elif op.response_kind == "text":
        parser, returned = "_rt.read_text", Annotation("str")
    else:
        returned = MODEL_OUT(op.response)
        # A model parses itself (pydantic's own validator); anything else through a TypeAdapter.
        parser = f"_rt.ModelParser({returned})" if returned.model else f"_rt.AdapterParser[{returned}]({returned})"
    offered = [m for m in op.accepts if m != EVENTS]  # an event stream is asked for on its own
    if not op.accepts:
        return parser, returned
    # Several media types: the one that arrives decides (JSON parsed, text as str, else bytes).
    annotation = returned.text
    kinds = [annotation] if op.response_kind == "json" else []
    kinds += ["str"] if any(media_result(m, annotation) == "str" for m in offered) else []
    kinds += ["bytes"] if any(media_result(m, annotation) == "bytes" for m in offered) else []
    json_parser = parser if op.response_kind == "json" else "None"
    returns = " | ".join(dict.fromkeys(kinds))
    names = returned.names if op.response_kind == "json" else frozenset()
    return f"_rt.MediaParser[{returns}]({json_parser})", Annotation(returns, names=names)


def media_result(media: str, model: str) -> str:
    """What a response in `media` is returned as: the JSON model, `str` for text, else bytes."""
    if media.endswith("/json") or media.endswith("+json"):
        return model
    return "str" if media.startswith("text/") else "bytes"


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
        for t in model.types():
            todo.extend(refs(t))
    return [m for m in api.models if m.name in wanted]
