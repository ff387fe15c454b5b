"""Command line: `ftgen generate|validate|diff` (also `python -m generator ...`)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .config import SELECTION_KEYS, Settings, is_url, package_problem, read_pyproject
from .diagnostics import Diagnostic, Location, SpecError, errors

if TYPE_CHECKING:
    from .selection import Selection

# The pipeline (YAML, Jinja, the validators) is imported when a command needs it: a rerun
# whose inputs are unchanged stops before (generator/cache.py).


def _global_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """Options taken before or after the subcommand: after it, they default to nothing so that
    one given before it is kept."""
    unset: Any = argparse.SUPPRESS if after_command else None
    parser.add_argument(
        "--debug", action="store_true", default=unset or False, help="show a traceback on internal errors"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=unset,
        metavar="FILE",
        help="where [tool.ftgen] is read (default: pyproject.toml in the current folder, if there is one)",
    )


def _slicing(sub: argparse.ArgumentParser, description: str) -> None:
    pick = sub.add_argument_group("slicing", description)
    pick.add_argument("--include-tag", dest="include_tags", action="append", metavar="TAG", help="repeatable")
    pick.add_argument(
        "--include-path", dest="include_paths", action="append", metavar="GLOB", help="e.g. '/fine_tuning/*'"
    )
    pick.add_argument("--exclude-path", dest="exclude_paths", action="append", metavar="GLOB", help="repeatable")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftgen", description="Generate a typed Python client and server stubs from OpenAPI documents."
    )
    _global_options(parser, after_command=False)
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("generate", "regenerate the client and stubs"),
        ("validate", "check the spec and report every problem"),
    ):
        sub = commands.add_parser(name, help=help_text)
        _global_options(sub, after_command=True)
        sub.add_argument(
            "--spec",
            action="append",
            type=_spec_argument,
            help="an OpenAPI file, a folder of them, or an http(s) URL of a served document (repeatable); "
            "default from [tool.ftgen]",
        )
        sub.add_argument("--allow-outside", action="store_true", help="let $ref reach files outside the spec's folder")
        sub.add_argument("--strict", action="store_true", help="treat validator findings as errors")
        _slicing(sub, "keep only some operations and the schemas they reach (replaces the configured selection)")
        if name == "generate":
            sub.add_argument(
                "--out",
                type=Path,
                help="output folder; ftgen replaces only the files it wrote there (listed in its .ftgen-manifest)",
            )
            sub.add_argument(
                "--force",
                action="store_true",
                help="write into a folder that ftgen did not write, replacing files at the paths it generates "
                "(all other files there are still left alone)",
            )
            sub.add_argument("--client-package", help="name of the client package")
            sub.add_argument("--stubs-package", help="name of the stubs package ('' for none)")
            sub.add_argument(
                "--check",
                action="store_true",
                help="write nothing; exit 1 listing the files that differ from what the spec generates",
            )
    sub = commands.add_parser(
        "diff",
        help="classify every change between two versions of a spec",
        description="Compare two specs (files or folders). Exit 1 when a finding reaches --fail-on, 2 when a "
        "spec cannot be read.",
    )
    _global_options(sub, after_command=True)
    sub.add_argument("specs", nargs="*", type=Path, metavar="OLD NEW", help="the two versions (NEW alone with --base)")
    sub.add_argument("--base", metavar="REF", help="OLD is the configured spec as it was at this git ref")
    sub.add_argument("--format", choices=DIFF_FORMATS, default="text")
    sub.add_argument("--fail-on", choices=["breaking", "warning", "info", "never"], default="never")
    sub.add_argument("--descriptions", action="store_true", help="also list description-only edits")
    sub.add_argument("--allow-outside", action="store_true", help="let $ref reach files outside the spec's folder")
    _slicing(
        sub,
        "compare only a slice of both versions, as `generate` would vendor it (with --base, the configured "
        "selection applies unless these are given)",
    )
    return parser


def _spec_argument(text: str) -> Path | str:
    return text if is_url(text) else Path(text)


class _Version(argparse.Action):
    """`--version`: the installed distribution's, looked up only when asked (importlib.metadata
    and the lookup cost every run ~20 ms when argparse's own action had it at hand)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("ftgen")
        except PackageNotFoundError:
            installed = "(not installed)"
        print(f"ftgen {installed}")  # on stdout, as argparse's version action prints
        parser.exit()


class UsageError(Exception):
    """A mistake in the command's arguments: reported as argparse reports its own (exit 2)."""


def _config(args: argparse.Namespace, warnings: list[Diagnostic] | None = None) -> dict[str, Any]:
    """`[tool.ftgen]` of --config, or of ./pyproject.toml when there is one (else defaults);
    its warnings (unknown keys) go to `warnings`."""
    path = Path("pyproject.toml") if args.config is None else args.config
    if args.config is not None and not args.config.is_file():
        location = Location(str(args.config))
        raise SpecError([Diagnostic.of("config", location, "no such configuration file")])
    values, found = read_pyproject(path, strict=getattr(args, "strict", False))
    if warnings is not None:
        warnings.extend(found)
    return values


