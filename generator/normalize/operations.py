"""Paths to operations, and operations to the resource tree users call them through.

`/fine_tuning/jobs` GET  -> fine_tuning.jobs.list     `/fine_tuning/jobs/{id}` GET -> .retrieve
`/fine_tuning/jobs/{id}/cancel` POST -> .cancel       `/fine_tuning/jobs/{id}/checkpoints` GET
-> fine_tuning.jobs.checkpoints.list. When two operations land on the same name, both take
their operationId instead, so none is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location, pointer_join
from ..ir import (
    MISSING,
    Array,
    Body,
    Encoding,
    Header,
    Map,
    Operation,
    Pagination,
    Parameter,
    Primitive,
    Ref,
    Requirement,
    Server,
    ServerVariable,
    Source,
    Type,
    Union_,
)
from ..loader import Document, SpecSet
from ..names import CLIENT_NAMES, RESOURCE_NAMES, attribute_name, field_name, pascal, snake, split_run_together, unique
from ..positions import follow, is_extension
from .schemas import Hint, SchemaNormalizer

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Keyword arguments every generated method has; spec parameters may not shadow them.
RESERVED_ARGS = frozenset({"self", "body", "extra_headers", "extra_query", "extra_body", "timeout"})
# Names used unqualified in client.py annotations; a method may not shadow them in its class.
SHADOWING = frozenset({"str", "int", "float", "bool", "bytes", "object", "type", "Any", "Dict", "List", "Literal"})
JSON_TYPES = ("application/json",)
EVENTS = "text/event-stream"
CONTENT_PREFERENCE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def _deref(
    specset: SpecSet, doc: Document, pointer: str, node: Any, diagnostics: list[Diagnostic]
) -> tuple[Document, str, Any]:
    """Follow `$ref`s of a non-schema object (parameter, requestBody, response); {} where the
    chain is broken (reported) or comes back to itself."""
    found = follow(specset, doc, pointer, node)
    if found.broken:
        diagnostics.append(found.broken)
    value = found.value if found.whole and isinstance(found.value, dict) else {}
    return found.document, found.pointer, value


def _pick_content(content: Any) -> tuple[str, Any] | None:
    if not isinstance(content, dict) or not content:
        return None
    for wanted in CONTENT_PREFERENCE:
        if wanted in content:
            return wanted, content[wanted]
    for media, value in content.items():
        if str(media).endswith("+json"):
            return "application/json", value
    media = next(iter(content))
    return str(media), content[media]


# A trailing segment that names what is done, not a thing: a method on its parent resource
# (`/fine_tuning/alpha/graders/run` -> `graders.run()`) when nothing is read from it or below it.
ACTIONS = frozenset(
    {"cancel", "pause", "resume", "run", "validate", "submit", "complete", "archive", "unarchive", "approve",
     "reject", "search", "verify", "refresh", "restart", "start", "stop", "retry", "close", "reopen", "publish",
     "activate", "deactivate", "enable", "disable", "test", "compact", "accept", "decline", "revoke", "reset",
     "rotate", "transfer", "release", "generate", "count"}
)  # fmt: skip
VERBS = {
    "get": ("retrieve", "list"), "post": ("update", "create"), "put": ("update", "replace"),
    "patch": ("update", "update"), "delete": ("delete", "delete"), "head": ("head", "head"),
    "options": ("options", "options"), "trace": ("trace", "trace"),
}  # fmt: skip


def naming_path(path: str) -> str:
    """The path as names see it: a query string written into a path key (`/responses?beta=true`)
    is sent, never named."""
    return path.partition("?")[0]


@dataclass(frozen=True)
class PathIndex:
    """What the whole spec says about each path, which one operation's name depends on."""

    read: frozenset[str]  # paths some GET reads
    parents: frozenset[str]  # paths other paths go below

    @classmethod
    def of(cls, operations: list[tuple[str, str]]) -> PathIndex:
        """From (method, path) of every operation."""
        paths = {naming_path(path).rstrip("/") for _, path in operations}
        parents = {p[:i] for p in paths for i in range(1, len(p)) if p[i] == "/"}
        read = {naming_path(path).rstrip("/") for method, path in operations if method == "get"}
        return cls(frozenset(read), frozenset(parents))


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def resource_and_name(http_method: str, path: str, index: PathIndex | None = None) -> tuple[tuple[str, ...], str]:
    """Where an operation hangs in the client, by the shape of its path (docs/decisions.md,
    "Method names"): parameters drop out; a trailing segment is an action on its parent when
    it is not a resource itself (no GET reads it, no path goes below it) and it follows a
    parameter (`/jobs/{id}/cancel`) or is a verb (`/graders/run`); otherwise the HTTP method
    and whether the path ends in a parameter give create, retrieve, list, update, delete."""
    key = naming_path(path).rstrip("/")
    segments = [s for s in key.split("/") if s]
    last = segments[-1] if segments else ""
    resource_itself = index is not None and (key in index.read or key in index.parents)
    action = None
    if segments and not _is_parameter(last) and http_method != "get" and not resource_itself:
        if (len(segments) > 1 and _is_parameter(segments[-2])) or last.lower() in ACTIONS:
            action = last
    chain = [s for s in (segments[:-1] if action else segments) if not _is_parameter(s)]
    resource = tuple(attribute_name(s) for s in chain)
    if action:
        return resource, attribute_name(action)
    return resource, VERBS[http_method][0 if segments and _is_parameter(last) else 1]


