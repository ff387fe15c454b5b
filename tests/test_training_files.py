"""The generated training-file checker: good and bad files for each method, exact problems."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from fine_tuning_client.training import METHODS, validate_training_file

USER = {"role": "user", "content": "What is the weather in San Francisco?"}
CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "SF"}'}}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
CHAT = {"messages": [{"role": "system", "content": "Be brief."}, USER, {"role": "assistant", "content": "Sunny."}]}
CHAT_WITH_TOOLS = {
    "messages": [
        USER,
        {"role": "assistant", "tool_calls": [CALL]},
        {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
        {"role": "assistant", "content": "18C and sunny.", "weight": 1},
    ],
    "tools": TOOLS,
    "parallel_tool_calls": False,
}
PREFERENCE = {
    "input": {"messages": [USER], "tools": TOOLS},
    "preferred_output": [{"role": "assistant", "content": "Sunny, 18C."}],
    "non_preferred_output": [{"role": "assistant", "content": "I do not know."}],
}
COMPLETION = {"prompt": "What is the answer to 2+2", "completion": "4"}
REINFORCEMENT = {"messages": [USER], "tools": TOOLS, "reference_answer": "sunny"}  # extra fields go to the grader


def write(tmp_path: Path, *lines: Any, name: str = "train.jsonl") -> Path:
    path = tmp_path / name
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, method: str = "supervised") -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in validate_training_file(path, method).problems]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "example"),
    [("supervised", CHAT), ("supervised", CHAT_WITH_TOOLS), ("dpo", PREFERENCE), ("completions", COMPLETION),
     ("reinforcement", REINFORCEMENT)],
)  # fmt: skip
def test_good_files_pass_with_a_summary(tmp_path: Path, method: str, example: dict[str, Any]) -> None:
    report = validate_training_file(write(tmp_path, *[example] * 12), method)  # type: ignore[arg-type]
    assert report.ok and report.problems == [] and report.warnings == []
    assert report.summary.examples == 12 and report.summary.bytes == (tmp_path / "train.jsonl").stat().st_size


def test_the_summary_counts_messages_and_roles(tmp_path: Path) -> None:
    report = validate_training_file(write(tmp_path, *[CHAT] * 6, *[CHAT_WITH_TOOLS] * 4))
    assert report.summary.messages_per_example() == {"min": 3, "mean": 3.4, "max": 4}
    assert report.summary.roles == {"system": 6, "user": 10, "assistant": 14, "tool": 4}
    assert str(report).endswith(
        "10 valid example(s) for supervised, 3,018 bytes; messages per example 3-4 (mean 3.4); "
        "roles assistant 14, system 6, tool 4, user 10\nno problems"
    )


def test_chat_problems_name_the_line_and_the_field(tmp_path: Path) -> None:
    bad_call = {**CALL, "function": {"name": "get_wether", "arguments": "{city: SF}"}}
    path = write(
        tmp_path,
        CHAT,
        {"messages": [USER]},
        "not json",
        "[1, 2]",
        "",
        {"messages": [{"role": "bot", "content": "hi"}, {"role": "assistant", "content": 3}]},
        {"messages": [USER, {"role": "assistant", "tool_calls": [bad_call]},
                      {"role": "tool", "tool_call_id": "call_9", "content": "?"}], "tools": TOOLS},
        {"messages": [{"role": "user"}, {"role": "assistant", "content": "hi", "weight": 2}]},
        {"messages": [USER, {"role": "assistant", "content": "ok", "weight": 0}]},
        {"messages": [{**USER, "weight": 1}, {"role": "assistant"}]},
        {"prompt": "a", "completion": "b"},
        {"messages": []},
    )  # fmt: skip
    assert problems(path) == [
        (2, "messages", "no assistant message to learn from (one is needed, with a weight other than 0)"),
        (3, "", "not JSON: Expecting value (column 1)"),
        (4, "", "a JSON list where an object is expected"),
        (5, "", "an empty line: every line must hold one example"),
        (6, "messages[0]", "Input tag 'bot' found using 'role' does not match any of the expected tags: "
                           "'developer', 'system', 'user', 'assistant', 'tool', 'function'"),
        (6, "messages[1].content", "Input should be a valid string; or Input should be a valid list"),
        (7, "messages[1].tool_calls[0].function.arguments",
            "not valid JSON: Expecting property name enclosed in double quotes"),
        (7, "messages[1].tool_calls[0].function.name", "'get_wether' is not one of the example's tools"),
        (7, "messages[2].tool_call_id", "'call_9' answers no earlier tool call"),
        (8, "messages[0].content", "Field required"),
        (8, "messages[1].weight", "Input should be 0 or 1"),
        (9, "messages", "no assistant message to learn from (one is needed, with a weight other than 0)"),
        (10, "messages[0].weight", "only assistant messages have a weight"),
        (10, "messages[1]", "an assistant message needs content, tool_calls or function_call"),
        (11, "messages", "Field required"),
        (12, "messages", "List should have at least 1 item after validation, not 0"),
    ]  # fmt: skip


def test_deprecated_functions_are_checked_like_tools(tmp_path: Path) -> None:
    example = {
        "messages": [USER, {"role": "assistant", "function_call": {"name": "nope", "arguments": "[1"}}],
        "functions": [{"name": "get_weather"}],
    }
    assert problems(write(tmp_path, example)) == [
        (1, "messages[1].function_call.arguments", "not valid JSON: Expecting ',' delimiter"),
        (1, "messages[1].function_call.name", "'nope' is not one of the example's functions"),
    ]


def test_dpo_problems(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PREFERENCE,
        {**PREFERENCE, "non_preferred_output": PREFERENCE["preferred_output"]},
        {**PREFERENCE, "preferred_output": [{"role": "user", "content": "x"}]},
        {**PREFERENCE, "preferred_output": PREFERENCE["preferred_output"] * 2},
        {"input": {"messages": [USER]}, "preferred_output": [{"role": "assistant", "tool_calls": [CALL]}],
         "non_preferred_output": [{"role": "assistant", "content": "no"}]},
        CHAT,
    )  # fmt: skip
    assert problems(path, "dpo") == [
        (2, "non_preferred_output", "the same as preferred_output: the pair teaches nothing"),
        (3, "preferred_output[0].role", "Input should be 'assistant'"),
        (4, "preferred_output", "List should have at most 1 item after validation, not 2"),
        (6, "input", "Field required"),
        (6, "preferred_output", "Field required"),
        (6, "non_preferred_output", "Field required"),
    ]  # line 5 calls a tool while the example lists none: fine


def test_completions_and_reinforcement_problems(tmp_path: Path) -> None:
    path = write(tmp_path, COMPLETION, {"prompt": "a", "completion": "  "}, {"prompt": 1, "completion": "b"}, CHAT)
    assert problems(path, "completions") == [
        (2, "completion", "empty: nothing to learn"),
        (3, "prompt", "Input should be a valid string"),
        (4, "prompt", "Field required"),
        (4, "completion", "Field required"),
    ]
    bad = {**REINFORCEMENT, "messages": [USER, {"role": "assistant", "tool_calls": [{**CALL, "type": "custom"}]}]}
    assert problems(write(tmp_path, REINFORCEMENT, bad, name="rft.jsonl"), "reinforcement") == [
        (2, "messages[1].tool_calls[0].type", "Input should be 'function'"),
    ]


def test_empty_files_encodings_and_few_examples(tmp_path: Path) -> None:
    assert problems(write(tmp_path)) == [(0, "", "the file is empty: a training file holds one JSON object per line")]
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(CHAT).encode() + b"\n" + '{"prompt": "caf\xe9"}'.encode("latin-1") + b"\r\n")
    assert problems(path) == [(2, "", "not UTF-8 text (byte 16)")]
    report = validate_training_file(write(tmp_path, *[CHAT] * 3, name="small.jsonl"))
    assert report.ok and report.warnings == ["3 example(s): the fine-tuning API needs at least 10"]


def test_every_bad_line_is_counted_and_the_first_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, *[{"messages": [USER]}] * 5000)
    report = validate_training_file(path, max_problems=10)
    assert report.problem_count == 5000 and [p.line for p in report.problems] == list(range(1, 11))
    assert "... and 4990 more" in str(report) and str(report).endswith("5,000 problem(s)")
    with pytest.raises(ValueError, match="unknown method 'sft'; one of supervised, dpo, reinforcement, completions"):
        validate_training_file(path, "sft")  # type: ignore[arg-type]
    assert METHODS == ("supervised", "dpo", "reinforcement", "completions")


def test_progress_is_reported_up_to_the_end(tmp_path: Path) -> None:
    path = write(tmp_path, *[CHAT] * 20)
    calls: list[tuple[int, int]] = []
    validate_training_file(path, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls[-1] == (size, size)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "fine_tuning_client", "validate-file", *args], capture_output=True, text=True, env=env
    )


def test_command_line(tmp_path: Path) -> None:
    good = write(tmp_path, *[PREFERENCE] * 10, name="good.jsonl")
    result = run_cli(str(good), "--method", "dpo")
    assert result.returncode == 0 and result.stdout.endswith("no problems\n"), result.stderr
    result = run_cli(str(good))  # supervised by default: a preference line is the wrong shape
    assert result.returncode == 1 and f"{good}:1: messages: Field required\n" in result.stdout
    result = run_cli(str(good), "--json", "--max-problems", "1")
    report = json.loads(result.stdout)
    assert report["problem_count"] == 10 and report["problems"] == [
        {"line": 1, "field": "messages", "message": "Field required"}
    ]
    result = run_cli(str(good), "--method", "dpo", "--progress")
    assert result.returncode == 0 and "100%" in result.stderr and "MB/s" in result.stderr
    result = run_cli(str(tmp_path / "missing.jsonl"))
    assert result.returncode == 2 and "cannot read" in result.stderr and "Traceback" not in result.stderr
    result = run_cli(str(good), "--method", "sft")
    assert result.returncode == 2 and "invalid choice: 'sft'" in result.stderr