def settings_from(args: argparse.Namespace, warnings: list[Diagnostic] | None = None) -> Settings:
    for flag in ("client_package", "stubs_package"):
        name = getattr(args, flag, None)
        if name is not None and not (flag == "stubs_package" and name == "") and (problem := package_problem(name)):
            raise UsageError(f"--{flag.replace('_', '-')}: {problem}")
    if getattr(args, "client_package", None) and args.client_package == getattr(args, "stubs_package", None):
        raise UsageError("--client-package and --stubs-package must differ")
    # The config file describes this project's spec; a --spec on the command line stands alone.
    values = _config(args, warnings)
    if args.spec:  # the configured spec, its selection and output names describe another spec
        values = {k: v for k, v in values.items() if k in ("formatter", "line_length")}  # the repo's style
        values["specs"] = tuple(args.spec)
    for key in ("out", "client_package", "stubs_package"):
        if getattr(args, key, None) is not None:
            values[key] = getattr(args, key)
    if any(getattr(args, key) for key in SELECTION_KEYS):
        for key in SELECTION_KEYS:
            values[key] = tuple(getattr(args, key) or ())
    values["strict"] = args.strict
    values["allow_outside"] = args.allow_outside
    values["force"] = getattr(args, "force", False)
    if not values.get("specs"):  # a ./spec folder, as in this project, or a clear word
        if not Path("spec").is_dir():
            message = "no spec given: pass --spec FILE_OR_DIR, or set `spec` in [tool.ftgen] of pyproject.toml"
            raise SpecError([Diagnostic.of("no-spec", Location("."), message)])
        values["specs"] = (Path("spec"),)
    fields = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in fields})


class Interrupted(BaseException):
    """SIGINT or SIGTERM: raised once, so that every `finally` runs (no temporary file is left)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(signum: int, frame: object) -> None:
    for other in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the cleanup short
        signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


@contextlib.contextmanager
def _fetched(settings: Settings, shown: dict[str, str]) -> Iterator[Settings]:
    """`settings` with every URL among its specs read into a temporary folder (named back to
    the URL in messages through `shown`), removed afterwards."""
    urls = [s for s in settings.specs if is_url(s)]
    if not urls:
        yield settings
        return
    from .remote import download

    with tempfile.TemporaryDirectory(prefix="ftgen-url-") as folder:
        specs = []
        for n, spec in enumerate(settings.specs):
            if is_url(spec):
                path = download(str(spec), Path(folder) / str(n))
                shown[str(path)] = str(spec)
                specs.append(path)
            else:
                specs.append(Path(spec))
        yield dataclasses.replace(settings, specs=tuple(specs))


def _print(diagnostic: Diagnostic, shown: dict[str, str]) -> None:
    file = diagnostic.location.file
    if file in shown:
        diagnostic = dataclasses.replace(
            diagnostic, location=dataclasses.replace(diagnostic.location, file=shown[file])
        )
    print(diagnostic, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "diff":
        if len(args.specs) > 1 if args.base else len(args.specs) != 2:
            parser.error("diff takes OLD and NEW, or --base REF and optionally NEW")
        return _diff(args)
    shown: dict[str, str] = {}  # files read from URLs -> the URL, for messages
    target = None
    try:
        warnings: list[Diagnostic] = []
        configured = settings_from(args, warnings)
        for d in warnings:
            _print(d, shown)
        if args.command == "generate":
            from .output import claim

            inputs = [Path(s) for s in configured.specs if not is_url(s)] + [Path(configured.config_file)]
            target = claim(configured.out, [p for p in inputs if p.exists()], configured.force)
        with _fetched(configured, shown) as settings:
            if target is None:
                return _validate(settings, shown)
            if args.check:
                return _check(settings, target, shown)
            return _generate(settings, target, shown)
    except UsageError as exc:
        parser.error(str(exc))
    except SpecError as exc:
        for d in exc.diagnostics:
            _print(d, shown)
        written = "" if args.command == "validate" else "; nothing was written"
        print(f"{len(errors(exc.diagnostics))} error(s){written}", file=sys.stderr)
        return 1
    except Interrupted as exc:
        return _stopped(exc.signum, target, args)
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT, target, args)
    except Exception as exc:
        if args.debug:
            raise
        print(f"ftgen: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return 70


def _stopped(signum: int, target: Any, args: argparse.Namespace) -> int:
    """One line, and the shell's status for the signal (130 for SIGINT, 143 for SIGTERM)."""
    from . import output

    if target is None:
        print("ftgen: interrupted", file=sys.stderr)
    else:
        shown = args.out or target.out  # as the user wrote it
        state = "was written whole" if target.out in output.WRITTEN else "is as it was"
        print(f"ftgen: interrupted; {shown} {state}", file=sys.stderr)
    return 128 + signum


