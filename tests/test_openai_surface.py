"""A drop-in for openai-python's fine-tuning surface: every method of the installed `openai`
package's `client.fine_tuning` tree exists in the generated client under the same dotted
name, taking the same positional and keyword parameters."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import openai
import pytest

import fine_tuning_client

COMMON = {"extra_headers", "extra_query", "extra_body", "timeout"}  # both have them on every method


def methods(resource: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(dotted name, bound method) of a resource tree, openai's or ours."""
    for name in sorted(dir(resource)):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
            continue
        attr = getattr(resource, name)
        if inspect.ismethod(attr):
            yield f"{prefix}.{name}", attr
        elif not isinstance(attr, (str, int, float, type(None))) and type(attr).__module__.startswith(
            ("openai.resources", "fine_tuning_client")
        ):
            yield from methods(attr, f"{prefix}.{name}")


def shape(method: Any) -> tuple[list[str], set[str]]:
    """(positional parameters in order, keyword-only parameters) beside the common ones."""
    parameters = [p for p in inspect.signature(method).parameters.values() if p.name not in COMMON]
    positional = [p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keywords = {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}
    return positional, keywords


THEIRS = dict(methods(openai.OpenAI(api_key="unused").fine_tuning, "fine_tuning"))
OURS = dict(methods(fine_tuning_client.Client(api_key="unused").fine_tuning, "fine_tuning"))


def test_the_openai_package_has_a_fine_tuning_surface_to_compare_with() -> None:
    assert len(THEIRS) >= 13 and "fine_tuning.jobs.list_events" in THEIRS


@pytest.mark.parametrize("name", sorted(THEIRS))
def test_each_openai_method_is_here_with_the_same_call_shape(name: str) -> None:
    assert name in OURS, f"missing: client.{name}"
    assert shape(OURS[name]) == shape(THEIRS[name])
