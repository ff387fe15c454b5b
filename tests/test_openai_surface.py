"""A drop-in for openai-python's fine-tuning surface: every method of the installed `openai`
package's `client.fine_tuning` tree exists in the generated client under the same dotted
name, taking the same positional and keyword parameters; so do the client's own attributes,
every resource's raw and streaming views, and the attribute name of every JSON key their
fine-tuning models share (tests/test_openai_patterns.py runs them)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pydantic
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


def resources(resource: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(dotted name, resource) of a resource tree, itself first."""
    yield prefix, resource
    for name in sorted(dir(resource)):
        attr = getattr(resource, name, None) if not name.startswith("_") else None
        if type(attr).__module__.startswith(("openai.resources", "fine_tuning_client")) and not name.startswith(
            "with_"
        ):
            yield from resources(attr, f"{prefix}.{name}")


THEIR_CLIENT = openai.OpenAI(api_key="unused")
OUR_CLIENT = fine_tuning_client.Client(api_key="unused")
THEIRS = dict(methods(THEIR_CLIENT.fine_tuning, "fine_tuning"))
OURS = dict(methods(OUR_CLIENT.fine_tuning, "fine_tuning"))
THEIR_RESOURCES = dict(resources(THEIR_CLIENT.fine_tuning, "fine_tuning"))
OUR_RESOURCES = dict(resources(OUR_CLIENT.fine_tuning, "fine_tuning"))


def test_the_openai_package_has_a_fine_tuning_surface_to_compare_with() -> None:
    assert len(THEIRS) >= 13 and "fine_tuning.jobs.list_events" in THEIRS


@pytest.mark.parametrize("name", sorted(THEIRS))
def test_each_openai_method_is_here_with_the_same_call_shape(name: str) -> None:
    assert name in OURS, f"missing: client.{name}"
    assert shape(OURS[name]) == shape(THEIRS[name])


@pytest.mark.parametrize("name", ["with_options", "copy", "with_raw_response", "with_streaming_response", "webhooks"])
def test_the_client_has_the_attributes_of_openais(name: str) -> None:
    assert hasattr(THEIR_CLIENT, name) and hasattr(OUR_CLIENT, name)
    assert callable(getattr(THEIR_CLIENT, name)) == callable(getattr(OUR_CLIENT, name))


@pytest.mark.parametrize("name", sorted(THEIR_RESOURCES))
def test_each_resource_has_raw_and_streaming_views_with_the_same_methods(name: str) -> None:
    theirs, ours = THEIR_RESOURCES[name], OUR_RESOURCES[name]
    for view in ("with_raw_response", "with_streaming_response"):
        their_view, our_view = getattr(theirs, view), getattr(ours, view)
        wanted = {n for n in dir(their_view) if not n.startswith("_")}  # methods and sub-resources
        assert wanted and wanted <= set(dir(our_view)), wanted - set(dir(our_view))


def wire_names(modules: list[Any]) -> dict[str, set[str]]:
    """JSON key -> the attribute names the models of `modules` give it."""
    out: dict[str, set[str]] = {}
    for module in modules:
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, pydantic.BaseModel) and cls.__module__ == module.__name__:
                for name, info in cls.model_fields.items():
                    out.setdefault(info.alias or name, set()).add(name)
    return out


def test_every_json_key_has_openais_attribute_name() -> None:
    packages = [importlib.import_module(p) for p in ("openai.types.fine_tuning", "openai.types.graders")]
    theirs = wire_names([
        importlib.import_module(m.name) for p in packages for m in pkgutil.walk_packages(p.__path__, p.__name__ + ".")
    ])  # fmt: skip
    models = importlib.import_module("fine_tuning_client.models")  # a package of modules, as openai's types
    ours = wire_names(
        [importlib.import_module(m.name) for m in pkgutil.walk_packages(models.__path__, "fine_tuning_client.models.")]
    )
    shared = theirs.keys() & ours.keys()
    assert len(shared) >= 100 and "model_grader_parse_error" in shared  # a real comparison
    assert {k: ours[k] for k in shared if ours[k] != theirs[k]} == {}


def test_api_md_lists_every_name_a_route_is_called_by() -> None:
    """README's tour calls `permissions.retrieve`: API.md must find it beside `list`."""
    api_md = (Path(fine_tuning_client.__file__).parents[1] / "API.md").read_text()
    listed = set(re.findall(r"`(client\.[\w.]+\(\))`", api_md))
    for resource in ("jobs", "checkpoints.permissions", "alpha.graders"):
        owner: Any = fine_tuning_client.Client(api_key="k").fine_tuning
        for part in resource.split("."):
            owner = getattr(owner, part)
        for name, _ in inspect.getmembers(type(owner), inspect.isfunction):
            if not name.startswith("_") and name != "wait":
                assert f"client.fine_tuning.{resource}.{name}()" in listed, name
    row = next(line for line in api_md.splitlines() if "permissions.retrieve()" in line)
    assert "permissions.list()" in row and "(deprecated alias)" in row
