"""The training-file checker behind `training.validate_training_file`.

Copied as it is into generated clients (from ftgen's generator/runtime/); do not edit the copy.
The file is read as a stream of lines, so memory
stays flat whatever its size. Each line is parsed, validated against the strict model of the
method's line format, then checked for what a schema cannot say: an assistant message to
learn from, tool-call arguments that are JSON, a tool answer to a call that was made, a
preference pair that differs. Every problem names its line and the field at fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pydantic as _pd

from ._tokens import INSTALL, ExampleCounter, Tokens, limits_for, tokenizer

MIN_EXAMPLES = 10  # the fine-tuning API rejects training files with fewer examples
PROGRESS_EVERY = 1 << 22  # bytes between two progress calls

Progress = Callable[[int, int], None]
"""Called with (bytes read, total bytes) while a file is read."""


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 for the file as a whole
    field: str  # e.g. "messages[1].tool_calls[0].function.arguments"; "" for the whole line
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}: {self.field}: {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


@dataclass
class Summary:
    """What the valid examples hold."""

    examples: int = 0
    bytes: int = 0
    messages: int = 0
    fewest_messages: int = 0
    most_messages: int = 0
    roles: Counter[str] = field(default_factory=Counter)

    def add(self, messages: list[Any]) -> None:
        self.examples += 1
        if not messages:
            return
        count = len(messages)
        self.fewest_messages = (
            count if self.messages == 0 else min(self.fewest_messages, count)
        )
        self.most_messages = max(self.most_messages, count)
        self.messages += count
        self.roles.update(m.get("role", "?") for m in messages)

    def messages_per_example(self) -> dict[str, float]:
        if not self.messages:
            return {}
        return {
            "min": self.fewest_messages,
            "mean": round(self.messages / self.examples, 2),
            "max": self.most_messages,
        }


@dataclass
class Report:
    path: str
    method: str
    summary: Summary
    problems: list[Problem]  # the first `max_problems`, in file order
    problem_count: int  # all of them
    warnings: list[str]
    tokens: Tokens | None = (
        None  # when a model was given and the tokenizer is installed
    )
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def __str__(self) -> str:
        lines = [
            f"{self.path}:{p.line}: {p.field + ': ' if p.field else ''}{p.message}"
            for p in self.problems
        ]
        if self.problem_count > len(self.problems):
            lines.append(f"... and {self.problem_count - len(self.problems)} more")
        lines += [f"warning: {w}" for w in self.warnings]
        s = self.summary
        text = f"{self.path}: {s.examples:,} valid example(s) for {self.method}, {s.bytes:,} bytes"
        per = s.messages_per_example()
        if per:
            text += (
                f"; messages per example {per['min']}-{per['max']} (mean {per['mean']})"
            )
            text += "; roles " + ", ".join(
                f"{role} {n:,}" for role, n in sorted(s.roles.items())
            )
        lines.append(text)
        if self.tokens is not None:
            lines.append(str(self.tokens))
            lines += [
                f"{self.path}:{line}: {n:,} tokens, over the limit of {self.tokens.example_limit:,}"
                for line, n in self.tokens.over
            ]
            if self.tokens.over_count > len(self.tokens.over):
                lines.append(
                    f"... and {self.tokens.over_count - len(self.tokens.over)} more over the limit"
                )
        lines += self.notes
        lines.append(
            f"{self.problem_count:,} problem(s)"
            if self.problem_count
            else "no problems"
        )
        return "\n".join(lines)


def token_counting(
    method: str,
    model: str | None,
    encoding: str | None,
    example_limit: int | None,
    n_epochs: int | None,
    keep: int,
) -> tuple[ExampleCounter, Tokens] | str:
    """What counts the tokens of `model`'s examples (the encoding and limit from `MODELS`
    unless given), or the note saying why there are no token figures."""
    limits = limits_for(model or "")
    encoding = encoding or (limits.encoding if limits else None)
    if encoding is None:
        return f"no token counts: the encoding of {model!r} is not known; give it (o200k_base, cl100k_base)"
    try:
        count = tokenizer(encoding)
    except LookupError:
        return f"no token counts: {encoding!r} is not an encoding the tokenizer has"
    if count is None:
        return f"token counts need a tokenizer: {INSTALL}"
    limit = (
        example_limit
        if example_limit is not None
        else (limits.example_limit if limits else None)
    )
    # Reinforcement fine-tuning is billed by training time, not tokens.
    billed = method != "reinforcement"
    tokens = Tokens(
        model or encoding,
        encoding,
        limit,
        keep,
        n_epochs=n_epochs,
        billed_per_token=billed,
    )
    return ExampleCounter(count, encoding), tokens


def check_file(
    path: str | os.PathLike[str],
    method: str,
    model: type[_pd.BaseModel],
    *,
    max_problems: int = 1000,
    progress: Progress | None = None,
    counting: tuple[ExampleCounter, Tokens] | str | None = None,
) -> Report:
    """Check every line of `path`; with `counting` (token_counting's), count the valid
    examples' tokens too."""
    rules = RULES.get(method, _no_rules)
    summary = Summary()
    problems: list[Problem] = []
    count = 0
    counter, tokens = counting if isinstance(counting, tuple) else (None, None)

    def report(line: int, where: str, message: str) -> None:
        nonlocal count
        count += 1
        if len(problems) < max_problems:
            problems.append(Problem(line, where, message))

    total = os.path.getsize(path)
    next_progress = PROGRESS_EVERY
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, 1):
            summary.bytes += len(raw)
            if progress is not None and summary.bytes >= next_progress:
                progress(summary.bytes, total)
                next_progress = summary.bytes + PROGRESS_EVERY
            found, data = _check_line(raw, model, rules)
            for where, message in found:
                report(number, where, message)
            if data is not None:
                summary.add(_messages(data))
                if counter is not None and tokens is not None:
                    tokens.add(number, counter.example(method, data))
    if progress is not None:
        progress(summary.bytes, total)
    if summary.bytes == 0:  # any line read is an example or a problem
        report(
            0, "", "the file is empty: a training file holds one JSON object per line"
        )
    warnings = []
    if 0 < summary.examples < MIN_EXAMPLES:
        warnings.append(
            f"{summary.examples} example(s): the fine-tuning API needs at least {MIN_EXAMPLES}"
        )
    notes = [counting] if isinstance(counting, str) else []
    return Report(
        os.fspath(path), method, summary, problems, count, warnings, tokens, notes
    )


