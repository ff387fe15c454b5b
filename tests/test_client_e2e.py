"""The generated client, imported and driven operation by operation against a real server."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest

from conftest import RecordingServer, seed_example
from fine_tuning_client import AsyncClient, Client, models

JOB = seed_example("job_succeeded_with_method")


def make(server: RecordingServer) -> Client:
    return Client(api_key="sk-test", base_url=server.url, max_retries=0)


def test_create_sends_the_full_seed_request_and_parses_the_job(server: RecordingServer) -> None:
    server.reply(JOB)
    request = seed_example("create_request_full")
    job = make(server).fine_tuning.jobs.create(**request)
    assert (server.last.method, server.last.path, server.last.query) == ("POST", "/v1/fine_tuning/jobs", [])
    assert server.last.body == request
    assert server.last.headers["Authorization"] == "Bearer sk-test"
    assert isinstance(job, models.FineTuningJob)
    assert job.id == "ftjob-abc123" and job.status == "succeeded"
    assert job.method is not None and job.method.type == "supervised"
    assert job.metadata == {"key": "value"}


def test_create_sends_only_what_the_caller_set(server: RecordingServer) -> None:
    server.reply(JOB)
    make(server).fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-1")
    assert server.last.body == {"model": "gpt-4o-mini", "training_file": "file-1"}


def test_explicit_null_is_sent(server: RecordingServer) -> None:
    server.reply(JOB)
    make(server).fine_tuning.jobs.create(model="m", training_file="f", suffix=None)
    assert server.last.body == {"model": "m", "training_file": "f", "suffix": None}


def test_list_jobs_sends_query_and_deep_object_metadata(server: RecordingServer) -> None:
    server.reply(seed_example("jobs_list"))
    page = make(server).fine_tuning.jobs.list(after="ftjob-0", limit=2, metadata={"team": "a b"})
    assert (server.last.method, server.last.path) == ("GET", "/v1/fine_tuning/jobs")
    assert server.last.query == [("after", "ftjob-0"), ("limit", "2"), ("metadata[team]", "a b")]
    assert [job.id for job in page.data] == ["ftjob-abc123"] and page.has_more is False


@pytest.mark.parametrize("action", ["retrieve", "cancel", "pause", "resume"])
def test_job_item_operations(server: RecordingServer, action: str) -> None:
    server.reply({**JOB, "status": "cancelled"})
    job = getattr(make(server).fine_tuning.jobs, action)("ftjob-abc123")
    method = "GET" if action == "retrieve" else "POST"
    suffix = "" if action == "retrieve" else f"/{action}"
    assert (server.last.method, server.last.path) == (method, f"/v1/fine_tuning/jobs/ftjob-abc123{suffix}")
    assert server.last.body is None
    assert job.status == "cancelled"


def test_events_and_checkpoints(server: RecordingServer) -> None:
    client = make(server)
    server.reply({**seed_example("events_list"), "has_more": False})
    events = client.fine_tuning.jobs.list_events("ftjob-abc123", limit=2)
    assert (server.last.path, server.last.query) == ("/v1/fine_tuning/jobs/ftjob-abc123/events", [("limit", "2")])
    assert [e.level for e in events.data] == ["info", "info"]
    server.reply({**seed_example("checkpoints_list"), "has_more": False})
    checkpoints = client.fine_tuning.jobs.checkpoints.list("ftjob-abc123", after="ftckpt_x")
    assert server.last.path == "/v1/fine_tuning/jobs/ftjob-abc123/checkpoints"
    assert server.last.query == [("after", "ftckpt_x")]
    assert checkpoints.data[0].metrics.full_valid_loss == 0.134
    assert checkpoints.data[1].step_number == 1000


def test_path_parameters_are_url_encoded_and_never_empty(server: RecordingServer) -> None:
    server.reply(JOB)
    client = make(server)
    client.fine_tuning.jobs.retrieve("a/b c")
    assert server.last.path == "/v1/fine_tuning/jobs/a%2Fb%20c"
    with pytest.raises(ValueError, match="non-empty"):
        client.fine_tuning.jobs.retrieve("")
    assert len(server.requests) == 1


LEGACY_JOB: dict[str, Any] = {
    "id": "ft-1", "object": "fine-tune", "model": "curie", "created_at": 1, "updated_at": 2,
    "fine_tuned_model": None, "organization_id": "org", "status": "pending",
    "hyperparams": {"batch_size": 1, "learning_rate_multiplier": 0.1, "n_epochs": 4, "prompt_loss_weight": 0.01},
    "result_files": [], "training_files": [], "validation_files": [],
}  # fmt: skip


def test_legacy_operations_work_and_warn(server: RecordingServer) -> None:
    client = make(server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server.reply(LEGACY_JOB)
        created = client.fine_tunes.create(**seed_example("legacy_create_request"))
        assert server.last.body == seed_example("legacy_create_request")
        assert (server.last.method, server.last.path) == ("POST", "/v1/fine-tunes")
        assert isinstance(created, models.FineTune)
        server.reply({"object": "list", "data": [LEGACY_JOB]})
        assert client.fine_tunes.list().data[0].id == "ft-1"
        server.reply(LEGACY_JOB)
        assert client.fine_tunes.retrieve("ft-1").status == "pending"
        assert server.last.path == "/v1/fine-tunes/ft-1"
        server.reply(LEGACY_JOB)
        client.fine_tunes.cancel("ft-1")
        assert (server.last.method, server.last.path) == ("POST", "/v1/fine-tunes/ft-1/cancel")
        server.reply(
            {
                "object": "list",
                "data": [{"object": "fine-tune-event", "created_at": 1, "level": "info", "message": "m"}],
            }
        )
        events = client.fine_tunes.events.list("ft-1", stream=False)
        assert server.last.query == [("stream", "false")]
        assert events.data[0].message == "m"
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert messages == [
        f"fine_tunes.{name}() is deprecated" for name in ("create", "list", "retrieve", "cancel", "events.list")
    ]


def test_current_operations_do_not_warn(server: RecordingServer) -> None:
    server.reply(JOB)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make(server).fine_tuning.jobs.retrieve("ftjob-abc123")


def test_async_client_drives_the_same_operations(server: RecordingServer) -> None:
    async def scenario() -> None:
        async with AsyncClient(api_key="sk-test", base_url=server.url, max_retries=0) as client:
            server.reply(JOB)
            job = await client.fine_tuning.jobs.create(model="m", training_file="f", seed=1)
            assert server.last.body == {"model": "m", "training_file": "f", "seed": 1}
            assert job.id == "ftjob-abc123"
            server.reply(seed_example("jobs_list"))
            page = await client.fine_tuning.jobs.list(limit=1)
            assert [j.id for j in page.data] == ["ftjob-abc123"]
            server.reply(JOB)
            await client.fine_tuning.jobs.cancel("ftjob-abc123")
            assert server.last.path == "/v1/fine_tuning/jobs/ftjob-abc123/cancel"

    asyncio.run(scenario())
