"""Rule: deprecated parameters warn only when the caller passes them; deprecated operations warn when called."""

from __future__ import annotations

import warnings

from conftest import RecordingServer, seed_example
from fine_tuning_client import Client


def test_deprecated_hyperparameters_warn_only_when_passed(server: RecordingServer) -> None:
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        server.reply(seed_example("job_cancelled"))
        client.fine_tuning.jobs.create(model="m", training_file="f", method={"type": "supervised"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        server.reply(seed_example("job_cancelled"))
        client.fine_tuning.jobs.create(model="m", training_file="f", hyperparameters={"n_epochs": 3})
    assert [str(w.message) for w in caught] == [
        "the 'hyperparameters' argument of fine_tuning.jobs.create() is deprecated"
    ]
    assert caught[0].category is DeprecationWarning
    assert caught[0].filename == __file__  # points at the caller's line
    assert server.last.body == {"model": "m", "training_file": "f", "hyperparameters": {"n_epochs": 3}}


def test_deprecated_operation_warns(server: RecordingServer) -> None:
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    server.reply({"object": "list", "data": []})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.fine_tunes.list()
    assert [(w.category, str(w.message)) for w in caught] == [(DeprecationWarning, "fine_tunes.list() is deprecated")]
