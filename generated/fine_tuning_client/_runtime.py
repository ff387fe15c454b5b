"""Runtime of the generated client: transport, retries, errors, pages and parsing.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit the
copy. It depends only on httpx and pydantic, each imported when first needed (a client built,
a response parsed), so importing the package stays fast. What differs per API is in
`_constants`.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import re
import sys
import time
import warnings
import weakref
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from types import ModuleType
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Generic,
    NamedTuple,
    TypeAlias,
    TypeVar,
    cast,
)

from . import _connect, _wire
from ._connect import (
    ClientCredentials,
    Credential,
    MissingCredentials,
    Security,
    Server,
)
from ._constants import (
    BASE_URL_ENV,
    LOG_ENV,
    PLATFORM_HEADERS,
    SCHEMES,
    SECURITY,
    SERVERS,
    USER_AGENT,
)
from ._response import RAW_RESPONSE, APIResponse, async_response, note_retries
from ._streaming import AsyncStream, Stream
from ._wire import Style as Style  # re-exported: generated calls name `_rt.Style`
from ._wire import Styled

if TYPE_CHECKING:
    import httpx
    import pydantic

    from ._base import APIModel

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound="APIModel")

DEFAULT_TIMEOUT = 600.0
CONNECT_TIMEOUT = 5.0
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRY_STATUSES = frozenset({408, 409, 429})
NEVER_RETRIED = frozenset({501})  # "not implemented" stays so however often it is asked
MAX_REDIRECTS = 20
CHUNK_SIZE = 64 * 1024  # file bodies and streamed downloads move in pieces this big


# ---------------------------------------------------------------- arguments
class Omit:
    """The type of `OMIT`: an argument the caller did not pass, so nothing is sent for it."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "OMIT"


OMIT = Omit()

Timeout: TypeAlias = "float | httpx.Timeout | None"
Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]
# A file to upload: its content, or (filename, content[, content type[, part headers]]).
FileContent: TypeAlias = bytes | IO[bytes] | os.PathLike[str]
FileInput: TypeAlias = (
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)


class RequestOptions(NamedTuple):
    """What every generated method accepts beside the API's own parameters."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | Omit = OMIT


def lazy_module(name: str) -> ModuleType:
    """A module that is imported when one of its attributes is first read."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def warn_deprecated(message: str) -> None:
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def styled(
    value: object,
    style: str,
    explode: bool,
    allow_reserved: bool = False,
    media: str | None = None,
) -> object:
    """A parameter value with the style its spec gives (OMIT stays OMIT: nothing is sent)."""
    if isinstance(value, Omit):
        return value
    return Styled(value, Style(style, explode, allow_reserved, media))


def _unstyled(value: object, location: str) -> tuple[Any, Style]:
    if isinstance(value, Styled):
        return to_jsonable(value.value), value.style
    return to_jsonable(value), _wire.DEFAULTS[location]


def path_template(template: str, values: Mapping[str, object]) -> str:
    """Fill `{name}` placeholders with encoded values; an empty segment is a caller bug."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value, style = _unstyled(values[name], "path")
        segment = _wire.encode_path(name, value, style)
        if (
            not segment
        ):  # openai-python's words, so code that matches them keeps working
            raise ValueError(
                f"Expected a non-empty value for `{name}` but received {value!r}"
            )
        return segment

    return re.sub(r"\{([^{}]+)\}", fill, template)


def to_jsonable(value: object) -> Any:
    """Request data to JSON-ready values: models dumped by wire name, OMIT dropped."""
    if hasattr(value, "model_dump") and hasattr(
        value, "model_fields"
    ):  # a pydantic model
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            str(k): to_jsonable(v) for k, v in value.items() if not isinstance(v, Omit)
        }
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def encode_query(params: Mapping[str, object]) -> list[str]:
    """Encoded `key=value` parts of a query string, each parameter in its style."""
    parts: list[str] = []
    for key, raw in params.items():
        if not isinstance(raw, Omit):
            value, style = _unstyled(raw, "query")
            parts += _wire.encode_query(key, value, style)
    return parts


# ---------------------------------------------------------------- models
# The HTTP response each parsed object came from, kept beside it: a private attribute would
# give every nested model a dict and a Python call, a third of the time of a big list page.
_RESPONSES: dict[int, tuple[weakref.ref[Any], httpx.Response]] = {}


def _remember(obj: object, response: httpx.Response) -> None:
    key = id(obj)

    def forget(ref: weakref.ref[Any]) -> None:
        if _RESPONSES.get(key, (None,))[0] is ref:
            del _RESPONSES[key]

    _RESPONSES[key] = (weakref.ref(obj, forget), response)


def request_id(obj: object) -> str | None:
    """The `x-request-id` of the response `obj` was parsed from (a model's `_request_id`)."""
    ref, response = _RESPONSES.get(id(obj), (None, None))
    if ref is None or ref() is not obj or response is None:
        return None
    value: str | None = response.headers.get("x-request-id")
    return value


def raw_response(obj: APIModel) -> httpx.Response:
    """The HTTP response a model was parsed from: status, headers and raw body."""
    ref, response = _RESPONSES.get(id(obj), (None, None))
    if ref is None or ref() is not obj or response is None:
        raise ValueError("this object was not parsed from an HTTP response")
    return response


# ---------------------------------------------------------------- errors
class APIError(Exception):
    message: str
    request: httpx.Request | None
    body: object | None

    def __init__(
        self,
        message: str,
        request: httpx.Request | None = None,
        *,
        body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    def __init__(
        self, request: httpx.Request | None = None, message: str = "Connection error."
    ) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request | None = None) -> None:
        super().__init__(request, "Request timed out.")


class APIStatusError(APIError):
    """A response with a 4xx or 5xx status; `body` is the parsed error body."""

    def __init__(
        self, message: str, response: httpx.Response, *, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.request_id = response.headers.get("x-request-id")
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        self.code: str | None = _str_or_none(error.get("code"))
        self.param: str | None = _str_or_none(error.get("param"))
        self.type: str | None = _str_or_none(error.get("type"))


class APIResponseValidationError(APIError):
    """A successful response that is not what the spec says: not the JSON it claims, or not
    of the schema; `detail` says where (pydantic's first errors)."""

    def __init__(self, response: httpx.Response, detail: str) -> None:
        request = response.request
        where = request.url.copy_with(query=None)  # the query may hold a credential
        message = (
            f"the {response.status_code} response of {request.method} {where} "
            f"does not match the spec: {detail}"
        )
        super().__init__(message, request, body=response.text)
        self.response = response
        self.status_code = response.status_code
        self.url = str(request.url)
        self.request_id = response.headers.get("x-request-id")
        self.detail = detail


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def status_error(response: httpx.Response) -> APIStatusError:
    try:
        body: object = response.json()
    except ValueError:
        body = response.text or None
    error = body.get("error") if isinstance(body, dict) else None
    detail = error.get("message") if isinstance(error, dict) else None
    message = f"Error code: {response.status_code}" + (f" - {detail}" if detail else "")
    cls = STATUS_ERRORS.get(
        response.status_code,
        InternalServerError if response.status_code >= 500 else APIStatusError,
    )
    return cls(message, response, body=body)


# ---------------------------------------------------------------- parsing
class ModelParser(Generic[ModelT]):
    """Parses a JSON body straight into a model (pydantic-core reads the bytes)."""

    def __init__(self, model: type[ModelT]) -> None:
        self.model = model

    def __call__(self, response: httpx.Response) -> ModelT:
        obj = _collected_after(self.model.model_validate_json, response)
        _remember(obj, response)
        return obj


class AdapterParser(Generic[T]):
    """Parses a JSON body into any other type; the adapter is built on first use."""

    def __init__(self, type_: Any) -> None:
        self.type = type_
        self._adapter: pydantic.TypeAdapter[T] | None = None

    def __call__(self, response: httpx.Response) -> T:
        import pydantic

        if self._adapter is None:
            self._adapter = pydantic.TypeAdapter(self.type)
        return _collected_after(self._adapter.validate_json, response)


BIG_BODY = 256 * 1024


def _collected_after(validate: Callable[[bytes], T], response: httpx.Response) -> T:
    """`validate(content)`, with the cyclic garbage collector paused for a big body: the objects
    a page of thousands of models makes would otherwise be walked again and again while they
    are made (twice the parse's own time). One Rust call holds the GIL throughout, so no
    other thread runs in between; a collector someone else turned off stays off. A body that
    is not what the spec says is an APIResponseValidationError.
    """
    import pydantic

    content = response.content
    paused = len(content) >= BIG_BODY and gc.isenabled()
    if paused:
        gc.disable()
    try:
        return validate(content)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)[:3]
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'the body'}: {e['msg']}"
            for e in errors
        )
        raise APIResponseValidationError(response, detail) from exc
    finally:
        if paused:
            gc.enable()


