"""Rule (docs/decisions.md, "Deprecations"): deprecated operations and deprecated aliases warn when
called; deprecated parameters are documented, never warned about."""

from __future__ import annotations

import warnings
from urllib.parse import unquote

from conftest import RecordingServer, seed_example
from fine_tuning_client import Client


def test_deprecated_hyperparameters_do_not_warn(server: RecordingServer) -> None:
    """As openai-python: a deprecated argument is documented (and typed), never a runtime warning,
    so code run with `-W error` keeps working."""
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        server.reply(seed_example("job_cancelled"))
        client.fine_tuning.jobs.create(model="m", training_file="f", hyperparameters={"n_epochs": 3})
    assert server.last.body == {"model": "m", "training_file": "f", "hyperparameters": {"n_epochs": 3}}
    assert "hyperparameters: Deprecated." in (type(client.fine_tuning.jobs).create.__doc__ or "")


def test_a_deprecated_alias_warns_with_its_message(server: RecordingServer) -> None:
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    permissions = client.fine_tuning.checkpoints.permissions
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        server.reply({"object": "list", "data": [], "has_more": False})
        permissions.list("ft:gpt-4o-mini:org:x:abc")
    server.reply({"object": "list", "data": [], "has_more": False})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        permissions.retrieve("ft:gpt-4o-mini:org:x:abc")
    assert [(w.category, str(w.message)) for w in caught] == [
        (DeprecationWarning, "Retrieve is deprecated. Please swap to the paginated list method instead.")
    ]
    assert caught[0].filename == __file__  # points at the caller's line
    assert unquote(server.last.path) == "/v1/fine_tuning/checkpoints/ft:gpt-4o-mini:org:x:abc/permissions"


def test_deprecated_operation_warns(server: RecordingServer) -> None:
    client = Client(api_key="k", base_url=server.url, max_retries=0)
    server.reply({"object": "list", "data": []})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.fine_tunes.list()
    assert [(w.category, str(w.message)) for w in caught] == [(DeprecationWarning, "fine_tunes.list() is deprecated")]
