"""The fixed part of the generated server stubs: the API's error shape, and answers.

Copied as it is into every generated stubs package (from ftgen's generator/runtime/); do not
edit the copy. Every error, whether raised by a `Service` (`APIException`), found in a request
by validation, or FastAPI's own (an unknown route), is answered in the API's error shape.
"""

from __future__ import annotations

import base64
import binascii
import json
import warnings
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from email import parser as _email_parser
from email import policy as _email_policy
from typing import Any, NoReturn, TypeVar, cast
from urllib.parse import quote, unquote

import fastapi as _fa
import pydantic as _pd
from fastapi.exceptions import RequestValidationError as _RequestValidationError
from fastapi.responses import JSONResponse as _JSONResponse
from fastapi.responses import Response as _Response
from starlette.exceptions import HTTPException as _HTTPException

from . import _wire

ModelT = TypeVar("ModelT", bound=_pd.BaseModel)
ServiceT = TypeVar("ServiceT")


class APIException(Exception):
    """An error answered in the API's error shape: `{"error": {"message", "type", "param", "code"}}`."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "param": self.param,
                "code": self.code,
            }
        }


def implemented(
    service: ServiceT, protocol: type, operations: Mapping[str, str]
) -> ServiceT:
    """`service`, or where it lacks some of the operations (`operations`: method name ->
    `operationId (METHOD /path)`) a stand-in whose missing methods answer 501 in the API's
    error shape, naming the operation. A method inherited unchanged from the protocol
    counts as missing (its body is `...`). Warns once which are missing."""
    missing = {
        name: operation
        for name, operation in operations.items()
        if getattr(service, name, None) is None
        or getattr(type(service), name, None) is getattr(protocol, name)
    }
    if not missing:
        return service
    listed = ", ".join(missing.values())
    warnings.warn(
        f"{type(service).__name__} does not implement {len(missing)} operation(s), "
        f"which answer 501: {listed}",
        stacklevel=3,
    )
    return cast(ServiceT, _Partial(service, missing))


class _Partial:
    def __init__(self, service: object, missing: Mapping[str, str]) -> None:
        self._service = service
        self._missing = missing

    def __getattr__(self, name: str) -> Any:
        if name in self._missing:
            return _not_implemented(self._missing[name])
        return getattr(self._service, name)


def _not_implemented(operation: str) -> Callable[..., Any]:
    async def answer(**_: object) -> NoReturn:
        message = f"{operation} is not implemented by this server"
        raise APIException(501, message, type="server_error", code="not_implemented")

    return answer


# ---------------------------------------------------------------- credentials
_PRESENTED: ContextVar[Mapping[str, str | tuple[str, str]]] = ContextVar("credentials")


def credentials() -> Mapping[str, str | tuple[str, str]]:
    """What the request being answered presented, by security scheme: the API key or token
    as sent, `(username, password)` for http basic. Only the schemes of the alternative the
    request meets are there; checking them is the service's business."""
    return _PRESENTED.get({})


def _presented(request: _fa.Request, scheme: Any) -> str | tuple[str, str] | None:
    """The credential a request carries for one scheme (a `_connect.Scheme`), or None."""
    if scheme.kind == "apiKey":
        source = {"query": request.query_params, "cookie": request.cookies}.get(
            scheme.location, request.headers
        )
        value = source.get(scheme.name)
        return value if value else None
    word, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.kind == "basic":
        if word.lower() != "basic":
            return None
        try:
            username, _, password = base64.b64decode(value).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return username, password
    return value.strip() or None if word.lower() == scheme.prefix.lower() else None


def authorize(
    request: _fa.Request,
    security: Any,
    schemes: Mapping[str, Any],
    operation: str,
) -> None:
    """Let the request through when it meets one alternative of the operation's `security`
    (the client's `_constants` SECURITY, or the operation's own), keeping what it presented
    for `credentials()`; else a 401 in the API's error shape naming what is missing.
    """
    presented = {name: _presented(request, scheme) for name, scheme in schemes.items()}
    for alternative in security:
        if all(s not in schemes or presented[s] is not None for s, _ in alternative):
            _PRESENTED.set(
                {s: v for s, _ in alternative if (v := presented.get(s)) is not None}
            )
            return
    if not security:
        _PRESENTED.set({})
        return
    wanted = ", ".join(
        s for s, _ in security[0] if s in schemes and presented[s] is None
    )
    message = f"{operation} needs credentials of the {wanted} scheme"
    raise APIException(401, message, code="missing_credentials")


