"""openai-python's usage patterns, run unchanged on the `openai` package and on the generated
client (only the constructor differs), against the reference server on 127.0.0.1: raw and
streaming responses, derived clients, request ids, pages, deprecations, empty path
parameters, the server's word on retrying."""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import fine_tuning_client
from conftest import RecordingServer
from helpers import serve_asgi
from reference_server.service import create_server_app

SDKS: dict[str, tuple[Any, Any]] = {
    "openai": (openai.OpenAI, openai.AsyncOpenAI),
    "generated": (fine_tuning_client.Client, fine_tuning_client.AsyncClient),
}
CHECKPOINT = "ft:gpt-4o-mini-2024-07-18:org:custom:abc123:ckpt-step-4"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_asgi(create_server_app(":memory:", job_seconds=600.0)) as url:
        yield url + "/v1"


@pytest.fixture(params=sorted(SDKS))
def sdk(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    return SDKS[request.param]


@pytest.fixture
def client(sdk: tuple[Any, Any], base_url: str) -> Iterator[Any]:
    with sdk[0](api_key="sk-test", base_url=base_url, max_retries=0) as made:
        yield made


@pytest.fixture
def async_client(sdk: tuple[Any, Any], base_url: str) -> Any:
    return sdk[1](api_key="sk-test", base_url=base_url, max_retries=0)


def new_job(client: Any, **extra: Any) -> Any:
    return client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-abc", **extra)


# ---------------------------------------------------------------- raw and streaming responses
def test_a_raw_response_has_the_http_response_and_parses_to_the_result(client: Any) -> None:
    response = client.fine_tuning.jobs.with_raw_response.create(model="gpt-4o-mini", training_file="file-abc")
    assert response.is_closed is True  # read: the connection is back in the pool
    assert response.http_request.headers.get("X-Stainless-Lang") == "python"
    assert response.http_request.method == "POST" and response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.request_id.startswith("req_") and response.retries_taken == 0
    job = response.parse()
    assert job.id.startswith("ftjob-") and job.status == "validating_files"
    assert response.parse() is job  # parsed once
    assert json.loads(response.text)["id"] == job.id


def test_a_raw_page_parses_to_a_page(client: Any) -> None:
    new_job(client)
    new_job(client)
    page = client.fine_tuning.jobs.with_raw_response.list(limit=1).parse()
    assert len(page.data) == 1 and page.has_next_page()
    assert len(list(page)) >= 2  # walks on to the following pages


def test_a_streaming_response_is_read_only_when_asked(client: Any) -> None:
    job = new_job(client)
    with client.fine_tuning.jobs.with_streaming_response.retrieve(job.id) as response:
        assert not response.is_closed
        assert response.http_request.headers.get("X-Stainless-Lang") == "python"
        assert response.parse().id == job.id
    assert response.is_closed is True
    with client.fine_tuning.jobs.with_streaming_response.retrieve(job.id) as response:
        assert json.loads(b"".join(response.iter_bytes()))["id"] == job.id
    with client.fine_tuning.jobs.with_streaming_response.retrieve(job.id) as response:
        assert json.loads("".join(response.iter_lines()))["id"] == job.id


def test_the_async_client_has_both(async_client: Any) -> None:
    async def scenario() -> None:
        async with async_client:
            jobs = async_client.fine_tuning.jobs
            response = await jobs.with_raw_response.create(model="gpt-4o-mini", training_file="file-abc")
            assert response.is_closed is True
            job = response.parse()  # read already: a plain call, as openai-python's is
            async with jobs.with_streaming_response.retrieve(job.id) as streamed:
                assert not streamed.is_closed
                assert (await streamed.parse()).id == job.id
            assert streamed.is_closed is True
            async with jobs.with_streaming_response.list_events(job.id) as streamed:
                text = "".join([line async for line in streamed.iter_lines()])
                assert json.loads(text)["object"] == "list"
            page = (await jobs.with_raw_response.list(limit=1)).parse()
            assert len(page.data) == 1

    asyncio.run(scenario())


def test_nested_resources_have_them_too(client: Any) -> None:
    response = client.fine_tuning.checkpoints.permissions.with_raw_response.list(CHECKPOINT)
    assert response.status_code == 200 and response.parse().data == []
    job = new_job(client)
    response = client.fine_tuning.jobs.checkpoints.with_raw_response.list(job.id)
    assert response.parse().data == []


# ---------------------------------------------------------------- derived clients, request ids
def test_with_options_and_copy_make_a_client_like_this_one(client: Any, base_url: str) -> None:
    faster = client.with_options(max_retries=5, timeout=20)
    assert (faster.max_retries, faster.timeout, client.max_retries) == (5, 20, 0)
    assert faster.base_url == client.base_url
    assert new_job(faster).id.startswith("ftjob-")
    other = client.copy(api_key="sk-other")
    assert other.api_key == "sk-other" and client.api_key == "sk-test"


def test_parsed_results_carry_their_request_id(client: Any) -> None:
    job = new_job(client)
    assert job._request_id.startswith("req_")
    assert client.fine_tuning.jobs.retrieve(job.id)._request_id != job._request_id


def test_an_empty_path_parameter_is_refused_before_sending(client: Any) -> None:
    with pytest.raises(ValueError, match=r"^Expected a non-empty value for `fine_tuning_job_id` but received ''$"):
        client.fine_tuning.jobs.retrieve("")


# ---------------------------------------------------------------- pages
def test_pages_say_whether_another_follows_and_fetch_it(client: Any) -> None:
    for _ in range(3):
        new_job(client)
    first = client.fine_tuning.jobs.list(limit=2)
    assert first.has_next_page() and first.next_page_info().params == {"after": first.data[-1].id}
    second = first.get_next_page()
    assert second.data and second.data[0].id != first.data[0].id
    assert "object at 0x" not in repr(first)
    assert [j.id for j in list(first)[:3]] == [j.id for j in (*first.data, *second.data)][:3]


def test_creating_permissions_returns_a_page_of_them(client: Any, async_client: Any) -> None:
    page = client.fine_tuning.checkpoints.permissions.create(CHECKPOINT, project_ids=["proj_a", "proj_b"])
    assert [p.project_id for p in page] == ["proj_a", "proj_b"]
    assert [p.object for p in page.data] == ["checkpoint.permission"] * 2

    async def scenario() -> list[str]:
        async with async_client:
            made = async_client.fine_tuning.checkpoints.permissions.create(CHECKPOINT, project_ids=["proj_c"])
            return [p.project_id async for p in made]

    assert asyncio.run(scenario()) == ["proj_c"]


# ---------------------------------------------------------------- deprecations
def test_only_deprecated_operations_and_aliases_warn(client: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as code run with -W error
        new_job(client, hyperparameters={"n_epochs": 2})  # deprecated in the types only
        client.fine_tuning.checkpoints.permissions.list(CHECKPOINT)
    with pytest.warns(DeprecationWarning, match="Retrieve is deprecated. Please swap to the paginated list"):
        client.fine_tuning.checkpoints.permissions.retrieve(CHECKPOINT)


# ---------------------------------------------------------------- the server's word on retrying
def test_x_should_retry_decides(sdk: tuple[Any, Any], server: RecordingServer) -> None:
    with sdk[0](api_key="sk-test", base_url=server.url, max_retries=2) as client:
        server.reply(
            {"error": {"message": "later"}}, status=400, headers={"x-should-retry": "true", "retry-after-ms": "1"}
        )
        server.reply({"object": "list", "data": [], "has_more": False})
        assert client.fine_tuning.jobs.list().data == []
        retries = [{k.lower(): v for k, v in r.headers.items()}["x-stainless-retry-count"] for r in server.requests]
        assert retries == ["0", "1"]
        server.reply({"error": {"message": "no"}}, status=503, headers={"x-should-retry": "false"})
        with pytest.raises(Exception) as caught:
            client.fine_tuning.jobs.list()
        assert getattr(caught.value, "status_code", None) == 503 and len(server.requests) == 3


# ---------------------------------------------------------------- logging (the generated client's own)
@pytest.fixture
def package_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("fine_tuning_client")
    yield logger
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)


def test_the_log_switch_redacts_credentials(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, base_url: str, package_logger: logging.Logger
) -> None:
    monkeypatch.setenv("OPENAI_LOG", "debug")
    with fine_tuning_client.Client(api_key="sk-secret-value", base_url=base_url) as client:
        assert package_logger.level == logging.DEBUG and package_logger.handlers  # OPENAI_LOG set both
        with caplog.at_level(logging.DEBUG, logger="fine_tuning_client"):
            client.fine_tuning.jobs.list(limit=1)
    lines = [r.getMessage() for r in caplog.records if r.name == "fine_tuning_client"]
    assert f"GET {base_url}/fine_tuning/jobs?limit=1 -> 200" in lines
    assert any("'authorization': '<redacted>'" in line for line in lines)
    assert not any("sk-secret-value" in line for line in lines)


def test_without_the_switch_an_application_logger_decides(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, base_url: str, package_logger: logging.Logger
) -> None:
    monkeypatch.delenv("OPENAI_LOG", raising=False)
    with fine_tuning_client.Client(api_key="k", base_url=base_url) as client:
        client.fine_tuning.jobs.list(limit=1)
    assert not [r for r in caplog.records if r.name == "fine_tuning_client"]
    with caplog.at_level(logging.INFO, logger="fine_tuning_client"):
        with fine_tuning_client.Client(api_key="k", base_url=base_url) as client:
            client.fine_tuning.jobs.list(limit=1)
    assert [r.levelname for r in caplog.records if r.name == "fine_tuning_client"] == ["INFO"]
