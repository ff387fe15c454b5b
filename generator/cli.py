"""Command line: `ftgen generate|validate|diff` (also `python -m generator ...`)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache
from .config import SELECTION_KEYS, Settings, read_pyproject
from .diagnostics import Diagnostic, Level, Location, SpecError, errors

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
            type=Path,
            help="an OpenAPI file or a folder of them (repeatable); default from [tool.ftgen]",
        )
        sub.add_argument("--allow-outside", action="store_true", help="let $ref reach files outside the spec's folder")
        sub.add_argument("--strict", action="store_true", help="treat validator findings as errors")
        _slicing(sub, "keep only some operations and the schemas they reach (replaces the configured selection)")
        if name == "generate":
            sub.add_argument("--out", type=Path, help="output folder (replaced whole)")
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


def _config(args: argparse.Namespace) -> dict[str, Any]:
    """`[tool.ftgen]` of --config, or of ./pyproject.toml when there is one (else defaults)."""
    if args.config is None:
        return read_pyproject(Path("pyproject.toml"))
    if not args.config.is_file():
        location = Location(str(args.config))
        raise SpecError([Diagnostic(Level.ERROR, location, "no such configuration file", "config")])
    return read_pyproject(args.config)


def settings_from(args: argparse.Namespace) -> Settings:
    # The config file describes this project's spec; a --spec on the command line stands alone.
    values = _config(args)
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
    if not values.get("specs"):  # a ./spec folder, as in this project, or a clear word
        if not Path("spec").is_dir():
            message = "no spec given: pass --spec FILE_OR_DIR, or set `spec` in [tool.ftgen] of pyproject.toml"
            raise SpecError([Diagnostic(Level.ERROR, Location("."), message, "no-spec")])
        values["specs"] = (Path("spec"),)
    fields = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in fields})


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "diff":
        if len(args.specs) > 1 if args.base else len(args.specs) != 2:
            parser.error("diff takes OLD and NEW, or --base REF and optionally NEW")
        return _diff(args)
    try:
        settings = settings_from(args)
        run_key = cache.key(settings) if args.command == "generate" and not args.check else None
        record = cache.unchanged(settings, run_key)
        if record is not None:
            for line in record["warnings"]:  # type: ignore[attr-defined]
                print(line, file=sys.stderr)
            print(f"{record['summary']}; unchanged since the last run, nothing written")
            return 0
        from .pipeline import generate, load

        if args.command == "validate":
            _, diagnostics = load(settings)
            if args.strict:
                diagnostics = [dataclasses.replace(d, level=Level.ERROR) for d in diagnostics]
            for d in diagnostics:
                print(d, file=sys.stderr)
            if errors(diagnostics):
                print(f"{len(errors(diagnostics))} error(s)", file=sys.stderr)
                return 1
            print("valid", file=sys.stderr)
            return 0
        if args.check:
            return _check(settings)
        result = generate(settings)
    except SpecError as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        print(f"{len(errors(exc.diagnostics))} error(s); nothing was written", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        print(f"ftgen: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)", file=sys.stderr)
        return 70
    for d in result.diagnostics:
        print(d, file=sys.stderr)
    api = result.api
    summary = (
        f"generated {len(api.operations)} operations and {len(api.models)} models into {settings.out} "
        f"({len(result.files)} files, {len(result.diagnostics)} warning(s)"
    )
    print(f"{summary}, {result.seconds:.2f} s)")
    cache.remember(settings, run_key, summary + ")", [str(d) for d in result.diagnostics])
    return 0


def run() -> None:
    """`ftgen` and `python -m generator`: `main`, then out at once. Everything is written and
    closed by then; tearing down every module would cost the fine-tuning spec a tenth of its
    run. Exceptions (--debug) leave the normal way, with their traceback."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing left to tell
        pass
    os._exit(code)


def _check(settings: Settings) -> int:
    """`generate --check`: compare, write nothing."""
    from .pipeline import build, stale_files

    result = build(settings)
    for d in result.diagnostics:
        print(d, file=sys.stderr)
    stale = stale_files(result.files, settings.out)
    for path, why in stale:
        print(f"{settings.out / path}: {why}")
    if stale:
        print(f"{len(stale)} file(s) differ from what the spec generates; run `ftgen generate`", file=sys.stderr)
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
