"""The fixed part of the generated server stubs: the API's error shape, and answers.

Copied as it is into every generated stubs package (from ftgen's generator/runtime/); do not
edit the copy. Every error, whether raised by a `Service` (`APIException`), found in a request
by validation, or FastAPI's own (an unknown route), is answered in the API's error shape.
"""

from __future__ import annotations

from typing import Any

import fastapi as _fa
import pydantic as _pd
from fastapi.exceptions import RequestValidationError as _RequestValidationError
from fastapi.responses import JSONResponse as _JSONResponse
from fastapi.responses import Response as _Response
from starlette.exceptions import HTTPException as _HTTPException


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


def deep_object(request: _fa.Request, name: str) -> dict[str, str] | None:
    """A `deepObject` query parameter: `name[key]=value` pairs, or None when absent."""
    prefix = name + "["
    pairs = {
        k[len(prefix) : -1]: v
        for k, v in request.query_params.items()
        if k.startswith(prefix) and k.endswith("]")
    }
    return pairs or None


def respond(result: object, status_code: int) -> _Response:
    if isinstance(result, _Response):
        return result
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
