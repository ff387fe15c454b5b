"""The generated client's runtime against a real server: auth, timeouts, retries, errors,
pagination, raw responses, per-call extras and waiting for jobs; sync and async."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import fine_tuning_client as ftc
from conftest import RecordingServer, seed_example
from fine_tuning_client import AsyncClient, Client, raw_response

JOB = seed_example("job_succeeded_with_method")
ERROR = {"error": {"message": "bad suffix", "type": "invalid_request_error", "param": "suffix", "code": "too_long"}}


def job(job_id: str, status: str = "running") -> dict[str, Any]:
    return {**JOB, "id": job_id, "status": status}


def event(n: int) -> dict[str, Any]:
    return {
        "object": "fine_tuning.job.event",
        "id": f"ev-{n}",
        "created_at": n,
        "level": "info",
        "message": f"step {n}",
    }


# ---------------------------------------------------------------- configuration
def test_key_and_base_url_from_environment(server: RecordingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    server.reply(JOB)
    Client().fine_tuning.jobs.retrieve("ftjob-abc123")
    assert server.last.headers["Authorization"] == "Bearer sk-from-env"


def test_arguments_win_over_environment(server: RecordingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9")
    server.reply(JOB)
    Client(api_key="sk-arg", base_url=server.url).fine_tuning.jobs.retrieve("x")
    assert server.last.headers["Authorization"] == "Bearer sk-arg"


def test_key_never_leaks(server: RecordingServer, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-very-secret-value"
    client = Client(api_key=secret, base_url=server.url, max_retries=0)
    server.reply(ERROR, status=401)
    with caplog.at_level(logging.DEBUG), pytest.raises(ftc.AuthenticationError) as caught:
        client.fine_tuning.jobs.retrieve("x")
    assert secret not in repr(client) and secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in caplog.text


def test_redirects_are_followed_and_credentials_stay_with_their_origin(
    server: RecordingServer, other_server: RecordingServer
) -> None:
    secret = "sk-only-for-this-origin"
    client = Client(api_key=secret, base_url=server.url, max_retries=0, http_client=httpx.Client(follow_redirects=True))
    server.reply({}, status=307, headers={"location": f"{server.url}/fine_tuning/jobs/moved"})
    server.reply(JOB)
    assert client.fine_tuning.jobs.retrieve("x").id == JOB["id"]
    assert [r.path for r in server.requests] == ["/v1/fine_tuning/jobs/x", "/v1/fine_tuning/jobs/moved"]
    assert server.last.headers["Authorization"] == f"Bearer {secret}"  # the same origin: kept

    server.reply({}, status=308, headers={"location": f"{other_server.url}/elsewhere"})
    other_server.reply(JOB)
    client.fine_tuning.jobs.retrieve("x", extra_headers={"Cookie": "session=s3"})
    headers = {k.lower(): v for k, v in other_server.last.headers.items()}
    assert other_server.last.path == "/v1/elsewhere"
    assert "authorization" not in headers and "cookie" not in headers and secret not in str(headers)

    for _ in range(21):
        server.reply({}, status=302, headers={"location": f"{server.url}/again"})
    with pytest.raises(ftc.APIConnectionError, match="More than 20 redirects"):
        client.fine_tuning.jobs.retrieve("x")


def test_async_redirects_drop_credentials_on_the_way_to_another_origin(
    server: RecordingServer, other_server: RecordingServer
) -> None:
    client = AsyncClient(api_key="sk-async", base_url=server.url, max_retries=0)
    server.reply({}, status=307, headers={"location": f"{other_server.url}/elsewhere"})
    other_server.reply(JOB)
    asyncio.run(client.fine_tuning.jobs.retrieve("x"))
    assert "authorization" not in {k.lower() for k in other_server.last.headers}


# ---------------------------------------------------------------- timeouts and retries
def test_per_call_timeout(server: RecordingServer) -> None:
    server.reply(JOB, delay=1.0)
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    started = time.monotonic()
    with pytest.raises(ftc.APITimeoutError):
        client.fine_tuning.jobs.retrieve("x", timeout=0.2)
    assert time.monotonic() - started < 0.9


def test_retries_until_success(server: RecordingServer) -> None:
    server.reply(ERROR, status=500)
    server.reply(ERROR, status=429, headers={"retry-after-ms": "10"})
    server.reply(JOB)
    job_ = Client(api_key="k", base_url=server.url).fine_tuning.jobs.create(model="m", training_file="f")
    assert job_.id == "ftjob-abc123" and len(server.requests) == 3
    keys = {r.headers["Idempotency-Key"] for r in server.requests}
    assert len(keys) == 1  # the same key on every retry of one call


def test_gives_up_after_max_retries(server: RecordingServer) -> None:
    for _ in range(5):
        server.reply(ERROR, status=503, headers={"x-request-id": "req-7"})
    with pytest.raises(ftc.InternalServerError) as caught:
        Client(api_key="k", base_url=server.url, max_retries=2).fine_tuning.jobs.retrieve("x")
    assert len(server.requests) == 3 and caught.value.status_code == 503 and caught.value.request_id == "req-7"


def test_retry_after_seconds_is_honoured(server: RecordingServer) -> None:
    server.reply(ERROR, status=429, headers={"retry-after": "1"})
    server.reply(JOB)
    started = time.monotonic()
    Client(api_key="k", base_url=server.url).fine_tuning.jobs.retrieve("x")
    assert time.monotonic() - started >= 1.0


def test_retry_after_http_date_and_cap() -> None:
    client = Client(api_key="k", base_url="http://127.0.0.1:9")
    in_two_seconds = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 2))
    delay = client.retry_delay(1, httpx.Response(429, headers={"retry-after": in_two_seconds}))
    assert delay is not None and 0.5 <= delay <= 2.5
    assert client.retry_delay(1, httpx.Response(429, headers={"retry-after": "3600"})) == 60.0
    assert client.retry_delay(1, httpx.Response(400)) is None
    backoff = [client.retry_delay(n, None) for n in (1, 2)]
    assert 0.375 <= backoff[0] <= 0.5 and 0.75 <= backoff[1] <= 1.0  # exponential, with jitter
    assert client.retry_delay(3, None) is None  # past max_retries


def test_connection_errors_are_retried_then_raised() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    client = Client(api_key="k", base_url=f"http://127.0.0.1:{port}", max_retries=1)
    started = time.monotonic()
    with pytest.raises(ftc.APIConnectionError):
        client.fine_tuning.jobs.retrieve("x")
    assert time.monotonic() - started >= 0.3  # one backoff happened


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("status", "error"),
    [(400, ftc.BadRequestError), (401, ftc.AuthenticationError), (403, ftc.PermissionDeniedError), (404, ftc.NotFoundError),
     (409, ftc.ConflictError), (422, ftc.UnprocessableEntityError), (429, ftc.RateLimitError), (500, ftc.InternalServerError)],
)  # fmt: skip
def test_typed_errors(server: RecordingServer, status: int, error: type[ftc.APIStatusError]) -> None:
    server.reply(ERROR, status=status, headers={"x-request-id": "req-1"})
    with pytest.raises(error) as caught:
        Client(api_key="k", base_url=server.url, max_retries=0).fine_tuning.jobs.retrieve("x")
    e = caught.value
    assert isinstance(e, ftc.APIStatusError) and isinstance(e, ftc.APIError)
    assert (e.status_code, e.request_id, e.param, e.code, e.type) == (
        status,
        "req-1",
        "suffix",
        "too_long",
        "invalid_request_error",
    )
    assert e.body == ERROR and "bad suffix" in str(e)


# ---------------------------------------------------------------- pages, raw responses, extras
def test_auto_pagination_walks_every_page(server: RecordingServer) -> None:
    server.reply({"object": "list", "data": [job("j1"), job("j2")], "has_more": True})
    server.reply({"object": "list", "data": [job("j3")], "has_more": False})
    page = Client(api_key="k", base_url=server.url).fine_tuning.jobs.list(limit=2)
    assert [j.id for j in page.data] == ["j1", "j2"] and page.has_more  # one page
    assert [j.id for j in page] == ["j1", "j2", "j3"]  # every item
    assert server.requests[1].query == [("limit", "2"), ("after", "j2")]


def test_async_pagination_and_awaiting_one_page(server: RecordingServer) -> None:
    async def scenario() -> None:
        client = AsyncClient(api_key="k", base_url=server.url)
        server.reply({"object": "list", "data": [job("j1")], "has_more": True})
        server.reply({"object": "list", "data": [job("j2")], "has_more": False})
        assert [j.id async for j in client.fine_tuning.jobs.list()] == ["j1", "j2"]
        server.reply({"object": "list", "data": [job("j1")], "has_more": True})
        first = await client.fine_tuning.jobs.list()
        assert [j.id for j in first.data] == ["j1"] and first.has_more
        await client.close()

    asyncio.run(scenario())


def test_raw_response(server: RecordingServer) -> None:
    server.reply(JOB, headers={"x-request-id": "req-9"})
    job_ = Client(api_key="k", base_url=server.url).fine_tuning.jobs.retrieve("x")
    response = raw_response(job_)
    assert response.status_code == 200 and response.headers["x-request-id"] == "req-9"
    assert response.json() == JOB
    with pytest.raises(ValueError, match="not parsed from an HTTP response"):
        raw_response(job_.model_copy())  # a copy, or a model built by hand, has none


def test_a_big_page_parses_with_the_collector_paused_and_back_on(server: RecordingServer) -> None:
    """Thousands of jobs (over BIG_BODY): parsed whole, unknown values kept, gc on afterwards."""
    import gc

    jobs = [{**JOB, "id": f"ftjob-{i}", "status": "archived", "brand_new": i} for i in range(1500)]
    server.reply({"object": "list", "data": jobs, "has_more": False})
    page = Client(api_key="k", base_url=server.url).fine_tuning.jobs.list()
    assert gc.isenabled() and len(page.data) == 1500
    assert page.data[-1].status == "archived" and page.data[-1].to_dict()["brand_new"] == 1499
    assert raw_response(page.listing).headers["content-type"] == "application/json"
    server.reply({"object": "list", "data": jobs, "has_more": False})
    gc.disable()  # a collector someone turned off stays off
    try:
        Client(api_key="k", base_url=server.url).fine_tuning.jobs.list()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_extra_headers_query_and_body(server: RecordingServer) -> None:
    server.reply(JOB)
    Client(api_key="k", base_url=server.url).fine_tuning.jobs.create(
        model="m",
        training_file="f",
        extra_headers={"X-Trace": "t1"},
        extra_query={"beta": "1"},
        extra_body={"new_field": [1]},
    )
    assert server.last.headers["X-Trace"] == "t1"
    assert server.last.query == [("beta", "1")]
    assert server.last.body == {"model": "m", "training_file": "f", "new_field": [1]}


# ---------------------------------------------------------------- waiting for a job
def test_wait_polls_until_terminal_and_yields_new_events(server: RecordingServer) -> None:
    server.reply(job("j", "running"))
    server.reply({"object": "list", "data": [event(1)], "has_more": False})
    server.reply(job("j", "running"))
    server.reply({"object": "list", "data": [event(2), event(1)], "has_more": False})
    server.reply(job("j", "succeeded"))
    server.reply({"object": "list", "data": [event(3), event(2), event(1)], "has_more": False})
    waiter = Client(api_key="k", base_url=server.url).fine_tuning.jobs.wait("j", interval=0.01)
    assert [e.message for e in waiter] == ["step 1", "step 2", "step 3"]
    assert waiter.job is not None and waiter.job.status == "succeeded"
    assert [r.path for r in server.requests][:2] == ["/v1/fine_tuning/jobs/j", "/v1/fine_tuning/jobs/j/events"]


def test_wait_times_out(server: RecordingServer) -> None:
    for _ in range(20):
        server.reply(job("j", "running"))
        server.reply({"object": "list", "data": [], "has_more": False})
    with pytest.raises(TimeoutError):
        Client(api_key="k", base_url=server.url).fine_tuning.jobs.wait("j", interval=0.05, timeout=0.2).result()


def test_async_wait(server: RecordingServer) -> None:
    server.reply(job("j", "running"))
    server.reply({"object": "list", "data": [event(1)], "has_more": False})
    server.reply(job("j", "cancelled"))
    server.reply({"object": "list", "data": [event(1)], "has_more": False})

    async def scenario() -> str:
        final = await AsyncClient(api_key="k", base_url=server.url).fine_tuning.jobs.wait("j", interval=0.01).result()
        return str(final.status)

    assert asyncio.run(scenario()) == "cancelled"


def test_async_retries_errors_timeout_raw_and_extras(server: RecordingServer) -> None:
    async def scenario() -> None:
        client = AsyncClient(api_key="sk-secret", base_url=server.url, max_retries=2)
        assert "sk-secret" not in repr(client)
        server.reply(ERROR, status=502)
        server.reply(ERROR, status=409, headers={"retry-after-ms": "10"})
        server.reply(JOB, headers={"x-request-id": "req-a"})
        created = await client.fine_tuning.jobs.create(
            model="m", training_file="f", extra_headers={"X-Trace": "t"}, extra_query={"q": "1"}, extra_body={"b": 2}
        )
        assert len(server.requests) == 3 and len({r.headers["Idempotency-Key"] for r in server.requests}) == 1
        assert server.last.body == {"model": "m", "training_file": "f", "b": 2} and server.last.query == [("q", "1")]
        assert server.last.headers["X-Trace"] == "t"
        assert raw_response(created).headers["x-request-id"] == "req-a"
        server.reply(ERROR, status=404, headers={"x-request-id": "req-b"})
        with pytest.raises(ftc.NotFoundError) as caught:
            await client.fine_tuning.jobs.retrieve("missing")
        assert (caught.value.status_code, caught.value.request_id, caught.value.param) == (404, "req-b", "suffix")
        server.reply(JOB, delay=1.0)
        with pytest.raises(ftc.APITimeoutError):
            await AsyncClient(api_key="k", base_url=server.url, max_retries=0).fine_tuning.jobs.retrieve(
                "x", timeout=0.2
            )
        with pytest.raises(ValueError, match="non-empty"):
            await client.fine_tuning.jobs.cancel("")
        await client.close()

    asyncio.run(scenario())


def test_header_and_cookie_parameters_are_sent(server: RecordingServer, tmp_path: Path) -> None:
    from helpers import generate_package, spec

    doc = spec(paths={"/things/{id}": {"get": {
        "operationId": "getThing",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
        ],
        "responses": {"204": {"description": "none"}},
    }}})  # fmt: skip
    _, client_module, _ = generate_package(tmp_path, doc)
    client = client_module.Client(api_key="k", base_url=server.url)
    assert client.things.retrieve("t1", x_tenant="acme", session="a b") is None
    assert server.last.headers["X-Tenant"] == "acme" and server.last.headers["Cookie"] == "session=a%20b"
    client.things.retrieve("t1", x_tenant="acme")
    assert "Cookie" not in server.last.headers
