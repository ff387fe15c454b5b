"""The reference server, run as users run it (`python -m reference_server`), on 127.0.0.1.

The official `openai` package and the generated client play the same scenario against it;
restarts keep SQLite state; bad requests get a 400 naming the parameter and change nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

import fine_tuning_client
from conftest import GENERATED, ROOT

JOB_SECONDS = 3.0  # creation to success; running from 20% to 95% of it


class Server:
    """`python -m reference_server --port 0`: the first line it prints is its base URL."""

    def __init__(self, db: Path, *args: str) -> None:
        command = [sys.executable, "-m", "reference_server", "--port", "0", "--db", str(db), *args]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(GENERATED), str(ROOT)])}
        self.log = db.with_suffix(".log").open("a")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("Fine-tuning API reference server: http://127.0.0.1:"), db.with_suffix(
            ".log"
        ).read_text()
        self.url = line.split()[4]  # http://127.0.0.1:PORT/v1
        self.clients: list[fine_tuning_client.Client] = []

    def client(self, **options: Any) -> fine_tuning_client.Client:
        """A generated client for this server, closed with it."""
        self.clients.append(fine_tuning_client.Client(base_url=self.url, api_key="sk-test", **options))
        return self.clients[-1]

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.log.close()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def starter(*args: str) -> Server:
        servers.append(Server(tmp_path / "jobs.sqlite3", "--job-seconds", str(JOB_SECONDS), *args))
        return servers[-1]

    yield starter
    for server in servers:
        server.stop()


def until(read: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_it_serves_the_instant_it_prints_its_url(tmp_path: Path) -> None:
    # The line comes after uvicorn listens and the app has started: a request sent at once, with
    # no retry, is answered (it used to be refused now and then: printed at bind time).
    for attempt in range(12):
        server = Server(tmp_path / f"ready-{attempt}.sqlite3")
        try:
            transport = httpx.HTTPTransport(retries=0)
            with httpx.Client(base_url=server.url, transport=transport, headers=AUTHORIZED) as http:
                assert http.get("/fine_tuning/jobs").status_code == 200
        finally:
            server.stop()


def test_the_openai_package_works_against_it_unchanged(
    start: Callable[..., Server], request: pytest.FixtureRequest
) -> None:
    client = openai.OpenAI(base_url=start().url, api_key="sk-test", max_retries=0)
    jobs = client.fine_tuning.jobs
    request.addfinalizer(client.close)
    job = jobs.create(
        model="gpt-4o-mini",
        training_file="file-abc123",
        suffix="custom",
        metadata={"team": "search"},
        method={"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}},
    )
    assert job.status == "validating_files" and job.object == "fine_tuning.job"
    assert job.method is not None and job.method.type == "supervised"
    others = [jobs.create(model="gpt-4o-mini", training_file="file-abc123").id for _ in range(4)]
    listed = [j.id for j in jobs.list(limit=2)]  # auto-pagination: three pages
    assert listed == [*reversed(others), job.id]
    assert [j.id for j in jobs.list(metadata={"team": "search"})] == [job.id]

    running = until(lambda: jobs.retrieve(job.id), lambda j: j.status == "running")
    assert running.status == "running"
    assert jobs.pause(job.id).status == "paused"
    time.sleep(JOB_SECONDS / 2)
    assert jobs.retrieve(job.id).status == "paused"  # the job's clock stood still
    assert jobs.resume(job.id).status == "running"
    done = until(lambda: jobs.retrieve(job.id), lambda j: j.status == "succeeded")
    assert done.status == "succeeded" and done.fine_tuned_model == f"ft:gpt-4o-mini:org-reference:custom:{job.id[-8:]}"
    assert done.trained_tokens == 8000 and done.finished_at is not None and len(done.result_files) == 1

    events = list(jobs.list_events(job.id, limit=5))  # newest first, across pages
    messages = [e.message for e in events]
    assert messages[0] == "The job has successfully completed" and messages[-1] == f"Created fine-tuning job: {job.id}"
    assert {"Fine-tuning job paused", "Fine-tuning job resumed"} <= set(messages)
    metrics = [e for e in events if e.type == "metrics"]
    assert len(metrics) == 8 and metrics[0].data is not None and metrics[0].data["step"] == 8
    checkpoints = list(jobs.checkpoints.list(job.id))
    assert [c.step_number for c in checkpoints] == [8, 4]
    assert checkpoints[0].metrics.train_loss is not None and checkpoints[0].fine_tuning_job_id == job.id

    fresh = jobs.create(model="gpt-4o-mini", training_file="file-abc123")
    assert jobs.cancel(fresh.id).status == "cancelled"
    with pytest.raises(openai.BadRequestError):
        jobs.cancel(fresh.id)  # already over
    with pytest.raises(openai.NotFoundError) as missing:
        jobs.retrieve("ftjob-does-not-exist")
    assert missing.value.status_code == 404
    play_permissions_and_graders(client.fine_tuning, openai.NotFoundError, openai.BadRequestError)


def play_permissions_and_graders(fine_tuning: Any, not_found: type[Exception], bad_request: type[Exception]) -> None:
    """Checkpoint permissions and the alpha graders, the same through either client."""
    checkpoint = "ft:gpt-4o-mini:org-reference:custom:abc"
    permissions = fine_tuning.checkpoints.permissions
    created = permissions.create(checkpoint, project_ids=["proj_a", "proj_b", "proj_c"])
    assert [p.project_id for p in created.data] == ["proj_a", "proj_b", "proj_c"]
    with pytest.warns(DeprecationWarning, match="paginated list method"):  # both clients deprecate it
        page = permissions.retrieve(checkpoint, limit=2, order="ascending")
    assert [p.project_id for p in page.data] == ["proj_a", "proj_b"] and page.has_more
    rest = permissions.list(checkpoint, after=page.last_id, order="ascending")
    assert [p.project_id for p in rest.data] == ["proj_c"] and not rest.has_more
    assert [p.project_id for p in permissions.list(checkpoint, project_id="proj_b").data] == ["proj_b"]
    deleted = permissions.delete(created.data[0].id, fine_tuned_model_checkpoint=checkpoint)
    assert deleted.deleted and deleted.id == created.data[0].id
    with pytest.raises(not_found):
        permissions.delete(created.data[0].id, fine_tuned_model_checkpoint=checkpoint)

    graders = fine_tuning.alpha.graders
    check = {"type": "string_check", "name": "exact", "input": "{{ sample.output_text }}",
             "reference": "{{ item.label }}", "operation": "eq"}  # fmt: skip
    assert graders.run(grader=check, model_sample="yes", item={"label": "yes"}).reward == 1.0
    assert graders.run(grader={**check, "operation": "ne"}, model_sample="yes", item={"label": "yes"}).reward == 0.0
    similar = {"type": "text_similarity", "name": "close", "input": "{{ sample.output_text }}",
               "reference": "{{ item.answer }}", "evaluation_metric": "rouge_l"}  # fmt: skip
    ran = graders.run(grader=similar, model_sample="the cat sat", item={"answer": "the cat sat down"})
    assert round(ran.reward, 6) == round(2 * 1 * 0.75 / 1.75, 6)  # LCS 3 of 3 and of 4 words
    assert graders.validate(grader=check).grader.name == "exact"
    with pytest.raises(bad_request, match="not supported by this reference server"):
        graders.run(grader={**similar, "evaluation_metric": "cosine"}, model_sample="a", item={"answer": "b"})


def test_the_generated_client_plays_the_same_scenario(start: Callable[..., Server]) -> None:
    client = start().client(max_retries=0)
    jobs = client.fine_tuning.jobs
    job = jobs.create(model="gpt-4o-mini", training_file="file-abc123", suffix="custom", metadata={"team": "search"})
    others = [jobs.create(model="gpt-4o-mini", training_file="file-abc123").id for _ in range(4)]
    assert [j.id for j in jobs.list(limit=2)] == [*reversed(others), job.id]
    until(lambda: jobs.retrieve(job.id), lambda j: j.status == "running")
    assert jobs.pause(job.id).status == "paused"
    assert jobs.resume(job.id).status == "running"
    seen = [event.message for event in jobs.wait(job.id, interval=0.05, timeout=15)]
    final = jobs.retrieve(job.id)
    assert final.status == "succeeded" and "The job has successfully completed" in seen
    assert [c.step_number for c in jobs.checkpoints.list(job.id)] == [12, 8, 4]
    assert len(list(jobs.list_events(job.id, limit=7))) == len(seen)  # wait() yields every event once
    fresh = jobs.create(model="gpt-4o-mini", training_file="file-abc123")
    assert jobs.cancel(fresh.id).status == "cancelled"
    with pytest.raises(fine_tuning_client.NotFoundError) as missing:
        jobs.retrieve("ftjob-does-not-exist")
    assert missing.value.param == "fine_tuning_job_id"
    play_permissions_and_graders(
        client.fine_tuning, fine_tuning_client.NotFoundError, fine_tuning_client.BadRequestError
    )


def test_a_missing_training_file_fails_the_job(start: Callable[..., Server]) -> None:
    client = start("--file", "file-good").client()
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-gone")
    failed = until(lambda: client.fine_tuning.jobs.retrieve(job.id), lambda j: j.status == "failed")
    assert failed.status == "failed" and failed.error is not None
    assert (failed.error.code, failed.error.param) == ("invalid_training_file", "training_file")
    good = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-good")
    assert until(lambda: client.fine_tuning.jobs.retrieve(good.id), lambda j: j.status == "queued").status == "queued"


def test_a_restart_keeps_every_job_and_event(start: Callable[..., Server]) -> None:
    first = start()
    client = first.client()
    ids = [client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-a").id for _ in range(3)]
    until(lambda: client.fine_tuning.jobs.retrieve(ids[0]), lambda j: j.status == "running")
    events_before = [e.id for e in client.fine_tuning.jobs.list_events(ids[0], limit=100)]
    first.stop()

    again = start().client()
    assert [j.id for j in again.fine_tuning.jobs.list()] == list(reversed(ids))
    events_after = [e.id for e in again.fine_tuning.jobs.list_events(ids[0], limit=100)]
    assert events_after[-len(events_before) :] == events_before  # kept, and the job ran on
    assert until(lambda: again.fine_tuning.jobs.retrieve(ids[0]), lambda j: j.status == "succeeded").status == (
        "succeeded"
    )


BAD_REQUESTS: list[tuple[str, Any, str | None]] = [
    ("malformed JSON", b'{"model": "gpt-4o-mini", ', None),
    ("wrong type", {"model": "gpt-4o-mini", "training_file": "file-a", "seed": "42"}, "seed"),
    ("unknown top-level field", {"model": "m", "training_file": "file-a", "colour": "red"}, "colour"),
    (
        "unknown field in hyperparameters",
        {
            "model": "m",
            "training_file": "file-a",
            "method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2, "epochs": 3}}},
        },
        "method.supervised.hyperparameters.epochs",
    ),  # fmt: skip
    (
        "17 metadata pairs",
        {"model": "m", "training_file": "file-a", "metadata": {f"k{i}": "v" for i in range(17)}},
        "metadata",
    ),  # fmt: skip
    (
        "metadata key over 64",
        {"model": "m", "training_file": "file-a", "metadata": {"k" * 65: "v"}},
        f"metadata.{'k' * 65}",
    ),
    ("metadata value over 512", {"model": "m", "training_file": "file-a", "metadata": {"k": "v" * 513}}, "metadata.k"),
    ("suffix over 64", {"model": "m", "training_file": "file-a", "suffix": "s" * 65}, "suffix"),
    (
        "explicit null, not nullable",
        {"model": "m", "training_file": "file-a", "hyperparameters": None},
        "hyperparameters",
    ),
    ("missing required field", {"model": "m"}, "training_file"),
    ("closed enum", {"model": "m", "training_file": "file-a", "method": {"type": "rl"}}, "method.type"),
]


def test_bad_requests_get_a_400_naming_the_parameter_and_change_nothing(start: Callable[..., Server]) -> None:
    url = start().url
    with httpx.Client(base_url=url) as anonymous:  # the spec's ApiKeyAuth: the stubs ask for it
        missing = anonymous.post("/fine_tuning/jobs", json={"model": "gpt-4o-mini", "training_file": "file-a"})
        assert missing.status_code == 401 and missing.json()["error"]["code"] == "missing_credentials"
        assert "createFineTuningJob (POST /fine_tuning/jobs) needs credentials of the ApiKeyAuth scheme" in missing.text
    with httpx.Client(base_url=url, headers=AUTHORIZED) as http:
        http.post("/fine_tuning/jobs", json={"model": "gpt-4o-mini", "training_file": "file-a"}).raise_for_status()
        for name, body, param in BAD_REQUESTS:
            sent = {"content": body} if isinstance(body, bytes) else {"json": body}
            response = http.post("/fine_tuning/jobs", headers={"content-type": "application/json"}, **sent)
            assert response.status_code == 400, name
            error = response.json()["error"]
            assert error["param"] == param and error["type"] == "invalid_request_error" and error["message"], name
        assert len(http.get("/fine_tuning/jobs").json()["data"]) == 1  # nothing was created
        unknown = http.get("/no/such/route")
        assert unknown.status_code == 404 and unknown.json()["error"]["message"] == "Not Found"


def test_state_rules(start: Callable[..., Server]) -> None:
    client = start().client(max_retries=0)
    job = client.fine_tuning.jobs.create(model="gpt-4o-mini", training_file="file-a")
    with pytest.raises(fine_tuning_client.BadRequestError) as early:
        client.fine_tuning.jobs.pause(job.id)  # only a running job pauses
    assert "cannot be paused" in str(early.value.message)
    with pytest.raises(fine_tuning_client.BadRequestError):
        client.fine_tuning.jobs.resume(job.id)  # only a paused job resumes
    assert client.fine_tuning.jobs.cancel(job.id).status == "cancelled"
    time.sleep(JOB_SECONDS / 3)
    assert client.fine_tuning.jobs.retrieve(job.id).status == "cancelled"  # a cancelled job stays so


@pytest.mark.filterwarnings("ignore:fine_tunes:DeprecationWarning")  # the client warns on deprecated calls
def test_the_legacy_api_is_served_too(start: Callable[..., Server]) -> None:
    client = start().client()
    tune = client.fine_tunes.create(training_file="file-a", model="curie")
    assert tune.status == "pending" and tune.object == "fine-tune" and tune.training_files[0].id == "file-a"
    assert [t.id for t in client.fine_tunes.list().data] == [tune.id]
    done = until(lambda: client.fine_tunes.retrieve(tune.id), lambda t: t.status == "succeeded")
    assert done.status == "succeeded" and done.fine_tuned_model and done.result_files[0].purpose == "fine-tune-results"
    assert client.fine_tunes.events.list(tune.id).data[-1].message == "The job has successfully completed"


AUTHORIZED = {"Authorization": "Bearer sk-test"}  # any key: the server checks that one is presented

# The checks that make "no 5xx and no response that violates the spec"; bounded for `make test`
# (`make fuzz` runs every phase with more examples).
FUZZ_CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.mark.parametrize("document", ["fine_tuning.yaml", "legacy_fine_tunes.yaml"])
def test_schemathesis_finds_no_server_error_and_no_response_off_spec(
    start: Callable[..., Server], document: str, request: pytest.FixtureRequest
) -> None:
    server = start("--job-seconds", "1")
    thorough = request.config.getoption("fuzz_all")
    phases, examples = ("examples,coverage,fuzzing,stateful", "100") if thorough else ("examples,fuzzing", "25")
    command = [sys.executable, "-m", "schemathesis.cli", "run", str(ROOT / "spec" / document), "--url", server.url,
               "--checks", FUZZ_CHECKS, "--phases", phases, "--max-examples", examples, "--seed", "1",
               "--header", f"Authorization: {AUTHORIZED['Authorization']}",
               "--generation-database", "none", "--no-color"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    summary = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert summary and int(summary.group(1)) == int(summary.group(2)) > 0, result.stdout[-2000:]
