"""Every JSON example in the seeds parses into the generated models and serializes back equal."""

from __future__ import annotations

import pytest

from conftest import SEED_EXAMPLES, seed_example
from fine_tuning_client import models

MODEL_FOR = {
    "job_succeeded_with_method": models.FineTuningJob,
    "job_queued_with_integration": models.FineTuningJob,
    "job_cancelled": models.FineTuningJob,
    "event": models.FineTuningJobEvent,
    "events_list": models.ListFineTuningJobEventsResponse,
    "events_list_warn": models.ListFineTuningJobEventsResponse,
    "checkpoint": models.FineTuningJobCheckpoint,
    "checkpoints_list": models.ListFineTuningJobCheckpointsResponse,
    "jobs_list": models.ListPaginatedFineTuningJobsResponse,
    "create_request_full": models.CreateFineTuningJobRequest,
    "legacy_create_request": models.CreateFineTuneRequest,
}


def test_every_example_file_is_covered() -> None:
    assert {p.stem for p in SEED_EXAMPLES.glob("*.json")} == set(MODEL_FOR)


@pytest.mark.parametrize("name", sorted(MODEL_FOR))
def test_round_trip(name: str) -> None:
    data = seed_example(name)
    parsed = MODEL_FOR[name].model_validate(data)
    assert parsed.to_dict() == data


def test_unknown_fields_and_enum_values_are_kept() -> None:
    data = {**seed_example("job_cancelled"), "status": "archived", "brand_new": {"x": 1}}
    job = models.FineTuningJob.model_validate(data)
    assert job.status == "archived"
    assert job.to_dict() == data
