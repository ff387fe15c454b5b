"""The pipeline, one direction: load -> select -> validate -> normalize -> render -> format -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .config import Settings, spec_files
from .diagnostics import Diagnostic, Level, Location, SpecError, errors
from .ir import Api
from .loader import SpecSet
from .names import snake
from .normalize import normalize
from .render import Config, render
from .selection import Selection, select
from .validate import validate
from .writer import format_files, write_tree

# Problems the generator can work around: reported as warnings unless --strict.
LENIENT_RULES = frozenset({"openapi-schema", "validator-crash"})


@dataclass(frozen=True)
class Result:
    api: Api
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    seconds: float


def load(settings: Settings) -> tuple[SpecSet, list[Diagnostic]]:
    paths = spec_files(settings.specs)
    if not paths:
        raise SpecError(
            [
                Diagnostic(
                    Level.ERROR,
                    Location(str(settings.specs[0]) if settings.specs else "."),
                    "no OpenAPI document found",
                    "no-spec",
                )
            ]
        )
    specset = SpecSet(paths, allow_outside=settings.allow_outside)
    lines = tuple(model for _, model in settings.training_formats)  # kept in a slice: the client checks files
    select(specset, Selection(settings.include_tags, settings.include_paths, settings.exclude_paths, lines))
    return specset, validate(specset)


def build(settings: Settings) -> Result:
    """Everything but writing: the IR and the formatted files, or a SpecError."""
    started = time.perf_counter()
    specset, diagnostics = load(settings)
    if not settings.strict:
        diagnostics = [d.as_warning() if d.rule in LENIENT_RULES else d for d in diagnostics]
    if errors(diagnostics):
        raise SpecError(diagnostics)
    api = normalize(specset, diagnostics)
    if errors(diagnostics):
        raise SpecError(diagnostics)
    base = snake(api.title.removesuffix(" API").removesuffix(" api")) or "api"
    config = Config(
        client_package=settings.client_package or f"{base}_client",
        stubs_package=(f"{base}_stubs" if settings.stubs_package is None else settings.stubs_package) or None,
        api_key_env=settings.api_key_env,
        base_url_env=settings.base_url_env,
        training_formats=settings.training_formats,
    )
    files = format_files(render(api, config), tuple(filter(None, (config.client_package, config.stubs_package))))
    return Result(api, files, diagnostics, time.perf_counter() - started)


def generate(settings: Settings) -> Result:
    result = build(settings)
    write_tree(result.files, settings.out)
    return result
