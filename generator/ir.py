"""The intermediate representation: one model of the API, whatever the spec's dialect.

Plain frozen dataclasses. Nothing after `normalize` sees OpenAPI; nothing before it sees these.
Types form a small closed set; each can say what it references, and the render stage turns
them into annotations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeAlias, Union

JsonValue = Union[None, bool, int, float, str, list["JsonValue"], dict[str, "JsonValue"]]  # noqa: UP007 - recursive


def exactly(values: Iterable[object]) -> tuple[tuple[type, object], ...]:
    """Values with their types, for the equality of types that hold spec values: `1`, `1.0`
    and `True` are equal in Python, but print apart (`Literal[True]`, `ge=1.0`). Their hash
    stays the fields' (equal values may share one); only equality is exact."""
    return tuple((type(v), v) for v in values)


@dataclass(frozen=True)
class Source:
    """Where a thing was declared: the file and JSON pointer (lines are looked up on demand)."""

    file: str
    pointer: str


@dataclass(frozen=True)
class Constraints:
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    max_properties: int | None = None
    min_properties: int | None = None
    min_contains: int | None = None
    max_contains: int | None = None
    multiple_of: float | None = None
    # JSON Schema 2020-12 keywords that are constraints, not types (`contains`, `not`,
    # `dependentRequired`, `if`/`then`/`else`, `uniqueItems`...): keyword -> its JSON, sorted.
    keywords: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return any(v is not None and v != () for v in vars(self).values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Constraints) and exactly(vars(self).values()) == exactly(vars(other).values())


# ---------------------------------------------------------------- types
@dataclass(frozen=True)
class Primitive:
    """str, int, float, bool, bytes (binary), any (unconstrained JSON), or none (JSON null)."""

    kind: str
    format: str | None = None
    constraints: Constraints = Constraints()


@dataclass(frozen=True)
class Literal:
    """A closed set of values. `open` means any string is accepted beside the known ones."""

    values: tuple[str | int | float | bool, ...]
    open: bool = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Literal) and self.open == other.open and exactly(self.values) == exactly(other.values)


@dataclass(frozen=True)
class Array:
    item: Type
    constraints: Constraints = Constraints()


@dataclass(frozen=True)
class Map:
    value: Type
    constraints: Constraints = Constraints()
    key_max_length: int | None = None


@dataclass(frozen=True)
class Ref:
    """A named model (an object schema with fields) declared in Api.models."""

    name: str


@dataclass(frozen=True)
class Union_:
    """One of several types. `discriminator` names the tag property when members declare one."""

    members: tuple[Type, ...]
    discriminator: str | None = None


Type: TypeAlias = Primitive | Literal | Array | Map | Ref | Union_

NONE = Primitive("none")
ANY = Primitive("any")


def nullable(t: Type) -> bool:
    return t == NONE or (isinstance(t, Union_) and NONE in t.members)


def without_none(t: Type) -> Type:
    if isinstance(t, Union_) and NONE in t.members:
        rest = tuple(m for m in t.members if m != NONE)
        return rest[0] if len(rest) == 1 else Union_(rest, t.discriminator)
    return t


def refs(t: Type) -> set[str]:
    """Names of the models a type mentions, directly or inside containers."""
    found: set[str] = set()
    todo = [t]
    while todo:  # one set filled, not one per level
        t = todo.pop()
        if isinstance(t, Ref):
            found.add(t.name)
        elif isinstance(t, Array):
            todo.append(t.item)
        elif isinstance(t, Map):
            todo.append(t.value)
        elif isinstance(t, Union_):
            todo.extend(t.members)
    return found


# ---------------------------------------------------------------- models
class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"  # unpickles as the module's singleton: `is MISSING` holds across processes


MISSING = _Missing()


@dataclass(frozen=True)
class Field:
    name: str  # Python identifier
    wire_name: str  # the JSON key
    type: Type
    required: bool
    description: str = ""
    default: JsonValue | _Missing = MISSING
    deprecated: bool = False
    source: Source | None = None
    read_only: bool = False  # sent by the server only: never a request argument, never sent
    write_only: bool = False  # sent by the client only: a response may leave it out

    @property
    def required_in_response(self) -> bool:
        return self.required and not self.write_only

    @property
    def required_in_request(self) -> bool:
        return self.required and not self.read_only