class OperationNormalizer:
    def __init__(self, specset: SpecSet, schemas: SchemaNormalizer, diagnostics: list[Diagnostic]) -> None:
        self.specset = specset
        self.schemas = schemas
        self.diagnostics = diagnostics

    def operations(self, documents: list[Document]) -> list[Operation]:
        """Every operation of the documents, in order; each with a unique operationId."""
        located = []
        for doc in documents:
            paths = doc.data.get("paths") or {}
            for path, item_raw in paths.items():
                if is_extension(path):
                    continue
                item_ptr = pointer_join("#/paths", path)
                idoc, iptr, item = _deref(self.specset, doc, item_ptr, item_raw, self.diagnostics)
                for method in HTTP_METHODS:
                    if isinstance(item.get(method), dict):
                        located.append((idoc, pointer_join(iptr, method), str(path), method, item[method], item))
        ids = self._unique_ids(located)
        index = PathIndex.of([(method, path) for _, _, path, method, _, _ in located])
        return [self._operation(*where, ids[where[1], str(where[0].path)], index) for where in located]

    def _unique_ids(self, located: list[tuple[Document, str, str, str, Any, Any]]) -> dict[tuple[str, str], str]:
        """(pointer, file) -> operationId. A later operation (in document order) whose id repeats
        an earlier one's, or gives the same Python names (it differs by case or punctuation), is
        renamed after its method and path, with a warning naming both places."""
        ids: dict[tuple[str, str], str] = {}
        first: dict[str, tuple[Document, str, str]] = {}  # snake form -> (document, pointer, id)
        for doc, ptr, path, method, op, _ in located:
            given = str(op.get("operationId") or snake(f"{method} {path}"))
            earlier = first.get(snake(given))
            if earlier is not None:
                renamed = f"{given}_{snake(f'{method} {path}')}"
                there = f"{earlier[0].path.name}{earlier[1]}"
                clash = "is used at" if given == earlier[2] else f"makes the same names as {earlier[2]!r} at"
                message = f"operationId {given!r} {clash} {there} too; generated here as {renamed!r}"
                at = doc.location(pointer_join(ptr, "operationId") if "operationId" in op else ptr)
                self.diagnostics.append(Diagnostic.of("duplicate-operation-id", at, message))
                given = renamed
            first.setdefault(snake(given), (doc, ptr, given))
            ids[ptr, str(doc.path)] = given
        return ids

    def _operation(
        self,
        doc: Document,
        ptr: str,
        path: str,
        method: str,
        op: dict[str, Any],
        item: dict[str, Any],
        operation_id: str,
        index: PathIndex,
    ) -> Operation:
        hint = (pascal(operation_id),)
        resource, name = resource_and_name(method, path, index)
        taken = set(RESERVED_ARGS)
        parameters = self._parameters(doc, ptr, op, item, hint, taken)
        body = self._body(doc, ptr, op, hint, taken)
        self._error_responses(doc, ptr, op.get("responses") or {}, hint)
        success = self._success(doc, ptr, op)
        response, kind, media, accepts = self._response(success, hint)
        events = response if kind == "events" else self._events(success, hint)
        stream_field = _stream_field(body) if events is not None and kind != "events" else None
        if stream_field:  # the body's `stream: true` asks for the events: no `accept` choice for them
            accepts = tuple(m for m in accepts if m != EVENTS)
            accepts = accepts if len(accepts) > 1 else ()
        codes = sorted(str(c) for c in op.get("responses") or {} if str(c).isdigit() and str(c).startswith("2"))
        headers = self._headers(success, hint)
        pagination = self._pagination(parameters, response, headers)
        if name == "list" and not pagination and not self._listing(response):
            name = "retrieve"  # a GET of one object (`/organization/spend_limit`), not of many
        return Operation(
            operation_id=operation_id,
            name=name,
            resource=resource,
            http_method=method.upper(),
            path=path,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            deprecated=bool(op.get("deprecated")),
            parameters=tuple(parameters),
            body=body,
            response=response,
            response_kind=kind,
            response_media=media,
            accepts=accepts,
            response_media_types=tuple(sorted(str(m) for m in success[2].get("content") or {})) if success else (),
            response_headers=headers,
            security=requirements(op["security"]) if isinstance(op.get("security"), list) else None,
            servers=servers(op.get("servers") or item.get("servers")),
            events=events,
            stream_field=stream_field,
            stability=str(op["x-stability-level"]) if op.get("x-stability-level") else None,
            status_code=int(codes[0]) if codes else 200,
            pagination=pagination,
            tags=tuple(str(t) for t in op.get("tags") or ()),
            source=Source(str(doc.path), ptr),
        )

    def _parameters(
        self, doc: Document, ptr: str, op: dict[str, Any], item: dict[str, Any], hint: Hint, taken: set[str]
    ) -> list[Parameter]:
        merged: dict[tuple[str, str], tuple[Document, str, dict[str, Any]]] = {}
        item_ptr = ptr.rsplit("/", 1)[0]
        for base_ptr, params in ((item_ptr, item.get("parameters")), (ptr, op.get("parameters"))):
            for i, raw in enumerate(params or []):
                pdoc, pptr, param = _deref(
                    self.specset, doc, pointer_join(base_ptr, "parameters", i), raw, self.diagnostics
                )
                if "name" in param and "in" in param:
                    merged[(str(param["name"]), str(param["in"]))] = (pdoc, pptr, param)
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        out = []
        for (wire, location), (pdoc, pptr, param) in sorted(merged.items(), key=lambda kv: order.get(kv[0][1], 4)):
            schema_ptr, schema = pointer_join(pptr, "schema"), param.get("schema")
            media = None
            if schema is None and isinstance(param.get("content"), dict) and param["content"]:
                media = str(next(iter(param["content"])))
                schema_ptr = pointer_join(pptr, "content", media, "schema")
                schema = (param["content"][media] or {}).get("schema")
            style = str(param.get("style") or ("form" if location in ("query", "cookie") else "simple"))
            ptype = self.schemas.type_of(pdoc, schema_ptr, schema, (*hint, pascal(wire)))
            name = field_name(wire, model_field=False)
            if name in taken:
                name = f"{name}_{location}"
            out.append(
                Parameter(
                    name=unique(name, taken),
                    wire_name=wire,
                    location=location,
                    type=ptype,
                    required=bool(param.get("required")) or location == "path",
                    description=_text(param.get("description")),
                    default=schema.get("default", MISSING) if isinstance(schema, dict) else MISSING,
                    deprecated=bool(param.get("deprecated")),
                    style=style,
                    explode=bool(param.get("explode", style == "form")),
                    allow_reserved=bool(param.get("allowReserved")),
                    media=media,
                    source=Source(str(pdoc.path), pptr),
                )
            )
        return out

    def _body(self, doc: Document, ptr: str, op: dict[str, Any], hint: Hint, taken: set[str]) -> Body | None:
        if "requestBody" not in op:
            return None
        bdoc, bptr, body = _deref(
            self.specset, doc, pointer_join(ptr, "requestBody"), op["requestBody"], self.diagnostics
        )
        picked = _pick_content(body.get("content"))
        if picked is None:
            return None
        required = bool(body.get("required"))
        media_types = tuple(sorted(str(m) for m in body["content"]))
        media, media_obj = picked
        btype = self._body_type(bdoc, bptr, media, media_obj, hint)
        content = body["content"]
        if media in JSON_TYPES and "multipart/form-data" in content and self._carries_files(btype):
            # JSON cannot carry the files the schema holds: the spec's multipart variant can.
            media, media_obj = "multipart/form-data", content["multipart/form-data"]
            btype = self._body_type(bdoc, bptr, media, media_obj, hint)
        if media not in CONTENT_PREFERENCE:  # raw: text as `str`, anything else as bytes or a file
            raw_type = btype if media.startswith("text/") and isinstance(btype, Primitive) else None
            kind = Primitive("str" if media.startswith("text/") else "bytes")
            return Body(media, raw_type or kind, required, media_types=media_types)
        encoding = _encoding(media_obj.get("encoding") if isinstance(media_obj, dict) else None)
        if isinstance(btype, Ref):
            model = self.schemas.models[btype.name]
            fields = []
            for f in model.fields:  # keyword arguments: `model_sample`, not the model field's `model_sample_`
                if f.read_only:
                    continue  # the server's to set: never asked for, never sent
                name = field_name(f.wire_name, model_field=False)
                name = name if name not in taken else f"{name}_body"
                fields.append(replace(f, name=unique(name, taken)))
            return Body(media, btype, required, tuple(fields), encoding, media_types)
        unique("body", taken)
        return Body(media, btype, required, encoding=encoding, media_types=media_types)

    def _success(self, doc: Document, ptr: str, op: dict[str, Any]) -> tuple[Document, str, dict[str, Any]] | None:
        """The first success response (its document, pointer and object), or None."""
        responses = op.get("responses") or {}
        codes = sorted(str(c) for c in responses if str(c).startswith("2"))
        if not codes:
            return None
        raw = responses.get(codes[0], responses.get(int(codes[0])) if codes[0].isdigit() else None)
        return _deref(self.specset, doc, pointer_join(ptr, "responses", codes[0]), raw, self.diagnostics)

    def _headers(self, success: tuple[Document, str, dict[str, Any]] | None, hint: Hint) -> tuple[Header, ...]:
        """The headers of the first success response."""
        if success is None:
            return ()
        rdoc, rptr, response = success
        out = []
        for name, header in sorted((response.get("headers") or {}).items()):
            hdoc, hptr, header = _deref(
                self.specset, rdoc, pointer_join(rptr, "headers", name), header, self.diagnostics
            )
            schema = header.get("schema", {})
            htype = self.schemas.type_of(hdoc, pointer_join(hptr, "schema"), schema, (*hint, pascal(str(name))))
            out.append(Header(str(name), bool(header.get("required")), htype, Source(str(hdoc.path), hptr)))
        return tuple(out)

    def _body_type(self, doc: Document, ptr: str, media: str, media_obj: Any, hint: Hint) -> Type:
        schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
        if schema is None:
            return Primitive("bytes")
        return self.schemas.type_of(doc, pointer_join(ptr, "content", media, "schema"), schema, (*hint, "Request"))

    def _carries_files(self, t: Type, seen: frozenset[str] = frozenset()) -> bool:
        """Binary strings anywhere in the type (its models' fields, items, values, members)."""
        if isinstance(t, Primitive) and t.kind == "bytes":
            return True
        if isinstance(t, (Array, Map)):
            return self._carries_files(t.item if isinstance(t, Array) else t.value, seen)
        if isinstance(t, Union_):
            return any(self._carries_files(m, seen) for m in t.members)
        if isinstance(t, Ref) and t.name not in seen and t.name in self.schemas.models:
            model = self.schemas.models[t.name]
            return any(self._carries_files(f.type, seen | {t.name}) for f in model.fields)
        return False

    def _response(
        self, success: tuple[Document, str, dict[str, Any]] | None, hint: Hint
    ) -> tuple[Type | None, str, str, tuple[str, ...]]:
        """The success response's type, kind (json, text, binary, events, empty) and media type,
        and all its media types when it offers several (the caller picks one with `accept`)."""
        if success is None:
            return None, "empty", JSON_TYPES[0], ()
        rdoc, rptr, response = success
        picked = _pick_content(response.get("content"))
        if picked is None:
            return None, "empty", JSON_TYPES[0], ()
        media, media_obj = picked
        offered = tuple(str(m) for m in response["content"])
        accepts = offered if len(offered) > 1 and media in offered else ()
        if media == EVENTS:
            return self._events(success, hint), "events", media, accepts
        if media not in JSON_TYPES:
            text = media.startswith("text/")
            return Primitive("bytes"), "text" if text else "binary", media, accepts
        schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
        if schema is None:
            return None, "empty", media, ()
        schema_ptr = pointer_join(rptr, "content", media, "schema")
        return self.schemas.type_of(rdoc, schema_ptr, schema, (*hint, "Response")), "json", media, accepts

    def _events(self, success: tuple[Document, str, dict[str, Any]] | None, hint: Hint) -> Type | None:
        """The data of each event, where the success response can be an event stream: its
        `itemSchema` (OpenAPI 3.2's sequential media) or its `schema` (each event's JSON)."""
        if success is None:
            return None
        rdoc, rptr, response = success
        media = (response.get("content") or {}).get(EVENTS)
        if not isinstance(media, dict):
            return None
        key = "itemSchema" if "itemSchema" in media else "schema"
        if not isinstance(media.get(key), dict):
            return Primitive("str")
        return self.schemas.type_of(rdoc, pointer_join(rptr, "content", EVENTS, key), media[key], (*hint, "Event"))

    def _error_responses(self, doc: Document, ptr: str, responses: dict[Any, Any], hint: Hint) -> None:
        """Error bodies are not returned, but their models are part of the API (and the stubs)."""
        for code, raw in responses.items():
            if str(code).startswith("2") or is_extension(code):
                continue
            rdoc, rptr, response = _deref(
                self.specset, doc, pointer_join(ptr, "responses", code), raw, self.diagnostics
            )
            picked = _pick_content(response.get("content"))
            if picked and picked[0] in JSON_TYPES and isinstance(picked[1], dict) and "schema" in picked[1]:
                schema_ptr = pointer_join(rptr, "content", picked[0], "schema")
                self.schemas.type_of(rdoc, schema_ptr, picked[1]["schema"], (*hint, pascal(str(code)), "Error"))

    def _listing(self, response: Type | None) -> bool:
        """An array, or an object holding one in `data` (a page, even one without a cursor)."""
        if isinstance(response, Array):
            return True
        if not isinstance(response, Ref) or response.name not in self.schemas.models:
            return False
        return any(
            f.wire_name == "data" and isinstance(f.type, Array) for f in self.schemas.models[response.name].fields
        )

    def _pagination(
        self, parameters: list[Parameter], response: Type | None, headers: tuple[Header, ...]
    ) -> Pagination | None:
        """How the pages of a list follow each other, told by the names the spec uses: OpenAI's
        `after` + `has_more` (the last item's `id`), a cursor the response returns, a next-page
        URL in the body or a `Link` header, offset and page number parameters."""
        found = self.items_of(response)
        if found is None:
            return None
        items, item = found
        query = {p.wire_name for p in parameters if p.location == "query"}
        fields = set(self._fields(response))
        rule = self._linked(query, fields, response, headers) or _counted(query, fields)
        if rule is None and items == "data" and "object" in fields:
            rule = ("single", "", "", "")  # OpenAI's list envelope without a cursor: one page, as openai-python has it
        return None if rule is None else Pagination(item, rule[0], items, *rule[1:])

    def _linked(
        self, query: set[str], fields: set[str], response: Type | None, headers: tuple[Header, ...]
    ) -> tuple[str, ...] | None:
        """(style, param, field, more) of pages linked by a cursor or a URL, if they are."""
        if "after" in query and "has_more" in fields:
            return ("cursor", "after", "id", "has_more")
        cursor = next((c for c in CURSOR_PARAMS if c in query), None)
        returned = next((f for f in NEXT_CURSOR_FIELDS if f in fields), None)
        if cursor and returned:
            return ("cursor_field", cursor, returned, "")
        url = next((f for f in NEXT_URL_FIELDS if self._text_field(response, f)), None)
        if url:
            return ("next_url", "", url, "")
        if any(h.name.lower() == "link" for h in headers):
            return ("link", "", "", "")
        return None

    def _fields(self, response: Type | None) -> dict[str, Type]:
        if not isinstance(response, Ref) or response.name not in self.schemas.models:
            return {}
        return {f.wire_name: f.type for f in self.schemas.models[response.name].fields}

    def items_of(self, response: Type | None, named: str | None = None) -> tuple[str, Type] | None:
        """(the response's field of items, or "" when the response is the list; the item type);
        `named`: that field."""
        if isinstance(response, Array):
            return "", response.item
        arrays = {name: t for name, t in self._fields(response).items() if isinstance(t, Array)}
        if named is not None:
            return (named, arrays[named].item) if isinstance(arrays.get(named), Array) else None
        name = next((n for n in ITEM_FIELDS if n in arrays), None) or (next(iter(arrays)) if len(arrays) == 1 else None)
        if name is None:
            return None
        array = arrays[name]
        assert isinstance(array, Array)
        return name, array.item

    def _text_field(self, response: Type | None, dotted: str) -> bool:
        """Does the response have a string at `a` or `a.b`?"""
        outer, _, inner = dotted.partition(".")
        found = self._fields(response).get(outer)
        if inner:
            found = self._fields(found).get(inner)
        kinds = found.members if isinstance(found, Union_) else (found,)
        return any(isinstance(k, Primitive) and k.kind == "str" for k in kinds)


