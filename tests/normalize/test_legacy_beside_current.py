"""Rule: the legacy and current documents normalize into one IR without clashes, and the
generated names and docstrings tell them apart."""

from __future__ import annotations

from conftest import ROOT
from fine_tuning_client import client, models
from generator.diagnostics import Diagnostic
from generator.loader import SpecSet
from generator.normalize import normalize


def test_one_ir_no_clash() -> None:
    diagnostics: list[Diagnostic] = []
    api = normalize(
        SpecSet([ROOT / "spec" / "fine_tuning.yaml", ROOT / "spec" / "legacy_fine_tunes.yaml"]), diagnostics
    )
    assert diagnostics == []
    names = {m.name for m in api.models}
    assert {"FineTune", "FineTuningJob", "FineTuneEvent", "FineTuningJobEvent", "ErrorResponse"} <= names
    calls = {".".join((*op.resource, op.name)): op.deprecated for op in api.operations}
    assert calls == {
        "fine_tuning.jobs.create": False, "fine_tuning.jobs.list": False, "fine_tuning.jobs.retrieve": False,
        "fine_tuning.jobs.cancel": False, "fine_tuning.jobs.pause": False, "fine_tuning.jobs.resume": False,
        "fine_tuning.jobs.events.list": False, "fine_tuning.jobs.checkpoints.list": False,
        "fine_tuning.checkpoints.permissions.create": False, "fine_tuning.checkpoints.permissions.list": False,
        "fine_tuning.checkpoints.permissions.delete": False, "fine_tuning.alpha.graders.run": False,
        "fine_tuning.alpha.graders.validate": False,
        "fine_tunes.create": True, "fine_tunes.list": True, "fine_tunes.retrieve": True,
        "fine_tunes.cancel": True, "fine_tunes.events.list": True,
    }  # fmt: skip


def test_docstrings_say_which_is_legacy() -> None:
    assert (models.FineTune.__doc__ or "").startswith("Deprecated.")
    assert "legacy" in (models.FineTune.__doc__ or "")
    assert (client.FineTunes.create.__doc__ or "").startswith("Deprecated:")
    assert "/fine-tunes" in (client.FineTunes.create.__doc__ or "")
    assert not (client.FineTuningJobs.create.__doc__ or "").startswith("Deprecated")
    assert "hyperparameters: Deprecated." in (client.FineTuningJobs.create.__doc__ or "")  # the argument only
