"""Raw and streaming responses, as openai-python has them: `client.x.with_raw_response.create(...)`
returns the HTTP response with `.parse()` to the method's own result; `.with_streaming_response`
the same in a `with` block, the body unread until asked.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit
the copy. The wrappers call the very method, with a header the runtime takes back out
(`RAW_RESPONSE`) asking it for the response instead of the result: no second copy of any
method.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

if TYPE_CHECKING:
    import httpx

P = ParamSpec("P")
R = TypeVar("R")

RAW_RESPONSE = "X-Ftgen-Raw-Response"  # "raw" or "stream"; never sent
_RETRIES: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def note_retries(response: httpx.Response, retries: int) -> None:
    _RETRIES[response] = retries


class _Common(Generic[R]):
    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[httpx.Response], R],
        reads: bool = True,
    ) -> None:
        self.http_response = response
        self._parse, self._reads = parse, reads  # reads: read the body before parsing
        self._parsed: list[R] = []

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def request_id(self) -> str | None:
        value: str | None = self.headers.get("x-request-id")
        return value

    @property
    def is_closed(self) -> bool:
        """Whether the connection is given back: the body read, or the `with` block left."""
        return bool(self.http_response.is_closed)

    @property
    def retries_taken(self) -> int:
        """How many times the call was sent again before this response."""
        return _RETRIES.get(self.http_response, 0)

    @property
    def elapsed(self) -> Any:
        return self.http_response.elapsed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url.copy_with(query=None)}>"


class APIResponse(_Common[R]):
    """The response of a call: its headers, status and body, and `parse()`."""

    def parse(self) -> R:
        """What the method returns (a model, a page, a stream...); once, then kept."""
        if not self._parsed:
            if self._reads:
                self.read()
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

    def read(self) -> bytes:
        return self.http_response.read()

    @property
    def content(self) -> bytes:
        return self.read()

    @property
    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_Common[R]):
    """`APIResponse` for the async client: `await parse()`, `await read()`, `async for`."""

    async def parse(self) -> R:
        if not self._parsed:
            if self._reads:
                await self.read()
            self._parsed.append(self._parse(self.http_response))
        return self._parsed[0]

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def close(self) -> None:
        await self.http_response.aclose()


def async_response(
    mode: str,
    response: httpx.Response,
    parse: Callable[[httpx.Response], R],
    reads: bool = True,
) -> APIResponse[R] | AsyncAPIResponse[R]:
    """What the async client's wrappers return, split as openai-python's are: the raw
    response is read already, its `parse()` a plain call; the streaming one awaits.
    """
    if mode == "raw":
        return APIResponse(response, parse, reads)
    return AsyncAPIResponse(response, parse, reads)


def _asking(kwargs: dict[str, Any], mode: str) -> dict[str, Any]:
    headers = dict(kwargs.get("extra_headers") or {})
    headers[RAW_RESPONSE] = mode
    return {**kwargs, "extra_headers": headers}


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        return cast(APIResponse[R], method(*args, **_asking(kwargs, "raw")))

    return wrapped


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        return cast(APIResponse[R], await method(*args, **_asking(kwargs, "raw")))

    return wrapped


class ResponseContextManager(Generic[R]):
    """`with client.x.with_streaming_response.y(...) as response:` sends on entering and
    releases the connection on leaving."""

    def __init__(self, send: Callable[[], APIResponse[R]]) -> None:
        self._send = send
        self._response: APIResponse[R] | None = None

    def __enter__(self) -> APIResponse[R]:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncResponseContextManager(Generic[R]):
    def __init__(self, send: Callable[[], Awaitable[AsyncAPIResponse[R]]]) -> None:
        self._send = send
        self._response: AsyncAPIResponse[R] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[R]:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(
    method: Callable[P, R],
) -> Callable[P, ResponseContextManager[R]]:
    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[R]:
        asked = _asking(kwargs, "stream")
        return ResponseContextManager(
            lambda: cast(APIResponse[R], method(*args, **asked))
        )

    return wrapped


def async_to_streamed_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, AsyncResponseContextManager[R]]:
    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
        asked = _asking(kwargs, "stream")

        async def send() -> AsyncAPIResponse[R]:
            return cast(AsyncAPIResponse[R], await method(*args, **asked))

        return AsyncResponseContextManager(send)

    return wrapped