def _counted(query: set[str], fields: set[str]) -> tuple[str, ...] | None:
    """(style, param, field, more, limit) of pages counted by an offset or a page number."""
    more = next((m for m in MORE_FIELDS if m in fields), "")
    offset = next((o for o in OFFSET_PARAMS if o in query), None)
    if offset:
        return ("offset", offset, "", more, next((n for n in LIMIT_PARAMS if n in query), ""))
    page = next((n for n in PAGE_PARAMS if n in query), None)
    return ("page", page, "", more) if page else None


# The names specs use for pages (each list in order of preference).
ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values", "list", "elements")
MORE_FIELDS = ("has_more", "hasMore", "has_next", "hasNext", "more")
CURSOR_PARAMS = ("cursor", "page_token", "pageToken", "next_token", "nextToken", "continuation_token",
                 "continuationToken", "marker", "starting_after", "after", "page")  # fmt: skip
# A returned cursor may be a page number too (`page` and `next_page`): it is sent back as it is.
NEXT_CURSOR_FIELDS = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token", "nextToken",
                      "continuation_token", "continuationToken", "next_marker", "nextMarker", "next_page",
                      "nextPage", "cursor")  # fmt: skip
NEXT_URL_FIELDS = ("next", "next_url", "nextUrl", "next_page_url", "nextPageUrl", "links.next", "_links.next")
OFFSET_PARAMS = ("offset", "skip", "start")
LIMIT_PARAMS = ("limit", "count", "size", "page_size", "pageSize", "per_page", "perPage", "top", "take")
PAGE_PARAMS = ("page", "page_number", "pageNumber")