class Parameter:
    """One parameter the routes read themselves, as the client's `_wire` writes it (any style,
    arrays and objects, `content`), validated as the spec types it; a bad value is a 400.
    """

    def __init__(
        self,
        location: str,
        name: str,
        style: _wire.Style,
        shape: _wire.Shape,
        annotation: Any,
        *,
        required: bool = False,
        keys: tuple[str, ...] | None = (),
        segment: int | None = None,
    ) -> None:
        self.location, self.name, self.style, self.shape = location, name, style, shape
        self.required, self.keys, self.segment = required, keys, segment
        self.adapter: _pd.TypeAdapter[Any] = _pd.TypeAdapter(annotation)

    def raw(self, request: _fa.Request) -> Any:
        name, style, shape = self.name, self.style, self.shape
        if self.location == "path":
            if (
                self.segment is None
            ):  # shares its segment with text or another parameter
                return _wire.decode_path(
                    name, quote(request.path_params[name], safe=""), style, shape
                )
            raw_path = request.scope.get("raw_path") or request.url.path.encode()
            segment = raw_path.decode("latin-1").split("?")[0].split("/")[self.segment]
            return _wire.decode_path(name, segment, style, shape)
        if self.location == "header":
            return _wire.decode_header(name, request.headers.get(name), style, shape)
        if self.location == "cookie":
            pairs = _wire.query_pairs(request.headers.get("cookie", ""), ";")
        else:
            pairs = _wire.query_pairs(
                request.scope.get("query_string", b"").decode("latin-1")
            )
        return _wire.decode_query(name, pairs, style, shape, self.keys)

    def read(self, request: _fa.Request) -> Any:
        try:
            raw = self.raw(request)
        except _wire.WireError as exc:
            raise APIException(
                400, f"Invalid value for {self.name!r}: {exc}", param=self.name
            ) from None
        if raw is None:
            if self.required:
                raise APIException(
                    400, f"Missing required parameter {self.name!r}", param=self.name
                )
            return None
        try:
            return self.adapter.validate_python(raw)
        except _pd.ValidationError as exc:
            problem = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            raise APIException(
                400, f"Invalid value for {self.name!r}: {problem}", param=self.name
            ) from None