def _validate(settings: Settings, shown: dict[str, str]) -> int:
    from .pipeline import load

    _, diagnostics = load(settings)
    for d in diagnostics:
        _print(d, shown)
    if errors(diagnostics):
        print(f"{len(errors(diagnostics))} error(s)", file=sys.stderr)
        return 1
    print(f"valid, with {len(diagnostics)} warning(s)" if diagnostics else "valid", file=sys.stderr)
    return 0


def _generate(settings: Settings, target: Any, shown: dict[str, str]) -> int:
    run_key = None if shown else cache.key(settings)
    record = cache.unchanged(settings, run_key)
    if record is not None:
        for line in record["warnings"]:  # type: ignore[attr-defined]
            print(line, file=sys.stderr)
        print(f"{record['summary']}; unchanged since the last run, nothing written")
        return 0
    from .pipeline import generate

    result = generate(settings, target)
    for d in result.diagnostics:
        _print(d, shown)
    api = result.api
    summary = (
        f"generated {len(api.operations)} operations and {len(api.models)} models into {settings.out} "
        f"({len(result.files)} files, {len(result.diagnostics)} warning(s)"
    )
    print(f"{summary}, {result.seconds:.2f} s)")
    cache.remember(
        settings, run_key, result.read, summary + ")", [str(d) for d in result.diagnostics], sorted(result.files)
    )
    return 0


def run() -> None:
    """`ftgen` and `python -m generator`: `main`, then out at once. Everything is written and
    closed by then; tearing down every module would cost the fine-tuning spec a tenth of its
    run. Exceptions (--debug) leave the normal way, with their traceback."""
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    # A run's objects live until it ends: the cyclic collector's passes over the hundreds of
    # thousands the IR and the renderer make free nothing (the same peak memory: 103 MB for
    # the full OpenAI spec, 151 MB for GitHub's) and cost ~9% of a big spec's run.
    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing left to tell
        pass
    os._exit(code)


def _check(settings: Settings, target: Any, shown: dict[str, str]) -> int:
    """`generate --check`: compare, write nothing."""
    from .output import conflicts, stale
    from .pipeline import build

    result = build(settings)
    for d in result.diagnostics:
        _print(d, shown)
    changes = stale(target, result.files, result.once)
    for path, why in changes:
        print(f"{settings.out / path}: {why}")
    for path, why in conflicts(target, [path for path, _ in changes if path in result.files]):
        print(f"{settings.out / path}: {why}", file=sys.stderr)
    if changes:
        print(f"{len(changes)} file(s) differ from what the spec generates; run `ftgen generate`", file=sys.stderr)
        return 1
    print(f"{settings.out} is up to date", file=sys.stderr)
    return 0


DIFF_FORMATS = ["github", "json", "junit", "markdown", "text"]  # specdiff.report.FORMATS, imported by `diff` only


def _selection(args: argparse.Namespace) -> Selection:
    """The slice to diff: the flags, else (when diffing the configured spec) its selection."""
    from .selection import Selection

    values = {key: tuple(getattr(args, key) or ()) for key in SELECTION_KEYS}
    if not any(values.values()) and args.base:
        config = _config(args)
        values = {key: tuple(config.get(key, ())) for key in SELECTION_KEYS}
    return Selection(**values)


def _diff(args: argparse.Namespace) -> int:
    from .specdiff import Level as Severity
    from .specdiff import diff_paths
    from .specdiff.report import FORMATS
    from .specdiff.sides import specs_at

    names: dict[str, str] = {}  # extracted base files -> `REF:path`
    try:
        with tempfile.TemporaryDirectory(prefix="ftgen-base-") as base_dir:
            if args.base:
                configured = _config(args).get("specs") or (Path("spec"),)
                new = (args.specs[0],) if args.specs else tuple(configured)
                old, names = specs_at(args.base, new, Path(base_dir))
            else:
                old, new, names = (args.specs[0],), (args.specs[1],), {}
            findings = diff_paths(old, new, args.allow_outside, names, _selection(args))
    except SpecError as exc:
        for d in exc.diagnostics:
            file = names.get(d.location.file, d.location.file)
            print(dataclasses.replace(d, location=dataclasses.replace(d.location, file=file)), file=sys.stderr)
        print(f"{len(errors(exc.diagnostics))} error(s); cannot compare", file=sys.stderr)
        return 2
    shown = [f for f in findings if args.descriptions or f.rule != "description-changed"]
    sys.stdout.write(FORMATS[args.format](shown, len(findings) - len(shown)))
    if args.fail_on == "never":
        return 0
    threshold = Severity[args.fail_on.upper()]
    return 1 if any(f.level >= threshold for f in shown) else 0