def disambiguate(
    operations: list[Operation],
    diagnostics: list[Diagnostic],
    specset: SpecSet,
    client_names: frozenset[str] = frozenset(),
) -> list[Operation]:
    """Operations that land on the same resource method all take their operationId's name;
    none takes a name the client has (CLIENT_NAMES, and `client_names` besides)."""
    slots: dict[tuple[tuple[str, ...], str], list[int]] = {}
    for i, op in enumerate(operations):
        slots.setdefault((op.resource, op.name), []).append(i)
    out = list(operations)
    for indexes in slots.values():
        if len(indexes) > 1:
            # `/responses` and `/responses?beta=true`: the route without a query string keeps its name.
            plain = [i for i in indexes if "?" not in out[i].path]
            for i in indexes:
                if len(plain) != 1 or i != plain[0]:
                    out[i] = replace(out[i], name=_id_name(out[i]))
    out = [_clear_of_client(op, CLIENT_NAMES | client_names) for op in out]
    # A method may not shadow a sub-resource attribute of the same class.
    children = {(op.resource[:-1], op.resource[-1]) for op in out if op.resource}
    out = [
        replace(op, name=op.name + "_") if (op.resource, op.name) in children or op.name in SHADOWING else op
        for op in out
    ]
    final: dict[tuple[tuple[str, ...], str], Operation] = {}
    ids: dict[str, Operation] = {}
    for op in out:
        for clash in (final.get((op.resource, op.name)), ids.get(op.operation_id)):
            if clash is not None and op.source and clash.source:
                doc = specset.load(Path(op.source.file))
                message = f"operationId {op.operation_id!r} is used twice: here and at {clash.source.pointer}"
                diagnostics.append(Diagnostic.of("duplicate-operation", doc.location(op.source.pointer), message))
                break
        final[(op.resource, op.name)] = op
        ids[op.operation_id] = op
    return out