@dataclass(frozen=True)
class Tag:
    """A tagged struct: `field`'s value names which optional member field carries the payload."""

    field: str
    members: tuple[tuple[str, str], ...]  # (tag value, field wire name)


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    description: str = ""
    deprecated: bool = False
    source: Source | None = None
    tag: Tag | None = None
    extra: Type | None = None  # additionalProperties beside the named fields
    closed: bool = False  # additionalProperties: false (a server rejects unknown fields)
    constraints: Constraints = Constraints()  # on the object itself (minProperties, dependentRequired...)

    def types(self) -> list[Type]:
        """Every type its annotations name: its fields', then its extra properties'."""
        return [f.type for f in self.fields] + ([self.extra] if self.extra else [])


@dataclass(frozen=True)
class Alias:
    """A named non-object schema (`Metadata`, `ReasoningEffort`), exported for users' annotations."""

    name: str
    type: Type
    description: str = ""
    source: Source | None = None


# ---------------------------------------------------------------- operations
@dataclass(frozen=True)
class Parameter:
    name: str  # Python identifier
    wire_name: str
    location: str  # path | query | header | cookie
    type: Type
    required: bool
    description: str = ""
    default: JsonValue | _Missing = MISSING
    deprecated: bool = False
    style: str = "form"  # as the spec says, or its location's default (simple, form)
    explode: bool = True
    allow_reserved: bool = False
    media: str | None = None  # given by `content` instead of `schema`: the value travels as JSON
    source: Source | None = None

    @property
    def default_style(self) -> bool:
        """Written as its location writes by default: no style to pass along."""
        default = "form" if self.location in ("query", "cookie") else "simple"
        return (self.style, self.explode, self.allow_reserved, self.media) == (default, default == "form", False, None)


@dataclass(frozen=True)
class Encoding:
    """How one property of a form or multipart body travels (its `encoding` entry)."""

    style: str = "form"
    explode: bool = True
    allow_reserved: bool = False
    content_type: str | None = None


@dataclass(frozen=True)
class Header:
    """A response header the spec declares."""

    name: str
    required: bool
    type: Type
    source: Source | None = None


@dataclass(frozen=True)
class Security:
    """A security scheme of `components.securitySchemes`: what a caller must present."""

    name: str
    type: str  # apiKey | http | oauth2 | openIdConnect | mutualTLS
    location: str = ""  # apiKey: header | query | cookie
    parameter: str = ""  # apiKey: the header, query or cookie name
    scheme: str = ""  # http: bearer | basic ...
    source: Source | None = None
    flows: tuple[str, ...] = ()  # oauth2: the flows it offers (clientCredentials, authorizationCode...)
    token_url: str = ""  # oauth2: the clientCredentials flow's tokenUrl


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    """A server of the spec: a URL template (`https://{region}.example.com/v1`), or a relative
    URL (`/api/v1`: resolved against the base URL a user gives)."""

    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()


# Security requirements: alternatives, each a set of (scheme name, scopes) all to be met.
Requirement: TypeAlias = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Body:
    content_type: str  # application/json, multipart/form-data, application/x-www-form-urlencoded, or raw
    type: Type
    required: bool
    fields: tuple[Field, ...] = ()  # the body's fields as keyword arguments, when it is an object
    encoding: tuple[tuple[str, Encoding], ...] = ()  # by wire name, where the spec gives one
    media_types: tuple[str, ...] = ()  # every media type the operation accepts

    @property
    def model(self) -> str | None:
        """The model whose fields these are, when the body is one."""
        return self.type.name if isinstance(self.type, Ref) else None