def _check_line(
    raw: bytes,
    model: type[_pd.BaseModel],
    rules: Callable[[dict[str, Any]], Iterator[tuple[str, str]]],
) -> tuple[list[tuple[str, str]], dict[str, Any] | None]:
    """The line's problems, and its data when it has none."""
    if not raw.strip():
        return [("", "an empty line: every line must hold one example")], None
    try:
        data = json.loads(
            raw.rstrip(b"\r\n")
        )  # so that a column past the end is on this line
    except UnicodeDecodeError as exc:
        return [("", f"not UTF-8 text (byte {exc.start + 1})")], None
    except ValueError as exc:
        column = getattr(exc, "colno", "?")
        return [("", f"not JSON: {getattr(exc, 'msg', exc)} (column {column})")], None
    if not isinstance(data, dict):
        return [("", f"a JSON {type(data).__name__} where an object is expected")], None
    try:
        model.model_validate(data)
    except _pd.ValidationError as exc:
        return list(_schema_problems(exc, data)), None
    found = list(rules(data))
    return found, None if found else data


def _schema_problems(exc: _pd.ValidationError, data: Any) -> Iterator[tuple[str, str]]:
    """One problem per field: a value can fail several members of a union at once."""
    by_field: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        messages = by_field.setdefault(_field_path(error, data), [])
        if error["msg"] not in messages:
            messages.append(error["msg"])
    for where, messages in by_field.items():
        yield where, "; or ".join(messages)