def _clear_of_client(op: Operation, client_names: frozenset[str] = CLIENT_NAMES) -> Operation:
    """The operation with `_` after a name the client or every resource has already
    (`client.copy`, `client.send`, `x.with_raw_response`)."""
    resource = tuple(
        s + "_" if s in RESOURCE_NAMES or (i == 0 and s in client_names) else s for i, s in enumerate(op.resource)
    )
    taken = RESOURCE_NAMES if resource else RESOURCE_NAMES | client_names
    name = op.name + "_" if op.name in taken else op.name
    return replace(op, resource=resource, name=name) if (resource, name) != (op.resource, op.name) else op


_ID_VERBS = frozenset({"get", "list", "create", "update", "delete", "retrieve", "modify", "replace", "set", "add",
                       "remove", "cancel", "upload", "download"})  # fmt: skip


def _id_name(op: Operation) -> str:
    """A method name from the operationId; a word written as one lowercase run
    (`Deleteprojectspendlimit`) is split into the words of the path, the summary and verbs."""
    words = attribute_name(op.operation_id).split("_")
    if all(len(w) < 12 for w in words):
        return "_".join(words)
    vocabulary = _ID_VERBS | {w for s in naming_path(op.path).split("/") for w in snake(s).split("_") if w}
    vocabulary |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", op.summary)}
    vocabulary |= {w[:-1] for w in vocabulary if w.endswith("s")}  # `projects` -> project
    pieces = [p for w in words for p in (split_run_together(w, frozenset(vocabulary)) if len(w) >= 12 else [w])]
    return attribute_name("_".join(pieces))


