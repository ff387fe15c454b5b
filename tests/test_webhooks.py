"""Webhooks end to end: the reference server (`python -m reference_server --webhook-url URL
--webhook-secret SECRET`) POSTs a signed event when a job succeeds, fails or is cancelled,
retrying while the receiver is down; a receiver on 127.0.0.1 verifies each one with the
generated client and with the `openai` package, and both refuse a tampered payload or an old
timestamp. Also the signing and checking themselves, for any spec."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import openai
import pytest

import fine_tuning_client
from conftest import GENERATED, ROOT
from fine_tuning_stubs import sign_webhook
from generator.config import Settings
from generator.output import write_tree
from generator.pipeline import build
from helpers import import_from

SECRET = "whsec_" + base64.b64encode(b"reference-server-webhook-secret!").decode()


@dataclass
class Receiver:
    """An HTTP endpoint that is down (its port bound, nobody listening: connections are refused)
    until `open()`; then it answers the first delivery 503 and every other one 200."""

    server: HTTPServer
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def open(self) -> None:
        self.server.server_activate()  # listen(): refused until now
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            status = 503 if not state.statuses else 200  # the first delivery finds it failing
            state.statuses.append(status)
            if status == 200:
                state.received.append((dict(self.headers), body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    state = Receiver(HTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False))
    state.server.server_bind()
    yield state
    state.server.shutdown() if state.statuses else None
    state.server.server_close()


def until(done: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_job_ending_reaches_the_receiver_signed(receiver: Receiver, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "reference_server", "--port", "0", "--db", ":memory:", "--job-seconds", "1",
               "--webhook-url", receiver.url, "--webhook-secret", SECRET]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(GENERATED), str(ROOT)])}
    with log.open("w") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[4]
        client = fine_tuning_client.Client(api_key="sk-test", base_url=url, webhook_secret=SECRET)
        jobs = client.fine_tuning.jobs
        succeeded = jobs.create(model="gpt-4o-mini", training_file="file-abc")
        failed = jobs.create(model="gpt-4o-mini", training_file="missing")  # no such file: it fails
        cancelled = jobs.create(model="gpt-4o-mini", training_file="file-abc")
        jobs.cancel(cancelled.id)
        # Nobody reads the jobs now: the server's clock ends them, and it tries while the receiver is down.
        until(lambda: log.read_text().count("attempt 1 failed (ConnectError)") == 3)
        receiver.open()
        until(lambda: len(receiver.received) == 3)
        assert "attempt 2 failed (status 503)" in log.read_text() or "attempt 3 failed (status 503)" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)

    theirs = openai.OpenAI(api_key="sk-test", webhook_secret=SECRET)
    events = {}
    for headers, body in receiver.received:
        ours = client.webhooks.unwrap(body, headers)
        assert type(ours).__name__ == f"WebhookFineTuningJob{ours.type.rpartition('.')[2].capitalize()}"
        other = theirs.webhooks.unwrap(body, headers)  # openai-python's check and types agree
        assert (other.type, other.data.id, other.id) == (ours.type, ours.data.id, ours.id)
        events[ours.data.id] = ours.type
    assert events == {succeeded.id: "fine_tuning.job.succeeded", failed.id: "fine_tuning.job.failed",
                      cancelled.id: "fine_tuning.job.cancelled"}  # fmt: skip
    # The delivery answered 503 came again: the same webhook-id, signed afresh.
    ids = [h["webhook-id"] for h, _ in receiver.received]
    assert len(set(ids)) == 3 and receiver.statuses.count(503) == 1

    headers, body = receiver.received[0]
    tampered = body.replace(b'"data":{"id":"', b'"data":{"id":"x')
    for unwrap, refused in ((client.webhooks.unwrap, fine_tuning_client.InvalidWebhookSignatureError),
                            (theirs.webhooks.unwrap, openai.InvalidWebhookSignatureError)):  # fmt: skip
        with pytest.raises(refused):
            unwrap(tampered, headers)
        old = sign_webhook(body, SECRET, webhook_id=headers["webhook-id"], timestamp=int(time.time()) - 3600)
        with pytest.raises(refused):
            unwrap(body, old)
        with pytest.raises(refused):
            unwrap(body, sign_webhook(body, "whsec_" + base64.b64encode(b"another secret").decode()))


# ---------------------------------------------------------------- the scheme itself
def test_signatures_follow_standard_webhooks() -> None:
    webhooks = fine_tuning_client.Client(api_key="k", webhook_secret=SECRET).webhooks
    event = {"id": "evt_1", "type": "fine_tuning.job.failed", "created_at": 1, "data": {"id": "ftjob-1"}}
    body = json.dumps(event)
    headers = sign_webhook(body, SECRET, webhook_id="msg_1", timestamp=int(time.time()))
    # Standard Webhooks' own example: the HMAC-SHA256 of `id.timestamp.body`, base64, after `v1,`.
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    import hashlib
    import hmac

    signed = f"msg_1.{headers['webhook-timestamp']}.{body}".encode()
    assert (
        headers["webhook-signature"]
        == "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    )
    # While a secret is rotated, the header holds several signatures: any one will do.
    rotated = {**headers, "Webhook-Signature": "v1,bm90IGl0 " + headers["webhook-signature"]}
    del rotated["webhook-signature"]
    assert webhooks.unwrap(body.encode(), rotated).data.id == "ftjob-1"  # bytes, headers in any case
    with pytest.raises(fine_tuning_client.InvalidWebhookSignatureError, match="dated 900 seconds ahead"):
        webhooks.verify_signature(body, {**headers, **sign_webhook(body, SECRET, timestamp=int(time.time()) + 900)})
    webhooks.verify_signature(body, sign_webhook(body, SECRET, timestamp=int(time.time()) - 200))  # within 300 s
    with pytest.raises(fine_tuning_client.InvalidWebhookSignatureError, match="old"):
        webhooks.verify_signature(body, sign_webhook(body, SECRET, timestamp=int(time.time()) - 200), tolerance=100)
    with pytest.raises(fine_tuning_client.InvalidWebhookSignatureError, match="webhook-id header is missing"):
        webhooks.verify_signature(body, {k: v for k, v in headers.items() if k != "webhook-id"})
    plain = "a secret without the whsec_ prefix"  # used as it is, as openai-python does
    assert webhooks.unwrap(body, sign_webhook(body, plain), secret=plain).type == "fine_tuning.job.failed"


def test_the_secret_comes_from_the_environment_or_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.dumps({"id": "e", "type": "fine_tuning.job.succeeded", "created_at": 1, "data": {"id": "j"}})
    monkeypatch.delenv("OPENAI_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValueError, match="webhook_secret= to the client, or set OPENAI_WEBHOOK_SECRET"):
        fine_tuning_client.Client(api_key="k").webhooks.unwrap(body, sign_webhook(body, SECRET))
    monkeypatch.setenv("OPENAI_WEBHOOK_SECRET", SECRET)
    client = fine_tuning_client.Client(api_key="k")
    assert client.webhook_secret == SECRET and client.copy().webhook_secret == SECRET
    assert client.webhooks.unwrap(body, sign_webhook(body, SECRET)).data.id == "j"


def test_an_event_the_spec_does_not_declare_is_told_apart() -> None:
    body = json.dumps({"id": "e", "type": "batch.completed", "created_at": 1, "data": {"id": "batch_1"}})
    webhooks = fine_tuning_client.Client(api_key="k", webhook_secret=SECRET).webhooks
    with pytest.raises(fine_tuning_client.UnknownWebhookEventError, match="'batch.completed'") as caught:
        webhooks.unwrap(body, sign_webhook(body, SECRET))
    assert caught.value.event["data"] == {"id": "batch_1"}  # signed, so handed over as it came


WEBHOOK_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1"},
    "paths": {},
    "webhooks": {
        "orderShipped": {"post": {"requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "required": ["order"], "properties": {"order": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok"}}}},
    },
}  # fmt: skip


def test_any_spec_s_webhooks_are_typed_and_checked(tmp_path: Path) -> None:
    """Events without a `type` constant: the union is tried in order."""
    import yaml

    (tmp_path / "orders.yaml").write_text(yaml.safe_dump(WEBHOOK_SPEC))
    result = build(Settings(specs=(tmp_path / "orders.yaml",), client_package="orders", stubs_package="orders_stubs"))
    write_tree(result.files, tmp_path / "out")
    orders, stubs = import_from(tmp_path / "out", "orders", "orders_stubs")
    client: Any = orders.Client(base_url="http://127.0.0.1:9", webhook_secret="s3cret")
    body = json.dumps({"order": "o-1"})
    event = client.webhooks.unwrap(body, stubs.sign_webhook(body, "s3cret"))
    assert type(event).__name__ == "OrderShippedEvent" and event.order == "o-1"
    assert "ORDERS_WEBHOOK_SECRET" in (tmp_path / "out" / "orders" / "_constants.py").read_text()