class MediaParser(Generic[T]):
    """For a response that comes in several media types: parsed by the one that arrives (its
    `Content-Type`): JSON by `json`, text as `str`, anything else as `bytes`.
    """

    def __init__(self, json: Callable[[httpx.Response], Any] | None) -> None:
        self.json = json

    def __call__(self, response: httpx.Response) -> T:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if self.json is not None and (
            media.endswith("/json") or media.endswith("+json")
        ):
            value = self.json(response)
        elif media.startswith("text/"):
            value = response.text
        else:
            value = response.content
        return cast(T, value)  # T unites the types of the media types offered


def read_bytes(response: httpx.Response) -> bytes:
    return response.content


def read_text(response: httpx.Response) -> str:
    return response.text


def read_none(response: httpx.Response) -> None:
    return None


# ---------------------------------------------------------------- paging rules
class Paging(NamedTuple):
    """How a list operation's pages follow each other (normalized from the spec, or given by
    `[tool.ftgen.pagination]`). The default is OpenAI's: `after` the last item's `id`, while
    `has_more` says so.

    style: cursor | cursor_field | offset | page | next_url | link | single (one page and no
    next, a list without a cursor: OpenAI's `permissions.create`). items: the response's field
    holding the page's items ("": the response is the list). param: the query parameter each
    page sets (a cursor, an offset, a page number). field: for cursor, the last item's field;
    for cursor_field and next_url, the response's. more: the response's field saying more
    follow ("": none). limit: for offset, the page size parameter, when the spec has one.
    """

    style: str = "cursor"
    items: str = "data"
    param: str = "after"
    field: str = "id"
    more: str = "has_more"
    limit: str = ""


CURSOR_PAGES = Paging()  # OpenAI's, the default


# ---------------------------------------------------------------- transport
class PreparedRequest(NamedTuple):
    """Everything needed to send (and re-send) one call. Tuples here, not dataclasses: those
    would add several milliseconds to the client's import."""

    method: str
    path: str
    query: list[str]  # encoded `key=value` parts
    headers: dict[str, str]  # credentials among them
    json_body: object | None = None
    files: list[tuple[str, Any]] | None = None
    content: object | None = None  # a raw or form body
    timeout: Timeout | Omit = OMIT
    security: Security | None = None  # the operation's own; None: the API's
    servers: tuple[Server, ...] = ()  # the operation's own; (): the client's base URL
    # Set by `authorize`: never to another origin.
    credential_headers: frozenset[str] = frozenset()

    def __repr__(self) -> str:  # never the query, headers or body (credentials)
        return f"PreparedRequest(method={self.method!r}, path={self.path!r})"


class CredentialsError(APIError):
    """An operation's credentials are not given: nothing was sent. Names what to pass."""


