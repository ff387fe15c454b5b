"""The generated FastAPI stubs, served by uvicorn on 127.0.0.1, talking to the generated client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from conftest import seed_example
from fine_tuning_client import APIStatusError, BadRequestError, Client, NotFoundError, models
from fine_tuning_stubs import APIException, bodies, create_app


class MemoryService:
    """A minimal implementation of the generated Service protocol."""

    def __init__(self) -> None:
        self.jobs: dict[str, models.FineTuningJob] = {}
        self.seen: list[tuple[str, Any]] = []

    async def create_fine_tuning_job(self, *, body: bodies.CreateFineTuningJobRequest) -> models.FineTuningJob:
        self.seen.append(("create", body))
        job = models.FineTuningJob.model_validate(
            {**seed_example("job_cancelled"), "id": f"ftjob-{len(self.jobs)}", "status": "queued", "model": body.model}
        )
        self.jobs[job.id] = job
        return job

    async def list_paginated_fine_tuning_jobs(
        self, *, after: str | None, limit: int | None, metadata: dict[str, str] | None
    ) -> models.ListPaginatedFineTuningJobsResponse:
        self.seen.append(("list", (after, limit, metadata)))
        ids = sorted(self.jobs)
        start = ids.index(after) + 1 if after in ids else 0
        chunk = ids[start : start + (limit or 20)]
        return models.ListPaginatedFineTuningJobsResponse(
            object="list", data=[self.jobs[i] for i in chunk], has_more=start + len(chunk) < len(ids)
        )

    async def retrieve_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        if fine_tuning_job_id not in self.jobs:
            raise APIException(404, f"No such job: {fine_tuning_job_id}", param="fine_tuning_job_id")
        return self.jobs[fine_tuning_job_id]

    async def cancel_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        job = await self.retrieve_fine_tuning_job(fine_tuning_job_id=fine_tuning_job_id)
        job.status = "cancelled"
        return job

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)

    requests = 0  # counted by the app's middleware


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served() -> Iterator[tuple[Client, MemoryService]]:
    service = MemoryService()
    port = free_port()
    with pytest.warns(UserWarning, match=r"MemoryService does not implement 14 operation\(s\), which answer 501: "):
        app = create_app(service)

    @app.middleware("http")
    async def count(request: Any, call_next: Any) -> Any:
        service.requests += 1
        return await call_next(request)

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Client(api_key="sk-test", base_url=f"http://127.0.0.1:{port}", max_retries=2), service
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_client_and_stubs_round_trip(served: tuple[Client, MemoryService]) -> None:
    client, service = served
    request = seed_example("create_request_full")
    job = client.fine_tuning.jobs.create(**request)
    assert job.status == "queued" and job.model == "gpt-4o-mini"
    body = service.seen[0][1]
    assert isinstance(body, bodies.CreateFineTuningJobRequest)
    assert body.to_dict() == request
    for _ in range(4):
        client.fine_tuning.jobs.create(model="m", training_file="f")
    all_ids = [j.id for j in client.fine_tuning.jobs.list(limit=2, metadata={"k": "v"})]
    assert all_ids == [f"ftjob-{i}" for i in range(5)]
    assert service.seen[-1] == ("list", ("ftjob-3", 2, {"k": "v"}))
    assert client.fine_tuning.jobs.cancel("ftjob-1").status == "cancelled"
    assert client.fine_tuning.jobs.retrieve("ftjob-1").status == "cancelled"


def test_errors_come_back_in_the_api_shape(served: tuple[Client, MemoryService]) -> None:
    client, _ = served
    with pytest.raises(NotFoundError) as not_found:
        client.fine_tuning.jobs.retrieve("ftjob-missing")
    assert not_found.value.status_code == 404 and not_found.value.param == "fine_tuning_job_id"
    assert not_found.value.body == {
        "error": {
            "message": "No such job: ftjob-missing",
            "type": "invalid_request_error",
            "param": "fine_tuning_job_id",
            "code": None,
        }
    }
    with pytest.raises(BadRequestError) as bad:
        client.fine_tuning.jobs.create(model="m", training_file="f", extra_body={"seed": "not-a-number"})
    assert bad.value.param == "seed"


def test_an_operation_the_service_lacks_answers_501_naming_it_and_is_not_retried(
    served: tuple[Client, MemoryService],
) -> None:
    client, service = served
    with pytest.raises(APIStatusError) as raised:
        client.fine_tuning.jobs.pause("ftjob-1")
    operation = "pauseFineTuningJob (POST /fine_tuning/jobs/{fine_tuning_job_id}/pause)"
    assert raised.value.status_code == 501 and raised.value.code == "not_implemented"
    assert raised.value.body == {
        "error": {
            "message": f"{operation} is not implemented by this server",
            "type": "server_error",
            "param": None,
            "code": "not_implemented",
        }
    }
    assert service.requests == 1  # a 501 stays so: the client asks once, though it retries 500s


def test_a_service_subclassing_the_protocol_without_a_method_lacks_it() -> None:
    from fine_tuning_stubs import Service

    class Partial(Service):
        async def cancel_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
            raise APIException(404, "none")

    with pytest.warns(UserWarning, match="Partial does not implement 17 operation") as caught:
        create_app(Partial())
    assert "cancelFineTuningJob" not in str(caught[0].message)