async def form_body(
    request: _fa.Request,
    model: type[ModelT],
    fields: dict[str, _wire.Field],
) -> ModelT:
    """A form or multipart body, read as the client writes it and validated by `model` (which
    converts the text of numbers and booleans: a form has no other types)."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    try:
        if content_type.startswith("multipart/form-data"):
            data = _multipart_fields(content_type, body, fields)
        else:
            data = _wire.decode_form(body.decode(), fields)
    except (_wire.WireError, UnicodeDecodeError, ValueError) as exc:
        name = exc.name if isinstance(exc, _wire.WireError) else None
        raise APIException(
            400, f"Could not read the request body: {exc}", param=name
        ) from None
    try:
        return model.model_validate(data, strict=False)
    except _pd.ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(part) for part in first["loc"]) or None
        raise APIException(
            400, f"Invalid value for {param!r}: {first['msg']}", param=param
        ) from None


def _multipart_fields(
    content_type: str, body: bytes, fields: dict[str, _wire.Field]
) -> dict[str, Any]:
    """Parts by name: files as bytes, JSON parts decoded, repeated parts of an array as a list."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = _email_parser.BytesParser(policy=_email_policy.HTTP).parsebytes(
        head + body
    )
    if not message.is_multipart():
        raise ValueError("expected a multipart/form-data body")
    parts: dict[str, list[Any]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        if not isinstance(name, str):
            raise ValueError("a part without a name")
        media = part.get_content_type()
        value: Any = payload  # a file, or any other part that is not text
        if part.get_filename() is None and (
            media.startswith("text/") or "json" in media
        ):
            value = json.loads(payload) if "json" in media else payload.decode()
        parts.setdefault(name, []).append(value)
    out = {}
    for name, values in parts.items():
        one_json_list = len(values) == 1 and isinstance(values[0], list)
        array = name in fields and fields[name][1] == "array" and not one_json_list
        out[name] = values if array else values[0]
    return out


class RawSegments:
    """Routes match the path as sent: an encoded `/` (`%2F`) inside a value stays in its segment
    (Starlette would decode it first and find no route). Added by `create_app`; add it to your
    own app when you mount `create_router` there."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        raw = scope.get("raw_path") if scope["type"] == "http" else None
        if raw and b"%2f" in raw.lower():
            segments = raw.decode("latin-1").split("?")[0].split("/")
            path = "/".join(unquote(s).replace("/", "%2F") for s in segments)
            scope = {**scope, "path": path}
        await self.app(scope, receive, send)


def respond(result: object, status_code: int) -> _Response:
    if isinstance(result, _Response):
        return result
    if hasattr(result, "__aiter__"):  # events, sent as the service yields them
        from fastapi.responses import StreamingResponse

        return StreamingResponse(
            _event_stream(result),
            status_code=status_code,
            media_type="text/event-stream",
        )
    if isinstance(result, bytes):
        return _Response(
            content=result,
            media_type="application/octet-stream",
            status_code=status_code,
        )
    if isinstance(result, _pd.BaseModel):
        return _JSONResponse(
            result.model_dump(mode="json", by_alias=True, exclude_unset=True),
            status_code=status_code,
        )
    return _JSONResponse(
        _pd.TypeAdapter(Any).dump_python(result, mode="json", by_alias=True),
        status_code=status_code,
    )


async def _event_stream(events: Any) -> Any:
    """`data: <JSON>` and a blank line per event (a string as it is)."""
    async for event in events:
        if isinstance(event, str):
            data = event
        elif isinstance(event, _pd.BaseModel):
            data = event.model_dump_json(by_alias=True, exclude_unset=True)
        else:
            data = json.dumps(_pd.TypeAdapter(Any).dump_python(event, mode="json"))
        yield "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


async def _api_exception(request: _fa.Request, exc: Exception) -> _Response:
    assert isinstance(exc, APIException)
    return _JSONResponse(exc.body(), status_code=exc.status_code)


async def _validation_error(request: _fa.Request, exc: Exception) -> _Response:
    """400 in the API's error shape, naming the first offending parameter (`hyperparameters.n_epochs`)."""
    assert isinstance(exc, _RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    if first.get("type") == "json_invalid":
        message = "We could not parse the JSON body of your request: " + str(
            first.get("ctx", {}).get("error", "")
        )
        return _JSONResponse(
            APIException(400, message.rstrip(": ")).body(), status_code=400
        )
    where = (
        "body",
        "query",
        "path",
        "header",
        "cookie",
        "[key]",
    )  # locations and pydantic's key marker
    param = (
        ".".join(str(part) for part in first.get("loc", ()) if part not in where)
        or None
    )
    problem = str(first.get("msg", "invalid request"))
    message = f"Invalid value for {param!r}: {problem}" if param else problem
    return _JSONResponse(
        APIException(400, message, param=param).body(), status_code=400
    )


async def _http_error(request: _fa.Request, exc: Exception) -> _Response:
    """FastAPI's own errors (an unknown route, an unreadable body) in the API's error shape too."""
    assert isinstance(exc, _HTTPException)
    status = exc.status_code
    kind = "invalid_request_error" if status < 500 else "server_error"
    body = APIException(status, str(exc.detail), type=kind).body()
    return _JSONResponse(
        body, status_code=status, headers=getattr(exc, "headers", None)
    )


def answer_errors_in_the_api_shape(app: _fa.FastAPI) -> None:
    app.add_exception_handler(APIException, _api_exception)
    app.add_exception_handler(_RequestValidationError, _validation_error)
    app.add_exception_handler(_HTTPException, _http_error)