class BaseClient:
    def __init__(
        self,
        *,
        credentials: Mapping[str, Credential | None],
        base_url: str | httpx.URL | None,
        server: int,
        variables: Mapping[str, str | None],
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
        default_query: Query | None = None,
    ) -> None:
        import httpx

        given = str(base_url) if base_url is not None else None
        self._base_given = bool(
            given or os.environ.get(BASE_URL_ENV)
        )  # then every call goes there
        url = _connect.base_url(given, BASE_URL_ENV, SERVERS, server, variables)
        self.base_url = httpx.URL(url.rstrip("/") + "/")
        self._variables = dict(variables)
        self._credentials = dict(credentials)
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers = dict(default_headers or {})
        self.default_query = dict(default_query or {})
        self._logging = _logging_from(os.environ.get(LOG_ENV))
        # What the generated constructor was given: `copy` makes the next client from it.
        self._init: dict[str, Any] = {}

    def _derived(self, changes: Mapping[str, object]) -> dict[str, Any]:
        """The constructor arguments of a client like this one with `changes`, sharing its
        connection pool unless another http client is given."""
        given = {k: v for k, v in changes.items() if not isinstance(v, Omit)}
        return {**self._init, "http_client": self._http, **given}  # type: ignore[attr-defined]

    def __repr__(self) -> str:  # never shows a credential
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def requirement(self, prepared: PreparedRequest) -> _connect.Requirement:
        """The first alternative of the operation's security the client has credentials for."""
        security = SECURITY if prepared.security is None else prepared.security
        try:
            return _connect.choose(
                security,
                self._credentials,
                SCHEMES,
                f"{prepared.method} /{prepared.path}",
            )
        except MissingCredentials as exc:
            raise CredentialsError(str(exc)) from None

    def presented(
        self, prepared: PreparedRequest, values: Mapping[str, str | tuple[str, str]]
    ) -> PreparedRequest:
        """`prepared` with each scheme's credential where the scheme says (header, query,
        cookie); the headers it set are remembered, so that no redirect carries them away.
        """
        headers, query = dict(prepared.headers), list(prepared.query)
        cookies = [headers.pop("Cookie")] if "Cookie" in headers else []
        names = set()
        for scheme, value in values.items():
            location, name, text_ = _connect.present(SCHEMES[scheme], value)
            if location == "query":
                query += _wire.encode_query(name, text_, Style())
            elif location == "cookie":
                cookies += _wire.encode_query(name, text_, Style())
            else:
                headers[name] = text_
                names.add(name)
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        return prepared._replace(
            headers=headers, query=query, credential_headers=frozenset(names)
        )

    def log(
        self,
        prepared: PreparedRequest,
        request: httpx.Request,
        response: httpx.Response,
        attempt: int,
    ) -> None:
        """One line a response at INFO (`POST https://... -> 200`, credentials
        redacted), the request's headers too at DEBUG, on the package's logger.
        """
        import logging

        logger = logging.getLogger(__package__ or __name__)
        again = f" (retry {attempt - 1})" if attempt > 1 else ""
        url = redacted_url(request.url)
        logger.info("%s %s -> %s%s", request.method, url, response.status_code, again)
        if logger.isEnabledFor(logging.DEBUG):
            hidden = {
                "authorization",
                "cookie",
                *map(str.lower, prepared.credential_headers),
            }
            shown = {
                k: "<redacted>" if k.lower() in hidden else v
                for k, v in request.headers.items()
            }
            logger.debug("request headers: %s", shown)

    @staticmethod
    def token_request(
        credential: ClientCredentials, scopes: tuple[str, ...]
    ) -> PreparedRequest:
        headers, fields = credential.form(scopes)
        from urllib.parse import urlencode

        headers |= {"Accept": "application/json", "User-Agent": USER_AGENT}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return PreparedRequest(
            "POST",
            credential.token_url,
            [],
            headers,
            content=urlencode(fields).encode(),
            security=(),
        )

    def prepare(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: object | None = None,
        content_type: str = "application/json",
        encoding: Mapping[str, Style] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        accept: str = "application/json",
        security: Security | None = None,
        servers: tuple[Server, ...] = (),
        options: RequestOptions | None = None,
    ) -> PreparedRequest:
        """A call as it goes on the wire: parameters and body encoded as the spec says
        (credentials are added when it is sent: `authorize`)."""
        options = options or RequestOptions()
        # A query string written into the spec's path key (`/responses?beta=true`) is sent first.
        path, _, written = path.partition("?")
        parts = [p for p in written.split("&") if p]
        parts += encode_query(
            {**self.default_query, **(query or {}), **(options.extra_query or {})}
        )
        all_headers = {
            "Accept": accept,
            "User-Agent": USER_AGENT,
            **platform_headers(),
            **self.default_headers,
        }
        for key, raw in (headers or {}).items():
            if not isinstance(raw, Omit):
                value, style = _unstyled(raw, "header")
                all_headers[key] = _wire.encode_header(value, style)
        cookie = [
            part
            for key, raw in (cookies or {}).items()
            if not isinstance(raw, Omit)
            for part in _wire.encode_query(key, *_unstyled(raw, "cookie"))
        ]
        if cookie:
            all_headers["Cookie"] = "; ".join(cookie)
        if method != "GET":
            # One key for the call, kept across retries, so the server can drop duplicates.
            import uuid

            all_headers["Idempotency-Key"] = f"retry-{uuid.uuid4()}"
        encoded = EncodedBody()
        if isinstance(
            body, Omit
        ):  # an optional body not given (a form body on a GET, say)
            body = None
        if body is not None or options.extra_body:
            encoded = encode_body(
                body, options.extra_body, content_type, encoding or {}
            )
        if encoded.content_type:
            all_headers["Content-Type"] = encoded.content_type
        all_headers.update(options.extra_headers or {})
        return PreparedRequest(
            method,
            path.lstrip("/"),
            parts,
            all_headers,
            encoded.json,
            encoded.files,
            encoded.content,
            options.timeout,
            security,
            servers,
        )

    def build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        prepared: PreparedRequest,
        attempt: int = 1,
    ) -> tuple[httpx.Request, list[IO[bytes]]]:
        """The request to send, and the files opened for it (closed once it is sent)."""
        import httpx

        timeout = (
            self.timeout if isinstance(prepared.timeout, Omit) else prepared.timeout
        )
        if isinstance(timeout, (int, float)):
            timeout = httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout))
        base = self.base_url
        if prepared.servers and not self._base_given:  # the operation's own server
            own = _connect.server_url(prepared.servers[0], self._variables)
            base = httpx.URL(own.rstrip("/") + "/")
        url = base.join(prepared.path)
        if prepared.query:
            url = url.copy_with(query="&".join(prepared.query).encode("ascii"))
        opened: list[IO[bytes]] = []
        content = prepared.content
        if isinstance(content, os.PathLike):
            content = _opened(content, opened)
        elif hasattr(content, "seek"):
            content.seek(0)  # a retry sends it from the start again
        if hasattr(content, "read") and isinstance(http, httpx.AsyncClient):
            content = _async_chunks(content)  # type: ignore[arg-type]
        files = [
            (name, _file_part(value, opened)) for name, value in prepared.files or ()
        ]
        request = http.build_request(
            prepared.method,
            url,
            headers=prepared.headers,
            json=prepared.json_body,
            files=files or None,
            content=content,  # type: ignore[arg-type]
            timeout=timeout,
        )
        if PLATFORM_HEADERS:
            request.headers[f"{PLATFORM_HEADERS}-Retry-Count"] = str(attempt - 1)
        return request, opened

    def _attach(self) -> None:
        """Called at the end of construction; the generated client adds its resources here."""

    def retry_delay(
        self, attempt: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before retry number `attempt` (1-based), or None for no retry."""
        if attempt > self.max_retries:
            return None
        if response is not None:
            status = response.status_code
            said = response.headers.get("x-should-retry")  # the server's word decides
            if (
                said == "false"
                or said != "true"
                and (
                    status in NEVER_RETRIED
                    or (status not in RETRY_STATUSES and status < 500)
                )
            ):
                return None
            after = _retry_after(response.headers)
            if after is not None:
                return min(after, MAX_RETRY_AFTER)
        import random

        delay = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())  # jitter


_PLATFORM: dict[str, str] = {}


def platform_headers() -> dict[str, str]:
    """`PLATFORM_HEADERS`-Lang, -OS, -Arch, -Runtime...: what the service may count by; once."""
    if PLATFORM_HEADERS and not _PLATFORM:
        import platform

        system, machine = platform.system(), platform.machine().lower()
        names = {"Darwin": "MacOS", "Linux": "Linux", "Windows": "Windows"}
        arches = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
        found = {
            "Lang": "python",
            "Package-Version": USER_AGENT.rpartition("/")[2],
            "OS": names.get(system, f"Other:{system}"),
            "Arch": arches.get(machine, f"other:{machine}"),
            "Runtime": platform.python_implementation(),
            "Runtime-Version": platform.python_version(),
        }
        _PLATFORM.update({f"{PLATFORM_HEADERS}-{k}": v for k, v in found.items()})
    return _PLATFORM


def _logging_from(level: str | None) -> bool:
    """`<API>_LOG=info|debug`: a handler on the package's logger at that level.
    Without it, lines go to the logger where an application has set its level.
    """
    import sys

    if level and level.lower() in ("info", "debug"):
        import logging

        logger = logging.getLogger(__package__ or __name__)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(
                logging.Formatter("[%(asctime)s - %(name)s:%(levelname)s] %(message)s")
            )
            logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if level.lower() == "debug" else logging.INFO)
        return True
    logging_module = sys.modules.get("logging")
    if logging_module is None:
        return False
    logger = logging_module.getLogger(__package__ or __name__)
    return bool(logger.isEnabledFor(logging_module.INFO))


def redacted_url(url: httpx.URL) -> str:
    """The URL with every query credential (an apiKey scheme in the query) replaced."""
    names = {
        s.name for s in SCHEMES.values() if s.kind == "apiKey" and s.location == "query"
    }
    if not names or not url.query:
        return str(url)
    parts = [p if p.split("=")[0] not in names else p.split("=")[0] + "=<redacted>"
             for p in url.query.decode().split("&")]  # fmt: skip
    return str(url.copy_with(query="&".join(parts).encode()))


def redirect(
    original: httpx.Request,
    response: httpx.Response,
    hops: int,
    credentials: frozenset[str] = frozenset(),
) -> httpx.Request | None:
    """The request a redirect asks for, or None when `response` is none to follow. httpx
    builds it (the method and body as RFC 9110 says); credentials go only to the origin they
    were given for, so on the way to another one the `Authorization` header, any cookie and
    every header a security scheme set (`credentials`) are dropped, whatever the http
    client's own rules. (A query credential stays behind: the next URL is the server's.)
    """
    following = response.next_request
    if following is None or not response.is_redirect:
        return None
    if hops >= MAX_REDIRECTS:
        raise APIConnectionError(original, f"More than {MAX_REDIRECTS} redirects.")
    if _origin(following.url) != _origin(original.url):
        for name in ("Authorization", "Cookie", *credentials):
            following.headers.pop(name, None)
    return following


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


class EncodedBody(NamedTuple):
    """A body as httpx takes it: JSON, multipart parts, or content with its type."""

    json: object | None = None
    files: list[tuple[str, Any]] | None = None
    content: object | None = None
    content_type: str | None = (
        None  # the Content-Type header, where httpx does not set one
    )


def encode_body(
    body: object | None,
    extra_body: Body | None,
    content_type: str,
    encoding: Mapping[str, Style],
) -> EncodedBody:
    """The body in the media type the spec gives, `extra_body`'s keys merged into an object."""
    extra = dict(extra_body or {})
    raw: object = extra if body is None else body
    if isinstance(body, Mapping):
        raw = {**body, **extra}
    if content_type == "multipart/form-data" and isinstance(raw, Mapping):
        return EncodedBody(files=_multipart(raw, encoding))
    if content_type == "application/x-www-form-urlencoded" and isinstance(raw, Mapping):
        form = _wire.encode_form(to_jsonable(raw), encoding)
        return EncodedBody(content=form.encode(), content_type=content_type)
    if content_type == "application/json":
        return EncodedBody(json=to_jsonable(raw))
    # Raw: text as UTF-8, bytes, a file object or a path as they are.
    if isinstance(raw, str):
        charset = "" if "charset" in content_type else "; charset=utf-8"
        return EncodedBody(content=raw.encode(), content_type=content_type + charset)
    return EncodedBody(content=raw, content_type=content_type)


