"""A job's life as a plan fixed at creation: what happens at which fraction of its run.

validating_files -> queued -> running (steps with metrics, a checkpoint per epoch) ->
succeeded; or validating_files -> failed when the training file does not exist. The service
replays the plan lazily: whenever a job is read, the steps whose time has come are applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

STEPS_PER_EPOCH = 4
TRAINING_STARTS, TRAINING_ENDS = 0.2, 0.95  # fractions of the job's duration


@dataclass(frozen=True)
class Step:
    at: float  # fraction of the job's duration, 0..1
    message: str
    status: str | None = None  # the status the job moves to, if it moves
    level: str = "info"
    metrics: dict[str, float] | None = None  # a metrics event's data
    checkpoint: dict[str, float] | None = None  # a checkpoint's metrics
    step_number: int = 0


def plan(training_file: str, file_exists: bool, n_epochs: int) -> list[Step]:
    steps = [Step(0.0, f"Validating training file: {training_file}", "validating_files")]
    if not file_exists:
        steps.append(Step(0.1, f"Training file {training_file} does not exist", "failed", "error"))
        return steps
    steps.append(Step(0.1, "Files validated, moving job to queued state", "queued"))
    steps.append(Step(TRAINING_STARTS, "Fine-tuning job started", "running"))
    total = n_epochs * STEPS_PER_EPOCH
    for k in range(1, total + 1):
        at = TRAINING_STARTS + (TRAINING_ENDS - TRAINING_STARTS) * k / total
        loss = round(2.0 * math.exp(-2.5 * k / total) + 0.05, 4)  # a plausible, deterministic curve
        accuracy = round(1 - loss / 2.2, 4)
        metrics = {"step": k, "train_loss": loss, "train_mean_token_accuracy": accuracy, "total_steps": total}
        steps.append(Step(at, f"Step {k}/{total}: training loss={loss:.4f}", metrics=metrics))
        if k % STEPS_PER_EPOCH == 0:
            checkpoint = {
                "step": k,
                "train_loss": loss,
                "train_mean_token_accuracy": accuracy,
                "valid_loss": round(loss * 1.1, 4),
                "valid_mean_token_accuracy": round(accuracy * 0.97, 4),
                "full_valid_loss": round(loss * 1.12, 4),
                "full_valid_mean_token_accuracy": round(accuracy * 0.96, 4),
            }
            steps.append(Step(at, f"Checkpoint created at step {k}", checkpoint=checkpoint, step_number=k))
    steps.append(Step(1.0, "The job has successfully completed", "succeeded"))
    return steps
