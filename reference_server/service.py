"""The reference implementation of the generated `Service`: jobs that run on a simulated clock.

Requests arrive already validated by the generated stubs (strict bodies); what is left here
is the API's behaviour: ids, the lifecycle (see timeline.py), state rules (only a running
job pauses), cursor pagination, and answers in the API's error shape.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Callable, Collection, Coroutine, Mapping
from pathlib import Path
from typing import Any, cast

import fastapi

from fine_tuning_client import APIModel, models, training
from fine_tuning_stubs import APIException, bodies, create_app, create_router

from . import graders, timeline
from .store import Job, Store
from .webhooks import Deliveries

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
LEGACY_STATUS = {"validating_files": "pending", "queued": "pending"}  # /fine-tunes spells these `pending`
DEFAULT_EPOCHS = 3
MAX_LIMIT = 100
MAX_INTEGRATIONS = 5  # FineTuningJob.integrations has maxItems: 5
WEBHOOK_EVENTS: dict[str, type[APIModel]] = {
    "succeeded": models.WebhookFineTuningJobSucceeded,
    "failed": models.WebhookFineTuningJobFailed,
    "cancelled": models.WebhookFineTuningJobCancelled,
}
_GRADER_ERRORS = (
    "formula_parse_error", "sample_parse_error", "truncated_observation_error", "unresponsive_reward_error",
    "invalid_variable_error", "other_error", "python_grader_server_error", "python_grader_runtime_error",
    "model_grader_server_error", "model_grader_refusal_error", "model_grader_parse_error",
)  # fmt: skip
_GRADER_ERROR_DETAILS = (
    "python_grader_server_error_type", "python_grader_runtime_error_details", "model_grader_server_error_details"
)  # fmt: skip


def _id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


def _limit(limit: int | None, default: int) -> int:
    return max(0, min(MAX_LIMIT, default if limit is None else limit))


def _n_epochs(*hyperparameters: Any) -> int | None:
    """The first explicit `n_epochs` among hyperparameter objects; None for 'auto' or absent."""
    for h in hyperparameters:
        value = getattr(h, "n_epochs", None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


class ReferenceService:
    """Implements every operation of both documents over a `Store`.

    `job_seconds` is the time scale: how long a job takes from creation to success (1.0 in
    tests). A training file exists if it is in `files` or `training_data`; without either,
    if its id starts with `file-`. A file in `training_data` (id -> a local JSONL file) is
    counted by the client's training-file checker: a job on it takes the epochs the API
    would choose and reports the tokens the checker estimates as its `trained_tokens`.
    """

    def __init__(
        self,
        store: Store,
        *,
        job_seconds: float = 60.0,
        files: Collection[str] | None = None,
        organization_id: str = "org-reference",
        clock: Callable[[], float] = time.time,
        webhooks: Deliveries | None = None,
        training_data: Mapping[str, Path] | None = None,
    ) -> None:
        self.store = store
        self.webhooks = webhooks  # where a job's end is told, if anywhere
        self.job_seconds = job_seconds
        self.training_data = dict(training_data or {})
        self.files = None if files is None and not training_data else frozenset(files or ()) | set(self.training_data)
        self.organization_id = organization_id
        self.clock = clock

    def file_exists(self, file_id: str) -> bool:
        return file_id in self.files if self.files is not None else file_id.startswith("file-")

    def _tokens(self, file_id: str, method: str, model: str, n_epochs: int | None) -> training.Tokens | None:
        """The checker's token figures of a training file we hold, as a job on `model` sees them."""
        path = self.training_data.get(file_id)
        if path is None or method not in training.METHODS:
            return None
        kind = cast(training.Method, method)
        return training.validate_training_file(path, kind, model=model, n_epochs=n_epochs).tokens

    # ------------------------------------------------------------ the simulation
    def _load(self, job_id: str, kind: str, param: str) -> Job:
        job = self.store.job(job_id, kind)
        if job is None:
            raise APIException(404, f"No fine-tuning job found with id {job_id!r}", param=param, code="not_found")
        return self._advance(job)

    def _advance(self, job: Job) -> Job:
        """Apply every step of the plan whose time has come; a paused job's clock stands still."""
        sim = job.sim
        if sim["state"] in TERMINAL or sim["paused"]:
            return job
        now = self.clock()
        sim["progress"] = min(1.0, sim["progress"] + (now - sim["clock"]) / self.job_seconds)
        sim["clock"] = now
        steps = timeline.plan(sim["training_file"], sim["file_exists"], sim["n_epochs"])
        with self.store.transaction():
            while sim["done"] < len(steps) and steps[sim["done"]].at <= sim["progress"]:
                step = steps[sim["done"]]
                sim["done"] += 1
                self._apply(job, step, int(now - (sim["progress"] - step.at) * self.job_seconds))
            self.store.save_job(job)
        return job

    def _apply(self, job: Job, step: timeline.Step, when: int) -> None:
        data, sim = job.data, job.sim
        if step.status:
            sim["state"] = step.status
            data["status"] = LEGACY_STATUS.get(step.status, step.status) if job.kind == "legacy" else step.status
            self._on_status(job, step.status, when)
        if job.kind == "legacy":
            self._event(job, when, step.message, step.level)
            data["updated_at"] = when
            return
        self._event(job, when, step.message, step.level, step.metrics)
        if step.checkpoint is not None:
            name = data["fine_tuned_model"] or self._model_name(job)
            self.store.add_checkpoint(
                job.id,
                {
                    "object": "fine_tuning.job.checkpoint",
                    "id": _id("ftckpt-"),
                    "created_at": when,
                    "fine_tuned_model_checkpoint": f"{name}:ckpt-step-{step.step_number}",
                    "step_number": step.step_number,
                    "metrics": step.checkpoint,
                    "fine_tuning_job_id": job.id,
                },
            )

    def _on_status(self, job: Job, status: str, when: int) -> None:
        """What reaching `status` sets besides the status: an error, the results, the finish time."""
        data = job.data
        if status == "failed":
            message = f"Training file {job.sim['training_file']} does not exist"
            if job.kind == "job":
                data["error"] = {"code": "invalid_training_file", "message": message, "param": "training_file"}
        if status == "succeeded":
            data["fine_tuned_model"] = self._model_name(job)
            tokens = job.sim.get("billed") or job.sim["n_epochs"] * timeline.STEPS_PER_EPOCH * 1000
            if job.kind == "job":
                data["result_files"] = [_id("file-")]
                data["trained_tokens"] = tokens
            else:
                data["result_files"] = [self._file(_id("file-"), "fine-tune-results", when)]
        if status in TERMINAL and job.kind == "job":
            data["finished_at"] = when
            data["estimated_finish"] = None
            if self.webhooks is not None:
                self.webhooks.send(self._webhook_event(job, status, when))
        elif status in TERMINAL:
            data["updated_at"] = when

    @staticmethod
    def _webhook_event(job: Job, status: str, when: int) -> dict[str, Any]:
        """The event the API POSTs when a job ends, as the spec's `webhooks` declare it."""
        event = {"id": _id("evt_"), "object": "event", "type": f"fine_tuning.job.{status}", "created_at": when,
                 "data": {"id": job.id}}  # fmt: skip
        return WEBHOOK_EVENTS[status].model_validate(event).to_dict()

    def advance_all(self) -> None:
        """Every live job brought up to now: how jobs end, and webhooks go, with nobody reading."""
        for job in self.store.jobs("job"):
            if job.sim["state"] not in TERMINAL:
                self._advance(job)

    def _event(self, job: Job, when: int, message: str, level: str = "info", metrics: Any = None) -> None:
        if job.kind == "legacy":
            event = {"object": "fine-tune-event", "created_at": when, "level": level, "message": message}
            self.store.add_event(job.id, {**event, "id": _id("ftevent-")})
            return
        event = {"object": "fine_tuning.job.event", "id": _id("ftevent-"), "created_at": when, "level": level,
                 "message": message, "type": "metrics" if metrics else "message", "data": metrics or {}}  # fmt: skip
        self.store.add_event(job.id, event)

    def _model_name(self, job: Job) -> str:
        suffix = job.sim.get("suffix") or ""
        return f"ft:{job.data['model']}:{self.organization_id}:{suffix}:{job.id[-8:]}"

    def _file(self, file_id: str, purpose: str, when: int) -> dict[str, Any]:
        return {"object": "file", "id": file_id, "bytes": 0, "created_at": when, "filename": f"{file_id}.jsonl",
                "purpose": purpose, "status": "processed"}  # fmt: skip

    def _new(
        self, kind: str, data: dict[str, Any], training_file: str, n_epochs: int, suffix: str | None,
        billed: int | None = None,
    ) -> Job:  # fmt: skip
        now = self.clock()
        sim = {"state": "new", "progress": 0.0, "clock": now, "done": 0, "paused": False, "n_epochs": n_epochs,
               "file_exists": self.file_exists(training_file), "training_file": training_file, "suffix": suffix,
               "billed": billed}  # fmt: skip
        job = Job(data["id"], kind, data, sim)
        with self.store.transaction():
            self.store.add_job(job)
            self._event(job, int(now), f"Created fine-tuning job: {job.id}")
        return self._advance(job)

    # ------------------------------------------------------------ /fine_tuning/jobs
    async def create_fine_tuning_job(self, *, body: bodies.CreateFineTuningJobRequest) -> models.FineTuningJob:
        if body.integrations and len(body.integrations) > MAX_INTEGRATIONS:  # a job holds at most five
            message = f"Invalid value for 'integrations': at most {MAX_INTEGRATIONS} integrations"
            raise APIException(400, message, param="integrations")
        method = body.method
        chosen = getattr(method, method.type, None) if method is not None else None
        epochs = _n_epochs(getattr(chosen, "hyperparameters", None), body.hyperparameters)
        tokens = self._tokens(body.training_file, method.type if method else "supervised", body.model, epochs)
        n_epochs = tokens.epochs if tokens is not None else epochs or DEFAULT_EPOCHS
        if method is None:  # the deprecated top-level hyperparameters mean supervised training
            given = body.hyperparameters.to_dict() if body.hyperparameters else {}
            method_data: dict[str, Any] = {"type": "supervised", "supervised": {"hyperparameters": given}}
        else:
            method_data = method.to_dict()
        hyperparameters = {"n_epochs": n_epochs, "batch_size": "auto", "learning_rate_multiplier": "auto"}
        now = int(self.clock())
        data = {
            "object": "fine_tuning.job",
            "id": _id("ftjob-"),
            "created_at": now,
            "error": None,
            "fine_tuned_model": None,
            "finished_at": None,
            "hyperparameters": hyperparameters,
            "model": body.model,
            "organization_id": self.organization_id,
            "result_files": [],
            "status": "validating_files",
            "trained_tokens": None,
            "training_file": body.training_file,
            "validation_file": body.validation_file,
            "integrations": [i.to_dict() for i in body.integrations] if body.integrations else None,
            "seed": body.seed if body.seed is not None else secrets.randbelow(2**31),
            "estimated_finish": now + round(self.job_seconds),
            "method": method_data,
            "metadata": body.metadata,
        }
        billed = tokens.billed if tokens is not None else None
        job = self._new("job", data, body.training_file, n_epochs, body.suffix, billed)
        return models.FineTuningJob.model_validate(job.data)

    async def list_paginated_fine_tuning_jobs(
        self, *, after: str | None, limit: int | None, metadata: dict[str, str] | None
    ) -> models.ListPaginatedFineTuningJobsResponse:
        jobs = self.store.jobs("job")
        if metadata:
            jobs = [j for j in jobs if all((j.data.get("metadata") or {}).get(k) == v for k, v in metadata.items())]
        ids = [j.id for j in jobs]
        start = (ids.index(after) + 1 if after in ids else len(ids)) if after is not None else 0
        size = _limit(limit, 20)
        chunk = [self._advance(j).data for j in jobs[start : start + size]]
        return models.ListPaginatedFineTuningJobsResponse.model_validate(
            {"object": "list", "data": chunk, "has_more": start + size < len(jobs)}
        )

    async def retrieve_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        return models.FineTuningJob.model_validate(self._load(fine_tuning_job_id, "job", "fine_tuning_job_id").data)

    async def cancel_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        return self._change(fine_tuning_job_id, "cancel")

    async def pause_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        return self._change(fine_tuning_job_id, "pause")

    async def resume_fine_tuning_job(self, *, fine_tuning_job_id: str) -> models.FineTuningJob:
        return self._change(fine_tuning_job_id, "resume")

    def _change(self, job_id: str, action: str) -> models.FineTuningJob:
        job = self._load(job_id, "job", "fine_tuning_job_id")
        self._transition(job, action)
        return models.FineTuningJob.model_validate(job.data)

    def _transition(self, job: Job, action: str) -> None:
        """cancel (any live job), pause (a running job), resume (a paused job); else a 400."""
        sim, status = job.sim, job.data["status"]
        allowed = {"cancel": status not in TERMINAL, "pause": status == "running", "resume": status == "paused"}
        past = {"cancel": "cancelled", "pause": "paused", "resume": "resumed"}[action]
        if not allowed[action]:
            raise APIException(400, f"Job {job.id} cannot be {past}: its status is {status!r}", code="invalid_state")
        now = self.clock()
        job.data["status"] = {"cancel": "cancelled", "pause": "paused", "resume": "running"}[action]
        sim["paused"] = action == "pause"
        sim["clock"] = now  # a resumed job's clock restarts from now
        if action == "cancel":
            sim["state"] = "cancelled"
            self._on_status(job, "cancelled", int(now))
        with self.store.transaction():
            self._event(job, int(now), f"Fine-tuning job {past}")
            self.store.save_job(job)

    async def list_fine_tuning_events(
        self, *, fine_tuning_job_id: str, after: str | None, limit: int | None
    ) -> models.ListFineTuningJobEventsResponse:
        self._load(fine_tuning_job_id, "job", "fine_tuning_job_id")
        page = self.store.page("events", fine_tuning_job_id, after, _limit(limit, 20))
        return models.ListFineTuningJobEventsResponse.model_validate(
            {"object": "list", "data": page.items, "has_more": page.has_more}
        )

    async def list_fine_tuning_job_checkpoints(
        self, *, fine_tuning_job_id: str, after: str | None, limit: int | None
    ) -> models.ListFineTuningJobCheckpointsResponse:
        self._load(fine_tuning_job_id, "job", "fine_tuning_job_id")
        page = self.store.page("checkpoints", fine_tuning_job_id, after, _limit(limit, 10))
        first, last = (page.items[0]["id"], page.items[-1]["id"]) if page.items else (None, None)
        return models.ListFineTuningJobCheckpointsResponse.model_validate(
            {"object": "list", "data": page.items, "first_id": first, "last_id": last, "has_more": page.has_more}
        )

    # ------------------------------------------------------------ checkpoint permissions
    async def list_fine_tuning_checkpoint_permissions(
        self,
        *,
        fine_tuned_model_checkpoint: str,
        project_id: str | None,
        after: str | None,
        limit: int | None,
        order: str | None,
    ) -> models.ListFineTuningCheckpointPermissionResponse:
        page = self.store.permissions(
            fine_tuned_model_checkpoint,
            project_id=project_id,
            after=after,
            limit=_limit(limit, 10),
            newest_first=order != "ascending",
        )
        return self._permission_list(page.items, page.has_more)

    async def create_fine_tuning_checkpoint_permission(
        self, *, fine_tuned_model_checkpoint: str, body: bodies.CreateFineTuningCheckpointPermissionRequest
    ) -> models.ListFineTuningCheckpointPermissionResponse:
        now = int(self.clock())
        created = [
            {"object": "checkpoint.permission", "id": _id("cp_"), "created_at": now, "project_id": project}
            for project in body.project_ids
        ]
        with self.store.transaction():
            for permission in created:
                self.store.add_permission(fine_tuned_model_checkpoint, permission)
        return self._permission_list(created, False)

    async def delete_fine_tuning_checkpoint_permission(
        self, *, fine_tuned_model_checkpoint: str, permission_id: str
    ) -> models.DeleteFineTuningCheckpointPermissionResponse:
        if not self.store.delete_permission(fine_tuned_model_checkpoint, permission_id):
            message = f"No permission {permission_id!r} on checkpoint {fine_tuned_model_checkpoint!r}"
            raise APIException(404, message, param="permission_id", code="permission_not_found")
        return models.DeleteFineTuningCheckpointPermissionResponse.model_validate(
            {"id": permission_id, "object": "checkpoint.permission", "deleted": True}
        )

    @staticmethod
    def _permission_list(
        items: list[dict[str, Any]], has_more: bool
    ) -> models.ListFineTuningCheckpointPermissionResponse:
        first, last = (items[0]["id"], items[-1]["id"]) if items else (None, None)
        return models.ListFineTuningCheckpointPermissionResponse.model_validate(
            {"object": "list", "data": items, "first_id": first, "last_id": last, "has_more": has_more}
        )

    # ------------------------------------------------------------ graders (alpha)
    async def run_grader(self, *, body: bodies.RunGraderRequest) -> models.RunGraderResponse:
        started = time.perf_counter()
        grader = body.grader.model_dump(mode="json", by_alias=True, exclude_unset=True)
        reward = graders.run(grader, body.api_model_sample, body.item if isinstance(body.item, dict) else {})
        errors = dict.fromkeys(_GRADER_ERRORS, False) | dict.fromkeys(_GRADER_ERROR_DETAILS)
        metadata = {
            "name": grader["name"],
            "type": grader["type"],
            "errors": errors,
            "execution_time": time.perf_counter() - started,
            "scores": {grader["name"]: reward},
            "token_usage": None,
            "sampled_model_name": None,
        }
        return models.RunGraderResponse.model_validate(
            {"reward": reward, "metadata": metadata, "sub_rewards": {}, "model_grader_token_usage_per_model": {}}
        )

    async def validate_grader(self, *, body: bodies.ValidateGraderRequest) -> models.ValidateGraderResponse:
        return models.ValidateGraderResponse.model_validate(
            {"grader": body.grader.model_dump(mode="json", by_alias=True, exclude_unset=True)}
        )

    # ------------------------------------------------------------ /fine-tunes (legacy)
    def _legacy(self, job: Job) -> models.FineTune:
        events = [{k: v for k, v in e.items() if k != "id"} for e in self.store.events(job.id)]
        return models.FineTune.model_validate({**job.data, "events": events})

    async def create_fine_tune(self, *, body: bodies.CreateFineTuneRequest) -> models.FineTune:
        n_epochs = _n_epochs(body.hyperparameters) or DEFAULT_EPOCHS
        now = int(self.clock())
        files = [self._file(body.training_file, "fine-tune", now)]
        data = {
            "object": "fine-tune",
            "id": _id("ft-"),
            "created_at": now,
            "updated_at": now,
            "model": body.model or "curie",
            "fine_tuned_model": None,
            "organization_id": self.organization_id,
            "status": "pending",
            "hyperparams": {
                "n_epochs": n_epochs,
                "batch_size": body.batch_size or 1,
                "prompt_loss_weight": body.prompt_loss_weight if body.prompt_loss_weight is not None else 0.01,
                "learning_rate_multiplier": body.learning_rate_multiplier or 0.1,
            },
            "training_files": files,
            "validation_files": [self._file(body.validation_file, "fine-tune", now)] if body.validation_file else [],
            "result_files": [],
        }
        return self._legacy(self._new("legacy", data, body.training_file, n_epochs, body.suffix))

    async def list_fine_tunes(self) -> models.ListFineTunesResponse:
        data = [self._advance(j).data for j in self.store.jobs("legacy")]
        return models.ListFineTunesResponse.model_validate({"object": "list", "data": data})

    async def retrieve_fine_tune(self, *, fine_tune_id: str) -> models.FineTune:
        return self._legacy(self._load(fine_tune_id, "legacy", "fine_tune_id"))

    async def cancel_fine_tune(self, *, fine_tune_id: str) -> models.FineTune:
        job = self._load(fine_tune_id, "legacy", "fine_tune_id")
        self._transition(job, "cancel")
        return self._legacy(job)

    async def list_fine_tune_events(
        self, *, fine_tune_id: str, stream: bool | None
    ) -> models.ListFineTuneEventsResponse:
        job = self._load(fine_tune_id, "legacy", "fine_tune_id")
        return models.ListFineTuneEventsResponse.model_validate({"object": "list", "data": self._legacy(job).events})


