"""Server-sent events: a `text/event-stream` response read event by event as it arrives.

Copied as it is into every generated client (from ftgen's generator/runtime/); do not edit
the copy. The parsing follows the WHATWG HTML standard's event stream format: `data` lines
joined by newlines, `event`, `id` and `retry` fields, comments (`:`), an event dispatched at
each blank line. Each event's data is parsed into the type the spec gives it; a data of
`[DONE]` (OpenAI's sentinel) ends the stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:
    import httpx
    import pydantic

T = TypeVar("T")

DONE = "[DONE]"


class ServerSentEvent(NamedTuple):
    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class _Decoder:
    """Lines in, events out; `id` is kept from one event to the next, as the standard says."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.event: str | None = None
        self.retry: int | None = None
        self.last_id: str | None = None

    def line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self.data and self.event is None:
                return None
            sse = ServerSentEvent(
                "\n".join(self.data), self.event, self.last_id, self.retry
            )
            self.data, self.event, self.retry = [], None, None
            return sse
        if line.startswith(":"):
            return None  # a comment (a keep-alive, often)
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self.data.append(value)
        elif name == "event":
            self.event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry = int(value)
        return None

    def end(self) -> ServerSentEvent | None:
        return self.line("") if self.data else None


def events(lines: Iterator[str]) -> Iterator[ServerSentEvent]:
    decoder = _Decoder()
    for line in lines:
        if (sse := decoder.line(line)) is not None:
            yield sse
    if (sse := decoder.end()) is not None:
        yield sse


async def aevents(lines: AsyncIterator[str]) -> AsyncIterator[ServerSentEvent]:
    decoder = _Decoder()
    async for line in lines:
        if (sse := decoder.line(line)) is not None:
            yield sse
    if (sse := decoder.end()) is not None:
        yield sse


class EventParser(Generic[T]):
    """Each event's data as the spec types it: JSON into a model or any other type, or the
    text itself where the spec says the data is a string."""

    def __init__(self, type_: Any) -> None:
        self.type = type_
        self._adapter: pydantic.TypeAdapter[T] | None = None

    def __call__(self, data: str, response: httpx.Response) -> T:
        import pydantic

        from ._runtime import APIResponseValidationError

        if self.type is str:
            return data  # type: ignore[return-value]
        if self._adapter is None:
            self._adapter = pydantic.TypeAdapter(self.type)
        try:
            return self._adapter.validate_json(data)
        except pydantic.ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'the event'}: {e['msg']}"
                for e in exc.errors(include_url=False)[:3]
            )
            raise APIResponseValidationError(response, f"an event: {detail}") from exc


def _error(sse: ServerSentEvent, response: httpx.Response) -> Exception | None:
    """An `event: error` whose data is an error object ends the stream as an APIError."""
    if sse.event != "error":
        return None
    from ._runtime import APIError

    try:
        body = json.loads(sse.data)
    except ValueError:
        body = sse.data
    error = body.get("error", body) if isinstance(body, dict) else body
    message = error.get("message") if isinstance(error, dict) else None
    return APIError(str(message or sse.data), response.request, body=body)


class Stream(Generic[T]):
    """The events of a response, parsed as they arrive: iterate it (each item the data of
    one event), or use it in a `with` block, which releases the connection."""

    def __init__(
        self, response: httpx.Response, parse: Callable[[str, httpx.Response], T]
    ) -> None:
        self.response = response
        self._parse = parse

    def __iter__(self) -> Iterator[T]:
        try:
            for sse in events(self.response.iter_lines()):
                if sse.data == DONE:
                    break
                error = _error(sse, self.response)
                if error is not None:
                    raise error
                if sse.data:
                    yield self._parse(sse.data, self.response)
        finally:
            self.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def __repr__(self) -> str:
        request = self.response.request
        return f"Stream({request.method} {request.url.copy_with(query=None)}, {self.response.status_code})"


class AsyncStream(Generic[T]):
    """`Stream` for the async client: `async for`, `async with`, `await close()`."""

    def __init__(
        self, response: httpx.Response, parse: Callable[[str, httpx.Response], T]
    ) -> None:
        self.response = response
        self._parse = parse

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            async for sse in aevents(self.response.aiter_lines()):
                if sse.data == DONE:
                    break
                error = _error(sse, self.response)
                if error is not None:
                    raise error
                if sse.data:
                    yield self._parse(sse.data, self.response)
        finally:
            await self.close()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.response.aclose()

    def __repr__(self) -> str:
        request = self.response.request
        return f"AsyncStream({request.method} {request.url.copy_with(query=None)}, {self.response.status_code})"
