"""The pipeline, one direction: load -> select -> validate -> normalize -> render -> format -> write."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings, config_location, spec_files
from .diagnostics import Diagnostic, Location, SpecError, errors, strictly
from .ir import Api
from .loader import SpecSet, Unread
from .names import env_names, package_base, snake
from .normalize import normalize
from .output import MANIFEST, Target, manifest_text, stale, write
from .render import USER_OWNED, Config, render
from .selection import Selection, select
from .validate import findings, schema_checks, structural_checks, validate
from .writer import InvalidCode, format_files

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


@dataclass(frozen=True)
class Result:
    api: Api
    files: dict[str, str]
    diagnostics: list[Diagnostic]
    seconds: float
    once: frozenset[str] = frozenset()  # files written only when missing (the user's from then on)
    read: dict[Path, str] = field(default_factory=dict)  # each document read -> the text parsed


def read(settings: Settings) -> SpecSet:
    """The documents, sliced to the configured selection."""
    paths = spec_files(settings.specs)
    if not paths:
        location = Location(str(settings.specs[0]) if settings.specs else ".")
        raise SpecError([Diagnostic.of("no-spec", location, "no OpenAPI document found")])
    specset = SpecSet(paths, allow_outside=settings.allow_outside)
    lines = tuple(model for _, model in settings.training_formats)  # kept in a slice: the client checks files
    select(specset, Selection(settings.include_tags, settings.include_paths, settings.exclude_paths, lines))
    return specset


def load(settings: Settings) -> tuple[SpecSet, list[Diagnostic]]:
    """The documents and every diagnostic of the validate stage, at the levels `generate` has."""
    specset = read(settings)
    return specset, strictly(validate(specset), settings.strict)


def build(settings: Settings) -> Result:
    """Everything but writing: the IR and the formatted files, or a SpecError."""
    started = time.perf_counter()
    specset = read(settings)
    checks = _Checks(specset)
    api, found = _normalized(specset, settings, checks, checks.beside)
    diagnostics = _refuse(checks.structural())
    found = strictly(found, settings.strict)
    files: dict[str, str] = {}
    if not errors(found):
        config = render_config(api, settings)
        packages = tuple(filter(None, (config.client_package, config.stubs_package)))
        try:
            files = format_files(render(api, config), packages, settings.formatter, settings.line_length, lint=False)
        except InvalidCode as bug:
            raise SpecError([_generator_bug(api, specset, bug)]) from None
    once = frozenset(path for path in files if Path(path).name == USER_OWNED)
    files[MANIFEST] = manifest_text(set(files) - once)
    diagnostics += strictly(checks.schema(), settings.strict) + found
    if errors(diagnostics):
        raise SpecError(diagnostics)
    texts = {path: doc.text for path, doc in specset.documents.items()} | checks.read_beside()
    return Result(api, files, diagnostics, time.perf_counter() - started, once, texts)


def _normalized(specset: SpecSet, settings: Settings, checks: _Checks, beside: bool) -> tuple[Api, list[Diagnostic]]:
    """The IR and normalization's findings. Beside the checks (`_Checks.beside`), over the
    documents read so far only, whose shape is known: should a `$ref` reach another, or
    anything go wrong, the structural findings come first, then a normalization as the
    sequential run has it."""
    found: list[Diagnostic] = []
    if not beside:  # a spec with structural errors is never normalized
        _refuse(checks.structural())
    specset.sealed = beside
    try:
        located = functools.partial(config_location, settings.config_file)
        api = normalize(specset, found, settings.methods, located, settings.pagination, settings.deprecated_methods)
    except RecursionError:  # nesting within bounds per document, but deep across a chain of $refs
        _refuse(checks.structural())
        where = specset.root_documents()[0].location("#")
        message = "schemas nest too deeply (through a long chain of $refs?) to be normalized"
        raise SpecError([Diagnostic.of("nesting-too-deep", where, message)]) from None
    except Unread:  # a multi-file spec: normalized once its structure is known sound
        specset.sealed = False
        return _normalized(specset, settings, checks, beside=False)
    except Exception:
        if beside:
            _refuse(checks.structural())
        raise
    finally:
        specset.sealed = False
    return api, found


def _refuse(structural: dict[Path, list[Diagnostic]]) -> list[Diagnostic]:
    """The structural findings; a SpecError when one is an error."""
    diagnostics = findings(structural)
    if errors(diagnostics):
        raise SpecError(diagnostics)
    return diagnostics


def render_config(api: Api, settings: Settings) -> Config:
    """The names the output takes: as configured, else from the API's title (names.package_base)."""
    base = package_base(api.title)
    client = settings.client_package or f"{base}_client"
    stubs = (f"{base}_stubs" if settings.stubs_package is None else settings.stubs_package) or None
    if client == stubs:
        where = config_location(settings.config_file, "stubs_package")
        message = f"the client and the stubs would both be the package {client!r}; name them apart"
        raise SpecError([Diagnostic.of("config", where, message)])
    api_key_env, base_url_env = env_names(client)
    return Config(
        client_package=client,
        stubs_package=stubs,
        api_key_env=settings.api_key_env or api_key_env,
        base_url_env=settings.base_url_env or base_url_env,
        training_formats=settings.training_formats,
        line_length=settings.line_length,
        layout=settings.layout,
        platform_headers=settings.platform_headers,
    )


