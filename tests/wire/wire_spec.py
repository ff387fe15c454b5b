"""A spec that uses every parameter style of OpenAPI 3.0.3's table and every body encoding:
the subject of the wire tests, generated into a client and stubs and served on 127.0.0.1."""

from __future__ import annotations

from typing import Any

COLOR = {
    "type": "object",
    "required": ["R", "G", "B"],
    "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}, "B": {"type": "integer"}},
}
SHAPES = {
    "string": {"type": "string"},
    "array": {"type": "array", "items": {"type": "string"}},
    "object": {"$ref": "#/components/schemas/Color"},
}
# location -> the (style, explode) rows of the table that apply there
ROWS = {
    "path": [("simple", False), ("simple", True), ("label", False), ("label", True), ("matrix", False), ("matrix", True)],
    "query": [("form", False), ("form", True), ("spaceDelimited", False), ("pipeDelimited", False), ("deepObject", True)],
    "header": [("simple", False), ("simple", True)],
    "cookie": [("form", False), ("form", True)],
}  # fmt: skip
NOT_APPLICABLE = {("spaceDelimited", "string"), ("pipeDelimited", "string"), ("deepObject", "string")}
NOT_APPLICABLE |= {("deepObject", "array")}
NO_CONTENT = {"204": {"description": "nothing"}}


def cells() -> list[tuple[str, str, bool, str]]:
    return [
        (location, style, explode, shape)
        for location, rows in ROWS.items()
        for style, explode in rows
        for shape in SHAPES
        if (style, shape) not in NOT_APPLICABLE
    ]


def operation_path(location: str, style: str, explode: bool, shape: str) -> str:
    path = f"/{location}/{style.lower()}/{'exploded' if explode else 'plain'}/{shape}"
    return path + "/{color}" if location == "path" else path


def _parameter_operations() -> dict[str, Any]:
    paths = {}
    for location, style, explode, shape in cells():
        parameter = {
            "name": "color",
            "in": location,
            "required": True,
            "style": style,
            "explode": explode,
            "schema": SHAPES[shape],
        }
        operation_id = f"{location}_{style}_{'exploded' if explode else 'plain'}_{shape}"
        paths[operation_path(location, style, explode, shape)] = {
            "get": {"operationId": operation_id, "parameters": [parameter], "responses": NO_CONTENT}
        }
    return paths


def _body(media: str, schema: dict[str, Any], encoding: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": schema}
    if encoding:
        content["encoding"] = encoding
    return {"required": True, "content": {media: content}}


FORM = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "active": {"type": "boolean"},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "lines": {"type": "array", "items": {"type": "string"}}},
        },
        "expand": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "point": {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}},
        "meta": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
FORM_ENCODING = {
    "address": {"style": "deepObject", "explode": True},
    "expand": {"style": "deepObject", "explode": True},
    "point": {"style": "form", "explode": False},
    "meta": {"contentType": "application/json"},
}
UPLOAD = {
    "type": "object",
    "required": ["file", "purpose"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "purpose": {"type": "string"},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "options": {"type": "object", "properties": {"level": {"type": "integer"}}},
        "note": {"type": "string"},
    },
}
UPLOAD_ENCODING = {"file": {"contentType": "image/png"}, "note": {"contentType": "text/markdown"}}


def wire_spec() -> dict[str, Any]:
    paths = _parameter_operations()
    paths["/bodies/form"] = {
        "post": {
            "operationId": "post_form",
            "requestBody": _body(
                "application/x-www-form-urlencoded", {"$ref": "#/components/schemas/Form"}, FORM_ENCODING
            ),
            "responses": NO_CONTENT,
        }
    }
    paths["/bodies/upload"] = {
        "post": {
            "operationId": "post_upload",
            "requestBody": _body("multipart/form-data", {"$ref": "#/components/schemas/Upload"}, UPLOAD_ENCODING),
            "responses": NO_CONTENT,
        }
    }
    paths["/bodies/raw"] = {
        "put": {
            "operationId": "put_raw",
            "requestBody": _body("application/octet-stream", {"type": "string", "format": "binary"}),
            "responses": NO_CONTENT,
        }
    }
    paths["/bodies/text"] = {
        "put": {
            "operationId": "put_text",
            "requestBody": _body("text/plain", {"type": "string"}),
            "responses": NO_CONTENT,
        }
    }
    paths["/downloads/{name}"] = {
        "get": {
            "operationId": "download",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "the file",
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                }
            },
        }
    }
    paths["/reports/{name}"] = {
        "get": {
            "operationId": "report",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "text", "content": {"text/csv": {"schema": {"type": "string"}}}}},
        }
    }
    paths["/media/{name}"] = {
        "get": {
            "operationId": "media",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "one of three media types, as the caller accepts",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Color"}},
                        "text/csv": {"schema": {"type": "string"}},
                        "image/png": {"schema": {"type": "string", "format": "binary"}},
                    },
                }
            },
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Wire", "version": "1"},
        "servers": [{"url": "http://localhost"}],
        "paths": paths,
        "components": {"schemas": {"Color": COLOR, "Form": FORM, "Upload": UPLOAD}},
    }