def _field_path(error: Any, data: Any) -> str:
    """`messages[1].content` from pydantic's location, keeping only steps that are in the data
    (union members and tags in the location are not) and a missing or unknown field's name.
    """
    path = ""
    node = data
    loc = error["loc"]
    for i, step in enumerate(loc):
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            path, node = f"{path}[{step}]", node[step]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            path, node = f"{path}.{step}" if path else step, node[step]
        elif i == len(loc) - 1 and error["type"] == "missing" and isinstance(step, str):
            path = f"{path}.{step}" if path else step
    return path


def _messages(data: dict[str, Any]) -> list[Any]:
    """The messages of one valid example, for the summary."""
    if "input" in data and isinstance(data["input"], dict):
        return [*data["input"].get("messages", []), *data.get("preferred_output", [])]
    messages = data.get("messages")
    return messages if isinstance(messages, list) else []


# ---------------------------------------------------------------- what a schema cannot say
def _no_rules(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    return iter(())


def _function_names(items: Iterable[Any], key: str | None) -> set[str]:
    return {(item[key] if key else item)["name"] for item in items}


def _call(
    where: str, function: dict[str, Any], known: set[str], kind: str
) -> Iterator[tuple[str, str]]:
    try:
        json.loads(function["arguments"])
    except ValueError as exc:
        yield f"{where}.arguments", f"not valid JSON: {getattr(exc, 'msg', exc)}"
    if known and function["name"] not in known:
        yield (
            f"{where}.name",
            f"{function['name']!r} is not one of the example's {kind}",
        )


def _conversation(
    messages: list[dict[str, Any]],
    where: str,
    tools: list[Any],
    functions: list[Any],
    calls: set[str] | None = None,
) -> Iterator[tuple[str, str]]:
    tool_names, function_names = (
        _function_names(tools, "function"),
        _function_names(functions, None),
    )
    calls = set() if calls is None else calls
    for i, message in enumerate(messages):
        at = f"{where}[{i}]"
        role = message["role"]
        if role != "assistant" and "weight" in message:
            yield f"{at}.weight", "only assistant messages have a weight"
        if role == "assistant":
            if (
                message.get("content") in (None, "")
                and not message.get("tool_calls")
                and not message.get("function_call")
                and not message.get("refusal")
            ):
                yield (
                    at,
                    "an assistant message needs content, tool_calls or function_call",
                )
            for j, call in enumerate(message.get("tool_calls") or ()):
                calls.add(call["id"])
                yield from _call(
                    f"{at}.tool_calls[{j}].function",
                    call["function"],
                    tool_names,
                    "tools",
                )
            if message.get("function_call"):
                yield from _call(
                    f"{at}.function_call",
                    message["function_call"],
                    function_names,
                    "functions",
                )
        elif role == "tool" and message["tool_call_id"] not in calls:
            yield (
                f"{at}.tool_call_id",
                f"{message['tool_call_id']!r} answers no earlier tool call",
            )


def _chat(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    messages = data["messages"]
    yield from _conversation(
        messages, "messages", data.get("tools") or [], data.get("functions") or []
    )
    if not any(m["role"] == "assistant" and m.get("weight", 1) != 0 for m in messages):
        yield (
            "messages",
            "no assistant message to learn from (one is needed, with a weight other than 0)",
        )


def _preference(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    given = data["input"]
    tools = given.get("tools") or []
    calls: set[str] = set()
    yield from _conversation(given["messages"], "input.messages", tools, [], calls)
    for key in ("preferred_output", "non_preferred_output"):
        yield from _conversation(data[key], key, tools, [], set(calls))
    if data["preferred_output"] == data["non_preferred_output"]:
        yield (
            "non_preferred_output",
            "the same as preferred_output: the pair teaches nothing",
        )


def _reinforcement(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield from _conversation(data["messages"], "messages", data.get("tools") or [], [])


def _completion(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if not data["completion"].strip():
        yield "completion", "empty: nothing to learn"


RULES: dict[str, Callable[[dict[str, Any]], Iterator[tuple[str, str]]]] = {
    "supervised": _chat,
    "dpo": _preference,
    "reinforcement": _reinforcement,
    "completions": _completion,
}
"""Checks beyond the line's schema, per method name (a method without any gets the schema alone)."""


# ---------------------------------------------------------------- command line
PROGRESS_FROM = (
    16 * 1024 * 1024
)  # a bar is drawn for files at least this big (on a terminal)


class _Bar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn < 0.1 and done < total:
            return
        self.drawn = now
        share = done / total if total else 1.0
        rate = done / 1e6 / max(now - self.started, 1e-9)
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r[{bar:<30}] {share:4.0%}  {done / 1e6:,.0f}/{total / 1e6:,.0f} MB  {rate:,.1f} MB/s"
        )
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def _as_json(report: Report) -> str:
    summary = report.summary
    tokens = report.tokens.as_dict() if report.tokens is not None else None
    data = {
        "path": report.path,
        "method": report.method,
        "ok": report.ok,
        "problem_count": report.problem_count,
        "problems": [
            {"line": p.line, "field": p.field, "message": p.message}
            for p in report.problems
        ],
        "warnings": report.warnings,
        "summary": {
            "examples": summary.examples,
            "bytes": summary.bytes,
            "messages_per_example": summary.messages_per_example(),
            "roles": dict(sorted(summary.roles.items())),
        },
        "tokens": tokens,
        "notes": report.notes,
    }
    return json.dumps(data, indent=2)


def main(
    argv: list[str] | None,
    *,
    prog: str,
    methods: tuple[str, ...],
    validate: Callable[..., Report],
) -> int:
    """`python -m PACKAGE validate-file FILE --method M`; exit status 0 when the file is fine,
    1 when it has problems, 2 when it cannot be read. `validate` is the package's
    `validate_training_file`, `methods` the methods it knows."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Check a training file before uploading it."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "validate-file", help="check a JSONL training file before uploading it"
    )
    check.add_argument("path", help="the JSONL file")
    check.add_argument(
        "--method", choices=methods, default=methods[0], help=f"default: {methods[0]}"
    )
    check.add_argument(
        "--max-problems",
        type=int,
        default=1000,
        help="problems listed (all are counted)",
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    tokens = check.add_argument_group("tokens (with bpe-openai installed)")
    tokens.add_argument(
        "--model", help="count tokens as this model does (gpt-4o-mini-2024-07-18, ...)"
    )
    tokens.add_argument(
        "--n-epochs", type=int, help="epochs of the job (default: the API's choice)"
    )
    tokens.add_argument(
        "--encoding", help="the tokenizer's encoding, where the model's is not known"
    )
    tokens.add_argument(
        "--example-limit",
        type=int,
        help="tokens one example may hold (default: the model's)",
    )
    check.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"draw a progress bar (default: on a terminal, for files over {PROGRESS_FROM // 2**20} MB)",
    )
    args = parser.parse_args(argv)
    try:
        size = os.path.getsize(args.path)
        show = (
            args.progress
            if args.progress is not None
            else sys.stderr.isatty() and size >= PROGRESS_FROM
        )
        bar = _Bar() if show else None
        try:
            report = validate(
                args.path,
                args.method,
                max_problems=args.max_problems,
                progress=bar,
                model=args.model,
                n_epochs=args.n_epochs,
                encoding=args.encoding,
                example_limit=args.example_limit,
            )
        finally:
            if bar:
                bar.close()
    except OSError as exc:
        print(
            f"{parser.prog}: cannot read {args.path}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 2
    print(_as_json(report) if args.json else report)
    return 0 if report.ok else 1