def _generator_bug(api: Api, specset: SpecSet, bug: InvalidCode) -> Diagnostic:
    """The invalid line, and the spec location of the model or operation it was made from."""
    made = Location(str(specset.roots[0]), "#")
    sources = {m.name: m.source for m in api.models} | {o.name: o.source for o in api.operations}
    sources |= {snake(o.operation_id): o.source for o in api.operations}
    for name in bug.enclosing:  # the innermost that has a source wins
        source = sources.get(name)
        if source is not None:
            made = specset.documents[Path(source.file)].location(source.pointer)
    message = (
        f"ftgen wrote invalid Python at {bug.path}:{bug.line} ({bug.problem}: {bug.code.strip()[:120]!r}) from "
        "what is written here: a bug in ftgen, please report it with this spec"
    )
    return Diagnostic.of("generator-bug", made, message)


PARALLEL_FROM = 256 * 1024  # characters of spec text; below this a process costs more than it saves


class _Checks:
    """The validate stage: the structural checks (what normalization relies on), then, if they
    find no error, openapi-spec-validator's. For a big spec whose documents are trees (no YAML
    alias: a walk of the data is bounded by the text), both run in a forked process while
    this one normalizes, which the structural findings then confirm or overrule; otherwise,
    and on systems without fork, here and at once."""

    def __init__(self, specset: SpecSet) -> None:
        self.specset = specset
        size = sum(len(doc.text) for doc in specset.documents.values())
        trees = not any(doc.aliased for doc in specset.documents.values())
        self.beside = size >= PARALLEL_FROM and trees and "fork" in _start_methods()
        self._structural: dict[Path, list[Diagnostic]] | None = None
        self._schema: list[Diagnostic] | None = None
        self._read: dict[Path, str] = {}  # documents the checks read beside, which this process has not
        if self.beside:
            self._start()
        else:
            self._structural = structural_checks(specset)

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_check_and_send, args=(self.specset, send), daemon=True)
        self._child.start()
        send.close()

    def structural(self) -> dict[Path, list[Diagnostic]]:
        if self._structural is None:
            found = self._next()
            if found is None:  # the child died: what normalization relies on is checked here
                self._structural = structural_checks(self.specset)
            else:
                self._structural, self._read = found
        return self._structural

    def read_beside(self) -> dict[Path, str]:
        """Each document the checks read in the forked process and this one did not -> its text."""
        self.structural()
        return self._read

    def schema(self) -> list[Diagnostic]:
        if self._schema is None:
            if not self.beside:
                self._schema = schema_checks(self.specset, self.structural())
            else:
                self.structural()
                found = self._next()
                if found is None:  # reported rather than hidden
                    where = self.specset.root_documents()[0].location("#")
                    found = [Diagnostic.of("validator-crash", where, "the schema validator process died")]
                self._schema = found
                self._child.join()
        return self._schema

    def _next(self) -> Any:
        """The child's next result; None when it died without a word."""
        try:
            return self._receive.recv()
        except EOFError:
            return None
        except BaseException:  # interrupted while waiting: the child goes too
            self._child.kill()
            raise


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _check_and_send(specset: SpecSet, send: Connection) -> None:
    import signal

    # The parent reports an interruption; this just stops, also when the parent is gone.
    for name in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
        signal.signal(name, signal.SIG_DFL)
    known = set(specset.documents)
    structural = structural_checks(specset)
    send.send((structural, {path: doc.text for path, doc in specset.documents.items() if path not in known}))
    sound = not errors(findings(structural))
    send.send(schema_checks(specset, structural) if sound else [])
    send.close()


def generate(settings: Settings, target: Target) -> Result:
    """Build, then write into `target` (claimed by the caller) unless it already holds exactly this."""
    result = build(settings)
    if stale(target, result.files, result.once):  # else nothing to write, nor for tools watching it to redo
        write(target, result.files, result.once)
    return result