def _is_file(value: object) -> bool:
    return isinstance(value, (bytes, tuple, os.PathLike)) or hasattr(value, "read")


def _multipart(
    fields: Mapping[str, object], encoding: Mapping[str, Style]
) -> list[tuple[str, Any]]:
    """Parts in field order: files as they are; arrays of plain values as one part per item;
    objects as JSON; the rest as text; a field's `encoding.contentType` decides where given.
    """
    parts: list[tuple[str, Any]] = []
    for name, value in fields.items():
        if isinstance(value, Omit):
            continue
        media = encoding[name].media if name in encoding else None
        if _is_file(value):
            parts.append((name, value if media is None else _typed_file(value, media)))
            continue
        value = to_jsonable(value)
        items = value if isinstance(value, list) and media is None else [value]
        for item in items:
            if _is_file(item):
                parts.append((name, item))
            elif (
                media is not None and "json" in media or isinstance(item, (dict, list))
            ):
                data = json.dumps(item, separators=(",", ":"), ensure_ascii=False)
                parts.append((name, (None, data.encode(), media or "application/json")))
            else:
                parts.append((name, (None, _wire.text(item).encode(), media)))
    return parts


def _typed_file(value: object, media: str) -> tuple[Any, ...]:
    """A file whose part gets the content type its field's `encoding` gives."""
    if isinstance(value, tuple):
        return (
            *value[:2],
            value[2] if len(value) > 2 and value[2] else media,
            *value[3:],
        )
    return (_file_name(value), value, media)