def paged_by_config(
    operations: list[Operation],
    pagination: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    normalizer: OperationNormalizer,
    diagnostics: list[Diagnostic],
    where: Callable[[str], Location],
) -> list[Operation]:
    """Operations paged as `[tool.ftgen.pagination]` says (`"GET /path" = {style = "offset",
    items = "results", param = "skip"}`): the rule's keys over the style's usual names."""
    out = list(operations)
    index = {f"{op.http_method} {op.path}": i for i, op in enumerate(out)} | {
        op.operation_id: i for i, op in enumerate(out)
    }
    for key, rule in pagination:
        method, _, path = key.partition(" ")
        i = index.get(f"{method.upper()} {path}" if path else key)
        values = dict(rule)
        found = normalizer.items_of(out[i].response, values.get("items")) if i is not None else None
        if i is None:
            problem = f"{key!r} is no operation of the spec (write `GET /path` or an operationId)"
        elif found is None:
            problem = f"{key!r}: its response has no list of items{' named ' + repr(values['items']) if 'items' in values else ''}"
        else:
            style = values["style"]
            usual = {"cursor": ("after", "id", "has_more"), "cursor_field": ("cursor", "next_cursor", ""),
                     "offset": ("offset", "", ""), "page": ("page", "", ""), "next_url": ("", "next", ""),
                     "link": ("", "", ""), "single": ("", "", "")}[style]  # fmt: skip
            param, field, more = (
                values.get("param", usual[0]),
                values.get("field", usual[1]),
                values.get("more", usual[2]),
            )
            paging = Pagination(found[1], style, found[0], param, field, more, values.get("limit", ""))
            out[i] = replace(out[i], pagination=paging, name="list" if out[i].name == "retrieve" else out[i].name)
            continue
        diagnostics.append(Diagnostic.of("config", where(f"pagination/{key}"), problem))
    return out