@dataclass(frozen=True)
class Pagination:
    """How a list operation's pages follow each other (the runtime's `Paging`, field for field)."""

    item: Type
    style: str = "cursor"  # cursor | cursor_field | offset | page | next_url | link | single
    items: str = "data"  # the response's field holding the items; "": the response is the list
    param: str = "after"  # the query parameter each page sets
    field: str = "id"  # cursor: the last item's field; cursor_field, next_url: the response's
    more: str = "has_more"  # the response's field saying more follow; "": none
    limit: str = ""  # offset: the page size parameter

    @property
    def is_default(self) -> bool:
        return (self.style, self.items, self.param, self.field, self.more, self.limit) == (
            "cursor", "data", "after", "id", "has_more", "")  # fmt: skip


@dataclass(frozen=True)
class Operation:
    operation_id: str
    name: str  # method name on its resource
    resource: tuple[str, ...]  # attribute path from the client: ("fine_tuning", "jobs")
    http_method: str
    path: str
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    parameters: tuple[Parameter, ...] = ()
    body: Body | None = None
    response: Type | None = None
    response_kind: str = "json"  # json | binary | text | events (server-sent) | empty
    response_media: str = "application/json"  # what the call asks for (`Accept`)
    accepts: tuple[str, ...] = ()  # every media type of the success response, when several
    status_code: int = 200  # the success status the spec declares
    pagination: Pagination | None = None
    tags: tuple[str, ...] = ()
    source: Source | None = None
    aliases: tuple[str, ...] = ()  # more names for the same method, on the same resource
    deprecated_aliases: tuple[tuple[str, str], ...] = ()  # (alias, the warning it gives when called)
    response_media_types: tuple[str, ...] = ()  # every media type of the success response
    response_headers: tuple[Header, ...] = ()
    security: tuple[Requirement, ...] | None = None  # its own; None: the API's `security` applies
    servers: tuple[Server, ...] = ()  # its own or its path's; empty: the API's
    events: Type | None = None  # each event's data, where the response can be `text/event-stream`
    stream_field: str | None = None  # the boolean body field that asks for the event stream
    stability: str | None = None  # x-stability-level: draft | alpha | beta | stable

    @property
    def names(self) -> tuple[str, ...]:
        """Its method's name and its aliases'."""
        return (self.name, *self.aliases, *(alias for alias, _ in self.deprecated_aliases))


@dataclass(frozen=True)
class Webhook:
    """An event the API sends to the user's endpoint (OpenAPI 3.1 `webhooks`): its payload."""

    name: str  # the spec's key: `fine_tuning_job_succeeded`
    type: Type  # the payload's (its request body's)
    event: str | None = None  # the payload's `type` constant, which tells the events apart
    description: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class Resource:
    path: tuple[str, ...]
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...] = ()

    @property
    def attr(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def class_name(self) -> str:
        from .names import pascal

        return "".join(pascal(p) for p in self.path) or "Root"

    def walk(self) -> list[Resource]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    models: tuple[Model, ...]
    aliases: tuple[Alias, ...]
    operations: tuple[Operation, ...]
    sources: tuple[str, ...] = field(default=())
    servers: tuple[Server, ...] = ()  # the spec's, or OpenAPI's default: `/`
    security: tuple[Requirement, ...] = ()  # the API's default requirements
    security_schemes: tuple[Security, ...] = ()
    webhooks: tuple[Webhook, ...] = ()

    def model(self, name: str) -> Model:
        return {m.name: m for m in self.models}[name]

    @property
    def root(self) -> Resource:
        return build_resource_tree(self.operations)


def build_resource_tree(operations: tuple[Operation, ...]) -> Resource:
    own: dict[tuple[str, ...], list[Operation]] = {}
    children: dict[tuple[str, ...], set[str]] = {}
    for op in operations:
        own.setdefault(op.resource, []).append(op)
        for depth in range(len(op.resource)):
            children.setdefault(op.resource[:depth], set()).add(op.resource[depth])

    def build(prefix: tuple[str, ...]) -> Resource:
        nested = tuple(build((*prefix, c)) for c in sorted(children.get(prefix, ())))
        return Resource(prefix, tuple(own.get(prefix, ())), nested)

    return build(())