def _file_name(content: object) -> str | None:
    """A path's or an open file's base name; bytes are an "upload" (as httpx names them)."""
    if isinstance(content, bytes):
        return "upload"
    name = (
        content if isinstance(content, os.PathLike) else getattr(content, "name", None)
    )
    return (
        os.path.basename(os.fspath(name))
        if isinstance(name, (str, os.PathLike))
        else None
    )


def _file_part(value: Any, opened: list[IO[bytes]]) -> Any:
    """A part as httpx takes it, with paths opened (and noted, to be closed after sending)."""
    if isinstance(value, os.PathLike):
        return (_file_name(value), _opened(value, opened))
    if isinstance(value, tuple) and isinstance(value[1], os.PathLike):
        return (value[0], _opened(value[1], opened), *value[2:])
    if isinstance(value, bytes):
        return (_file_name(value), value)
    return value


async def _async_chunks(file: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := file.read(CHUNK_SIZE):
        yield chunk


def _opened(path: os.PathLike[str], opened: list[IO[bytes]]) -> IO[bytes]:
    # Closed by the sender once the request is sent.
    file = open(path, "rb")  # noqa: SIM115
    opened.append(file)
    return file


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return float(value) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        import email.utils

        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(parsed.timestamp() - time.time(), 0.0)


class SyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        credentials: Mapping[str, Credential | None] | None = None,
        base_url: str | httpx.URL | None = None,
        server: int = 0,
        variables: Mapping[str, str | None] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.Client | None = None,
        default_query: Query | None = None,
    ) -> None:
        super().__init__(
            credentials=credentials or {},
            base_url=base_url,
            server=server,
            variables=variables or {},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
        )
        import httpx

        self._http = http_client or httpx.Client()
        self._attach()

    def authorize(self, prepared: PreparedRequest) -> PreparedRequest:
        """`prepared` with the credentials of the first alternative the client can meet: a
        callable called, client credentials exchanged for a token (kept until it expires).
        """
        values: dict[str, str | tuple[str, str]] = {}
        for scheme, scopes in self.requirement(prepared):
            credential = self._credentials[scheme]
            if isinstance(credential, ClientCredentials):
                with (
                    credential._lock
                ):  # one token request at a time, then the kept token
                    values[scheme] = credential.cached(scopes) or credential.keep(
                        scopes, self.send(self.token_request(credential, scopes)).json()
                    )
            elif callable(credential):
                values[scheme] = credential()
            elif credential is not None:
                values[scheme] = credential
        return self.presented(prepared, values)

    def close(self) -> None:
        self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, prepared: PreparedRequest, stream: bool = False) -> httpx.Response:
        """The response to a successful call, after retries; with `stream`, its body unread."""
        import httpx

        prepared = self.authorize(prepared)
        attempt = 0
        while True:
            attempt += 1
            request, opened = self.build(self._http, prepared, attempt)
            try:
                response = self._http.send(
                    request, stream=stream, follow_redirects=False
                )
                hops = 0
                while (
                    following := redirect(
                        request, response, hops, prepared.credential_headers
                    )
                ) is not None:
                    response.close()
                    hops += 1
                    response = self._http.send(
                        following, stream=stream, follow_redirects=False
                    )
            except httpx.TimeoutException as exc:
                delay = self.retry_delay(attempt, None)
                if delay is None:
                    raise APITimeoutError(request) from exc
            except httpx.TransportError as exc:
                delay = self.retry_delay(attempt, None)
                if delay is None:
                    raise APIConnectionError(request) from exc
            else:
                if self._logging:
                    self.log(prepared, request, response, attempt)
                if response.is_success:
                    note_retries(response, attempt - 1)
                    return response
                delay = self.retry_delay(attempt, response)
                if delay is None:
                    response.read()
                    raise status_error(response)
                response.close()
            finally:
                for file in opened:
                    file.close()
            time.sleep(delay)

    def request(
        self,
        parse: Callable[[httpx.Response], T],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> T:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        # `with_raw_response` / `with_streaming_response`: the response, unparsed.
        if mode:
            response = self.send(prepared, stream=mode == "stream")
            return cast(T, APIResponse(response, parse))
        return parse(self.send(prepared))

    def request_stream(self, method: str, path: str, **kwargs: Any) -> BinaryStream:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        response = self.send(prepared, stream=True)
        if mode:
            return cast(BinaryStream, APIResponse(response, BinaryStream, reads=False))
        return BinaryStream(response)

    def request_events(
        self,
        parse: Callable[[str, httpx.Response], T],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> Stream[T]:
        """Server-sent events, parsed as they arrive (the headers read, the body not)."""
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        response = self.send(prepared, stream=True)
        if mode:
            events = APIResponse(response, lambda r: Stream(r, parse), reads=False)
            return cast(Stream[T], events)
        return Stream(response, parse)

    def request_page(
        self,
        parse: Callable[[httpx.Response], Any],
        method: str,
        path: str,
        paging: Paging = CURSOR_PAGES,
        **kwargs: Any,
    ) -> SyncCursorPage[T]:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        response = self.send(prepared, stream=mode == "stream")

        def page(r: httpx.Response) -> SyncCursorPage[T]:
            return SyncCursorPage(self, parse, prepared, parse(r), paging, r)

        return (
            cast(SyncCursorPage[T], APIResponse(response, page))
            if mode
            else page(response)
        )


class AsyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        credentials: Mapping[str, Credential | None] | None = None,
        base_url: str | httpx.URL | None = None,
        server: int = 0,
        variables: Mapping[str, str | None] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Headers | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_query: Query | None = None,
    ) -> None:
        super().__init__(
            credentials=credentials or {},
            base_url=base_url,
            server=server,
            variables=variables or {},
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
        )
        import httpx

        self._http = http_client or httpx.AsyncClient()
        # An asyncio.Lock per ClientCredentials: one token request at a time.
        self._token_locks: dict[int, Any] = {}
        self._attach()

    async def authorize(self, prepared: PreparedRequest) -> PreparedRequest:
        """As the sync client's; a token request at a time per credential, task-safe."""
        import asyncio

        values: dict[str, str | tuple[str, str]] = {}
        for scheme, scopes in self.requirement(prepared):
            credential = self._credentials[scheme]
            if isinstance(credential, ClientCredentials):
                lock = self._token_locks.setdefault(id(credential), asyncio.Lock())
                async with lock:
                    kept = credential.cached(scopes)
                    if kept is None:
                        answer = await self.send(self.token_request(credential, scopes))
                        kept = credential.keep(scopes, answer.json())
                    values[scheme] = kept
            elif callable(credential):
                values[scheme] = credential()
            elif credential is not None:
                values[scheme] = credential
        return self.presented(prepared, values)

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def send(
        self, prepared: PreparedRequest, stream: bool = False
    ) -> httpx.Response:
        """The response to a successful call, after retries; with `stream`, its body unread."""
        import asyncio

        import httpx

        prepared = await self.authorize(prepared)
        attempt = 0
        while True:
            attempt += 1
            request, opened = self.build(self._http, prepared, attempt)
            try:
                response = await self._http.send(
                    request, stream=stream, follow_redirects=False
                )
                hops = 0
                while (
                    following := redirect(
                        request, response, hops, prepared.credential_headers
                    )
                ) is not None:
                    await response.aclose()
                    hops += 1
                    response = await self._http.send(
                        following, stream=stream, follow_redirects=False
                    )
            except httpx.TimeoutException as exc:
                delay = self.retry_delay(attempt, None)
                if delay is None:
                    raise APITimeoutError(request) from exc
            except httpx.TransportError as exc:
                delay = self.retry_delay(attempt, None)
                if delay is None:
                    raise APIConnectionError(request) from exc
            else:
                if self._logging:
                    self.log(prepared, request, response, attempt)
                if response.is_success:
                    note_retries(response, attempt - 1)
                    return response
                delay = self.retry_delay(attempt, response)
                if delay is None:
                    await response.aread()
                    raise status_error(response)
                await response.aclose()
            finally:
                for file in opened:
                    file.close()
            await asyncio.sleep(delay)

    async def request(
        self,
        parse: Callable[[httpx.Response], T],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> T:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        if mode:
            response = await self.send(prepared, stream=mode == "stream")
            return cast(T, async_response(mode, response, parse))
        return parse(await self.send(prepared))

    async def request_stream(
        self, method: str, path: str, **kwargs: Any
    ) -> AsyncBinaryStream:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        response = await self.send(prepared, stream=True)
        if mode:
            raw = async_response(mode, response, AsyncBinaryStream, reads=False)
            return cast(AsyncBinaryStream, raw)
        return AsyncBinaryStream(response)

    async def request_events(
        self,
        parse: Callable[[str, httpx.Response], T],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> AsyncStream[T]:
        prepared, mode = _raw_mode(self.prepare(method, path, **kwargs))
        response = await self.send(prepared, stream=True)
        if mode:
            events = async_response(
                mode, response, lambda r: AsyncStream(r, parse), reads=False
            )
            return cast(AsyncStream[T], events)
        return AsyncStream(response, parse)

    def request_page(
        self,
        parse: Callable[[httpx.Response], Any],
        method: str,
        path: str,
        paging: Paging = CURSOR_PAGES,
        **kwargs: Any,
    ) -> AsyncPageRequest[T]:
        prepared = self.prepare(method, path, **kwargs)
        return AsyncPageRequest(self, parse, prepared, paging)


def _raw_mode(prepared: PreparedRequest) -> tuple[PreparedRequest, str | None]:
    """The request without the wrappers' header, and what it asked for: "raw", "stream"."""
    if RAW_RESPONSE not in prepared.headers:
        return prepared, None
    headers = dict(prepared.headers)
    mode = headers.pop(RAW_RESPONSE)
    return prepared._replace(headers=headers), mode


# ---------------------------------------------------------------- downloads
class BinaryStream:
    """A binary response read in pieces, never whole: `iter_bytes()` or `write_to(path)`.
    Use it in a `with` block, which releases the connection."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def __enter__(self) -> BinaryStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        yield from self.response.iter_bytes(chunk_size)

    def write_to(self, path: str | os.PathLike[str]) -> int:
        """Writes the body to `path` and returns its length in bytes."""
        size = 0
        with open(path, "wb") as file:
            for chunk in self.iter_bytes():
                size += file.write(chunk)
        return size

    def close(self) -> None:
        self.response.close()


class AsyncBinaryStream:
    """`BinaryStream` for the async client: `aiter_bytes()`, `await write_to(path)`."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    async def __aenter__(self) -> AsyncBinaryStream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def aiter_bytes(self, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        async for chunk in self.response.aiter_bytes(chunk_size):
            yield chunk

    async def write_to(self, path: str | os.PathLike[str]) -> int:
        size = 0
        # Local writes, chunk by chunk: not worth a thread.
        with open(path, "wb") as file:  # noqa: ASYNC230
            async for chunk in self.aiter_bytes():
                size += file.write(chunk)
        return size

    async def close(self) -> None:
        await self.response.aclose()


# ---------------------------------------------------------------- pages
def _value(obj: object, dotted: str) -> Any:
    """`obj.a.b` for `a.b`, through models and dicts alike; None where a step is missing."""
    for name in dotted.split(".") if dotted else ():
        obj = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
    return obj


def _query(prepared: PreparedRequest, name: str) -> str | None:
    for part in prepared.query:
        key, _, value = part.partition("=")
        if key == name:
            from urllib.parse import unquote

            return unquote(value)
    return None


def _with_query(prepared: PreparedRequest, name: str, value: object) -> PreparedRequest:
    kept = [p for p in prepared.query if p.partition("=")[0] != name]
    encoded = _wire.encode_query(name, str(value), Style())
    return prepared._replace(query=kept + encoded)


def _linked(
    prepared: PreparedRequest, url: str, response: httpx.Response | None
) -> PreparedRequest:
    """The request for a next page given by URL: absolute, or resolved against the URL of
    the page that gave it (RFC 3986)."""
    if response is not None:
        url = str(response.request.url.join(url))
    path, _, query = url.partition("?")
    return prepared._replace(path=path, query=[q for q in query.split("&") if q])


def next_request(
    paging: Paging,
    prepared: PreparedRequest,
    listing: object,
    items: Sequence[object],
    response: httpx.Response | None,
) -> PreparedRequest | None:
    """The request of the page after this one, or None when this is the last (also
    when it would ask for this page again: servers may echo a cursor)."""
    following = _following(paging, prepared, listing, items, response)
    if following is None or (following.path, following.query) == (
        prepared.path,
        prepared.query,
    ):
        return None
    return following


def _following(
    paging: Paging,
    prepared: PreparedRequest,
    listing: object,
    items: Sequence[object],
    response: httpx.Response | None,
) -> PreparedRequest | None:
    more = _value(listing, paging.more) if paging.more else None
    if (
        paging.more
        and not more
        or not items
        and paging.style in ("cursor", "offset", "page")
    ):
        return None
    if paging.style == "cursor":
        cursor = _value(items[-1], paging.field)
        return None if cursor is None else _with_query(prepared, paging.param, cursor)
    if paging.style == "cursor_field":
        cursor = _value(listing, paging.field)
        return (
            None
            if cursor in (None, "")
            else _with_query(prepared, paging.param, cursor)
        )
    if paging.style == "offset":
        limit = _query(prepared, paging.limit) if paging.limit else None
        if limit is not None and limit.isdigit() and len(items) < int(limit):
            return None
        offset = int(_query(prepared, paging.param) or 0)
        return _with_query(prepared, paging.param, offset + len(items))
    if paging.style == "page":
        page = _query(prepared, paging.param)
        return _with_query(prepared, paging.param, int(page) + 1 if page else 2)
    if paging.style == "next_url":
        url = _value(listing, paging.field)
        return (
            _linked(prepared, url, response) if isinstance(url, str) and url else None
        )
    if paging.style == "link" and response is not None:
        url = response.links.get("next", {}).get("url")
        return _linked(prepared, url, response) if url else None
    return None


class PageInfo:
    """The request of the next page: its query parameters and its path. (A plain class: a
    NamedTuple took a fifth of a millisecond of every import.)"""

    __slots__ = ("params", "path")

    def __init__(self, params: dict[str, str], path: str) -> None:
        self.params, self.path = params, path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PageInfo) and (self.params, self.path) == (
            other.params,
            other.path,
        )

    __hash__ = None  # type: ignore[assignment]  # its params are a dict

    def __repr__(self) -> str:
        return f"PageInfo(params={self.params!r}, path={self.path!r})"


class _Page(Generic[T]):
    """What both page classes share: a page's items, the list response's other fields, the
    request of the next page."""

    def __init__(
        self,
        parse: Callable[[httpx.Response], Any],
        prepared: PreparedRequest,
        listing: Any,
        paging: Paging,
        response: httpx.Response | None,
    ) -> None:
        self._parse, self._prepared, self._paging = parse, prepared, paging
        self.listing = listing
        items = _value(listing, paging.items) if paging.items else listing
        self.data: list[T] = list(items or ())
        self._next = next_request(paging, prepared, listing, self.data, response)
        self.has_more = self._next is not None

    def __getattr__(self, name: str) -> Any:
        """The list response's other fields (`first_id`, `last_id`, `object`...)."""
        if name.startswith("__") or name in ("listing", "data"):
            raise AttributeError(name)
        return getattr(self.listing, name)

    def has_next_page(self) -> bool:
        return self._next is not None

    def next_page_info(self) -> PageInfo | None:
        """Where the next page is, or None on the last page: `params` are the query
        parameters it changes (`{"after": "ftjob-..."}`)."""
        if self._next is None:
            return None
        from urllib.parse import unquote

        changed = [p for p in self._next.query if p not in self._prepared.query]
        params = {
            unquote(k): unquote(v) for k, _, v in (p.partition("=") for p in changed)
        }
        return PageInfo(params, self._next.path)

    def __repr__(self) -> str:
        info = self.next_page_info()
        more = f", next {info.params}" if info is not None else ", the last"
        return f"{type(self).__name__}({len(self.data)} item(s){more})"


class SyncCursorPage(_Page[T]):
    """One page of a list; iterating it walks every item of every page, fetching them as it
    goes (`iter_pages()` for the pages)."""

    def __init__(
        self,
        client: SyncAPIClient,
        parse: Callable[[httpx.Response], Any],
        prepared: PreparedRequest,
        listing: Any,
        paging: Paging = CURSOR_PAGES,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(parse, prepared, listing, paging, response)
        self._client = client

    def next_page(self) -> SyncCursorPage[T] | None:
        if self._next is None:
            return None
        response = self._client.send(self._next)
        return SyncCursorPage(
            self._client,
            self._parse,
            self._next,
            self._parse(response),
            self._paging,
            response,
        )

    def get_next_page(self) -> SyncCursorPage[T]:
        """The next page; a ValueError on the last (see `has_next_page()`)."""
        page = self.next_page()
        if page is None:
            raise ValueError("this is the last page: no next page to get")
        return page

    def iter_pages(self) -> Iterator[SyncCursorPage[T]]:
        page: SyncCursorPage[T] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncCursorPage(_Page[T]):
    """The async twin of SyncCursorPage: `async for` walks every item of every page."""

    def __init__(
        self,
        client: AsyncAPIClient,
        parse: Callable[[httpx.Response], Any],
        prepared: PreparedRequest,
        listing: Any,
        paging: Paging = CURSOR_PAGES,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(parse, prepared, listing, paging, response)
        self._client = client

    async def next_page(self) -> AsyncCursorPage[T] | None:
        if self._next is None:
            return None
        response = await self._client.send(self._next)
        return AsyncCursorPage(
            self._client,
            self._parse,
            self._next,
            self._parse(response),
            self._paging,
            response,
        )

    async def get_next_page(self) -> AsyncCursorPage[T]:
        page = await self.next_page()
        if page is None:
            raise ValueError("this is the last page: no next page to get")
        return page

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        page: AsyncCursorPage[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPageRequest(Awaitable[AsyncCursorPage[T]]):
    """Returned by async list methods: `await` it for the first page, or `async for` over all items."""

    def __init__(
        self,
        client: AsyncAPIClient,
        parse: Callable[[httpx.Response], Any],
        prepared: PreparedRequest,
        paging: Paging = CURSOR_PAGES,
    ) -> None:
        self._client, self._parse, self._prepared = client, parse, prepared
        self._paging = paging

    async def _first(self) -> AsyncCursorPage[T]:
        prepared, mode = _raw_mode(self._prepared)
        response = await self._client.send(prepared, stream=mode == "stream")

        def page(r: httpx.Response) -> AsyncCursorPage[T]:
            return AsyncCursorPage(
                self._client, self._parse, prepared, self._parse(r), self._paging, r
            )

        if mode:
            return cast(AsyncCursorPage[T], async_response(mode, response, page))
        return page(response)

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for item in await self._first():
            yield item


# ---------------------------------------------------------------- waiting for jobs
JobT = TypeVar("JobT")
EventT = TypeVar("EventT")


def _new_events(events: Sequence[EventT], seen: set[object]) -> list[EventT]:
    """Events not yielded yet, oldest first (the API lists newest first)."""
    fresh = [e for e in events if getattr(e, "id", id(e)) not in seen]
    seen.update(getattr(e, "id", id(e)) for e in fresh)
    return sorted(fresh, key=lambda e: getattr(e, "created_at", 0) or 0)


class JobWaiter(Generic[JobT, EventT]):
    """Polls a job until it is done. Iterate it for the job's new events as they come;
    `.job` is the final job afterwards, and `.result()` waits without looking at events.
    """

    def __init__(
        self,
        retrieve: Callable[[], JobT],
        events: Callable[[], Sequence[EventT]],
        is_done: Callable[[JobT], bool],
        interval: float,
        timeout: float | None,
    ) -> None:
        self._retrieve, self._events, self._is_done = retrieve, events, is_done
        self.interval, self.timeout = interval, timeout
        self.job: JobT | None = None

    def __iter__(self) -> Iterator[EventT]:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        seen: set[object] = set()
        while True:
            job = self._retrieve()
            yield from _new_events(self._events(), seen)
            if self._is_done(job):
                self.job = job
                return
            if deadline is not None and time.monotonic() + self.interval > deadline:
                raise TimeoutError(f"job not finished after {self.timeout} s")
            time.sleep(self.interval)

    def result(self) -> JobT:
        for _ in self:
            pass
        assert self.job is not None
        return self.job


class AsyncJobWaiter(Generic[JobT, EventT]):
    """The async twin of JobWaiter: `async for event in waiter`, or `await waiter.result()`."""

    def __init__(
        self,
        retrieve: Callable[[], Awaitable[JobT]],
        events: Callable[[], Awaitable[Sequence[EventT]]],
        is_done: Callable[[JobT], bool],
        interval: float,
        timeout: float | None,
    ) -> None:
        self._retrieve, self._events, self._is_done = retrieve, events, is_done
        self.interval, self.timeout = interval, timeout
        self.job: JobT | None = None

    async def __aiter__(self) -> AsyncIterator[EventT]:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        seen: set[object] = set()
        while True:
            job = await self._retrieve()
            for event in _new_events(await self._events(), seen):
                yield event
            if self._is_done(job):
                self.job = job
                return
            if deadline is not None and time.monotonic() + self.interval > deadline:
                raise TimeoutError(f"job not finished after {self.timeout} s")
            import asyncio

            await asyncio.sleep(self.interval)

    async def result(self) -> JobT:
        async for _ in self:
            pass
        assert self.job is not None
        return self.job