def named_by_config(
    operations: list[Operation],
    methods: tuple[tuple[str, tuple[str, ...]], ...],
    diagnostics: list[Diagnostic],
    where: Callable[[str], Location],
    deprecated: tuple[tuple[str, str], ...] = (),
) -> list[Operation]:
    """Operations renamed as `[tool.ftgen.methods]` says: an operation (`GET /path`, or its
    operationId) -> its dotted name, then aliases on the same resource. A name for nothing, an
    alias elsewhere, or two methods with one name is a located config error."""
    out = list(operations)
    index = {f"{op.http_method} {op.path}": i for i, op in enumerate(out)} | {
        op.operation_id: i for i, op in enumerate(out)
    }
    for key, names in methods:
        method, _, path = key.partition(" ")
        i = index.get(f"{method.upper()} {path}" if path else key)
        resource, name = tuple(names[0].split(".")[:-1]), names[0].split(".")[-1]
        if i is None:
            problem = f"{key!r} is no operation of the spec (write `GET /path` or an operationId)"
        elif any(tuple(a.split(".")[:-1]) != resource for a in names[1:]):
            problem = f"the aliases of {names[0]!r} must be on its resource ({'.'.join(resource)})"
        elif taken_by_client := [n for n in names if _clear_of_client(_named(out[i], n)) != _named(out[i], n)]:
            problem = f"{taken_by_client[0]!r} would hide what every client has of its own; name it otherwise"
        else:
            messages = dict(deprecated)
            warned = tuple((a.split(".")[-1], messages[a]) for a in names[1:] if a in messages)
            aliases = tuple(a.split(".")[-1] for a in names[1:] if a not in messages)
            out[i] = replace(out[i], resource=resource, name=name, aliases=aliases, deprecated_aliases=warned)
            continue
        diagnostics.append(Diagnostic.of("config", where(f"methods/{key}"), problem))
    taken: dict[tuple[str, ...], str] = {}
    resources = {op.resource[:n] for op in out for n in range(1, len(op.resource) + 1)}
    for op in out:
        for name in op.names:
            dotted = ".".join((*op.resource, name))
            clash = taken.get((*op.resource, name)) or ("a resource" if (*op.resource, name) in resources else None)
            if clash is not None:
                key = next((k for k, names in methods if dotted in names), f"{op.http_method} {op.path}")
                message = f"{dotted!r} names {op.http_method} {op.path} and {clash} too"
                diagnostics.append(Diagnostic.of("config", where(f"methods/{key}"), message))
            taken[(*op.resource, name)] = f"{op.http_method} {op.path}"
    return out