def create_server_app(
    db: str = ":memory:",
    *,
    job_seconds: float = 60.0,
    files: Collection[str] | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    training_data: Mapping[str, Path] | None = None,
) -> fastapi.FastAPI:
    """The generated routes over a `ReferenceService` on a fresh or existing SQLite store,
    at the root and under `/v1` (where the OpenAI SDK's default base URL puts them). With a
    webhook URL, jobs run on the clock and each one's end is POSTed there, signed."""
    deliveries = Deliveries(webhook_url, webhook_secret or "") if webhook_url else None
    service = ReferenceService(
        Store(db), job_seconds=job_seconds, files=files, webhooks=deliveries, training_data=training_data
    )
    app = create_app(service)
    app.include_router(create_router(service), prefix="/v1")
    if deliveries is not None:
        _run_beside(app, deliveries.run(), _ticking(service, min(0.25, job_seconds / 20)))

    @app.middleware("http")
    async def request_id(request: fastapi.Request, call_next: Any) -> Any:
        """Every answer names its request, as the API's do (what `_request_id` reads)."""
        response = await call_next(request)
        response.headers["x-request-id"] = _id("req_")
        return response

    return app


async def _ticking(service: ReferenceService, seconds: float) -> None:
    while True:
        service.advance_all()
        await asyncio.sleep(seconds)


def _run_beside(app: fastapi.FastAPI, *work: Coroutine[Any, Any, None]) -> None:
    """Run `work` on the server's loop from startup to shutdown."""
    serving = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        tasks = [asyncio.create_task(w) for w in work]
        try:
            async with serving(app_) as state:
                yield state
        finally:
            for task in tasks:
                task.cancel()

    app.router.lifespan_context = lifespan