def _named(op: Operation, dotted: str) -> Operation:
    *resource, name = dotted.split(".")
    return replace(op, resource=tuple(resource), name=name)


def requirements(raw: list[Any]) -> tuple[Requirement, ...]:
    """Security requirements: alternatives of (scheme, sorted scopes), each once, in the spec's
    order (a client meets the first it can)."""
    out: dict[Requirement, None] = {}
    for alternative in raw:
        if isinstance(alternative, dict):
            items = (
                (str(k), tuple(sorted(str(s) for s in v)) if isinstance(v, list) else ())
                for k, v in alternative.items()
            )
            out.setdefault(tuple(sorted(items)))
    return tuple(out)


def _stream_field(body: Body | None) -> str | None:
    """The wire name of a boolean `stream` field of the body (OpenAI's pattern), if there is one."""
    for f in body.fields if body else ():
        kinds = f.type.members if isinstance(f.type, Union_) else (f.type,)
        if f.wire_name == "stream" and any(isinstance(k, Primitive) and k.kind == "bool" for k in kinds):
            return f.wire_name
    return None


def servers(raw: Any) -> tuple[Server, ...]:
    """A `servers` list: each URL template with its variables (defaults as text, enums)."""
    out = []
    for server in raw if isinstance(raw, list) else ():
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        variables = []
        for name, variable in (server.get("variables") or {}).items():
            variable = variable if isinstance(variable, dict) else {}
            enum = tuple(str(v) for v in variable.get("enum") or ())
            default = variable.get("default", enum[0] if enum else "")
            variables.append(ServerVariable(str(name), str(default), enum, _text(variable.get("description"))))
        out.append(Server(server["url"], _text(server.get("description")), tuple(variables)))
    return tuple(out)


def _encoding(raw: Any) -> tuple[tuple[str, Encoding], ...]:
    """A form or multipart body's `encoding` map, each entry with the specification's defaults."""
    if not isinstance(raw, dict):
        return ()
    out = []
    for name, entry in sorted(raw.items()):
        entry = entry if isinstance(entry, dict) else {}
        style = str(entry.get("style") or "form")
        out.append((str(name), Encoding(
            style, bool(entry.get("explode", style == "form")), bool(entry.get("allowReserved")),
            str(entry["contentType"]) if entry.get("contentType") else None,
        )))  # fmt: skip
    return tuple(out)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
