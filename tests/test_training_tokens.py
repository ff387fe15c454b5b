"""Token figures of the training-file checker: counts against an independent count with the
same tokenizer, the lines over the limit, the default epochs and the tokens a job bills, and
the reference server's `trained_tokens` from the same count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import fine_tuning_client
from conftest import GENERATED, ROOT
from fine_tuning_client.training import validate_training_file
from test_training_files import CHAT, CHAT_WITH_TOOLS, COMPLETION, PREFERENCE, REINFORCEMENT, USER, write

with warnings.catch_warnings():  # bpe-openai 0.1.4 reads its vocabularies by a deprecated call
    warnings.simplefilter("ignore", DeprecationWarning)
    import bpe_openai

    ENCODING, CL100K = bpe_openai.get_encoding("o200k_base"), bpe_openai.get_encoding("cl100k_base")
MODEL = "gpt-4o-mini-2024-07-18"  # o200k_base, 65,536 tokens an example


def tokens(text: str) -> int:
    return len(ENCODING.encode_ordinary(text))


def oracle(messages: Any, tools: Any = ()) -> int:
    """The cookbook's counts, written again from its text: every message 3 tokens plus each of
    its strings (a `name` 1 more), 3 to prime the reply; a call's name and arguments; tool
    definitions as its gpt-4o count (7 a function, 3 the properties, 3 a property, -3 an enum
    and 3 an item, 12 at the end)."""
    total = 3
    for message in messages:
        total += 3
        for key, value in message.items():
            if isinstance(value, str):
                total += tokens(value) + (1 if key == "name" else 0)
        for call in message.get("tool_calls", []):
            total += tokens(call["function"]["name"]) + tokens(call["function"]["arguments"])
    if tools:
        total += 12
        for tool in tools:
            function = tool["function"]
            total += 7 + tokens(f"{function['name']}:{function.get('description', '').rstrip('.')}")
            properties = function.get("parameters", {}).get("properties", {})
            total += 3 if properties else 0
            for name, prop in properties.items():
                total += 3 + tokens(f"{name}:{prop['type']}:{prop.get('description', '').rstrip('.')}")
                if "enum" in prop:
                    total += -3 + sum(3 + tokens(v) for v in prop["enum"])
    return total


WEATHER_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the weather for a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "The city, e.g. Paris."},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
            },
        },
    }
]


def chat(words: int, *, name: bool = False, weight: int | None = None) -> dict[str, Any]:
    assistant: dict[str, Any] = {"role": "assistant", "content": " ".join(["sunny"] * words)}
    if weight is not None:
        assistant["weight"] = weight
    user: dict[str, Any] = {**USER, "name": "ada"} if name else USER
    return {"messages": [{"role": "system", "content": "Be brief <|endoftext|>."}, user, assistant]}


def test_chat_examples_count_as_an_independent_count_does(tmp_path: Path) -> None:
    lines = [chat(n, name=n % 2 == 0) for n in range(1, 13)]
    lines.append({**CHAT_WITH_TOOLS, "tools": WEATHER_TOOLS})
    report = validate_training_file(write(tmp_path, *lines), "supervised", model=MODEL)
    assert report.ok and report.tokens is not None
    expected = [oracle(line["messages"], line.get("tools", [])) for line in lines]
    assert report.tokens.total == sum(expected) and report.tokens.examples == len(lines)
    assert dict(report.tokens.lengths) == {n: expected.count(n) for n in expected}
    assistant = sum(
        tokens(m.get("content") or "")
        + sum(tokens(c["function"]["name"]) + tokens(c["function"]["arguments"]) for c in m.get("tool_calls", []))
        for line in lines
        for m in line["messages"]
        if m["role"] == "assistant"
    )
    assert report.tokens.trained == assistant
    ordered = sorted(expected)
    spread = report.tokens.spread()
    assert (spread["min"], spread["max"], spread["median"]) == (ordered[0], ordered[-1], ordered[6])  # rank 7 of 13
    assert (spread["p5"], spread["p95"]) == (ordered[0], ordered[-1])  # ranks 1 and 13


def test_weight_zero_is_not_trained_on(tmp_path: Path) -> None:
    lines = [chat(5, weight=0), chat(5, weight=1)] * 6
    line = {"messages": [*chat(5, weight=0)["messages"], {"role": "user", "content": "and?"},
                         {"role": "assistant", "content": "more"}]}  # fmt: skip
    report = validate_training_file(write(tmp_path, *lines, line), "supervised", model=MODEL)
    assert report.tokens is not None and report.tokens.trained == 6 * tokens(" ".join(["sunny"] * 5)) + tokens("more")


def test_the_lines_over_the_limit_are_exactly_the_long_ones(tmp_path: Path) -> None:
    sizes = [3, 400, 5, 900, 7, 12, 1000, 2, 2, 2, 2, 2]
    lines = [chat(n) for n in sizes]
    limit = oracle(chat(399)["messages"])  # 400 words and more are over
    path = write(tmp_path, *lines)
    report = validate_training_file(path, "supervised", model=MODEL, example_limit=limit)
    assert report.tokens is not None
    long_ones = [i for i, n in enumerate(sizes, 1) if n >= 400]
    assert [line for line, _ in report.tokens.over] == long_ones == [2, 4, 7]
    assert report.tokens.over == [(i, oracle(lines[i - 1]["messages"])) for i in long_ones]
    capped = sum(min(limit, oracle(line["messages"])) for line in lines)
    assert report.tokens.billed == capped * 8  # 12 examples: 100 // 12 epochs
    text = str(report).splitlines()
    assert text[-5].startswith(f"tokens ({MODEL}, o200k_base): ") and "3 over the" in text[-5]
    assert text[-4:-1] == [f"{path}:{i}: {n:,} tokens, over the limit of {limit:,}" for i, n in report.tokens.over]


@pytest.mark.parametrize(
    ("examples", "epochs"),
    [(5, 20), (12, 8), (33, 3), (34, 3), (100, 3), (8333, 3), (8334, 2), (12_500, 2), (30_000, 1)],
)
def test_the_default_epochs_follow_the_documented_rule(tmp_path: Path, examples: int, epochs: int) -> None:
    """3 epochs, but at least 100 and at most 25,000 examples seen in all (docs/decisions.md)."""
    path = write(tmp_path, *[chat(3)] * examples)
    report = validate_training_file(path, "supervised", model=MODEL)
    assert report.tokens is not None and report.tokens.epochs == epochs and not report.tokens.n_epochs
    assert report.tokens.billed == oracle(chat(3)["messages"]) * examples * epochs
    given = validate_training_file(path, "supervised", model=MODEL, n_epochs=4).tokens
    assert given is not None and given.epochs == 4 and given.billed == oracle(chat(3)["messages"]) * examples * 4


def test_preference_reinforcement_and_completion_files_count_their_own_fields(tmp_path: Path) -> None:
    dpo = validate_training_file(write(tmp_path, *[PREFERENCE] * 10), "dpo", model=MODEL).tokens
    given = PREFERENCE["input"]
    prompt = oracle(given["messages"], given["tools"]) - 3  # the input is not a reply
    outputs = [oracle(PREFERENCE[key]) for key in ("preferred_output", "non_preferred_output")]
    assert dpo is not None and dpo.total == 10 * (prompt + sum(outputs))
    assert dpo.trained == 10 * sum(
        tokens(PREFERENCE[k][0]["content"]) for k in ("preferred_output", "non_preferred_output")
    )
    rft = validate_training_file(write(tmp_path, *[REINFORCEMENT] * 10), "reinforcement", model="o4-mini").tokens
    assert rft is not None and rft.total == 10 * oracle(REINFORCEMENT["messages"], REINFORCEMENT["tools"])
    assert rft.trained == 0 and rft.billed is None and "billed by training time" in str(rft)
    old = validate_training_file(write(tmp_path, *[COMPLETION] * 10), "completions", model="babbage-002").tokens
    assert old is not None and old.encoding == "cl100k_base" and old.example_limit == 16_384
    assert old.total == 10 * sum(len(CL100K.encode_ordinary(COMPLETION[k])) for k in ("prompt", "completion"))


def test_models_are_looked_up_by_the_longest_prefix_fine_tuned_ones_by_their_base(tmp_path: Path) -> None:
    path = write(tmp_path, *[CHAT] * 10)
    for model, limit in [("gpt-3.5-turbo-0613", 4_096), ("gpt-3.5-turbo-0125", 16_385),
                         ("ft:gpt-4o-mini-2024-07-18:org::abc", 65_536), ("gpt-4.1-mini", None)]:  # fmt: skip
        found = validate_training_file(path, model=model).tokens
        assert found is not None and found.example_limit == limit, model
    unknown = validate_training_file(path, model="my-own-model")
    assert unknown.tokens is None and unknown.notes == [
        "no token counts: the encoding of 'my-own-model' is not known; give it (o200k_base, cl100k_base)"
    ]
    by_encoding = validate_training_file(path, model="my-own-model", encoding="cl100k_base").tokens
    assert by_encoding is not None and by_encoding.example_limit is None


def run_checker(*args: str, without_tokenizer: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m fine_tuning_client validate-file ...`, bpe-openai hidden if asked."""
    hide = "import sys; sys.modules['bpe_openai'] = None; " if without_tokenizer else ""
    code = hide + "import runpy, sys; sys.argv[0] = 'x'; runpy.run_module('fine_tuning_client', run_name='__main__')"
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False)


def test_without_the_tokenizer_one_line_says_how_to_get_it(tmp_path: Path) -> None:
    path = str(write(tmp_path, *[CHAT] * 10))
    plain = run_checker("validate-file", path)
    hidden = run_checker("validate-file", path, "--model", MODEL, without_tokenizer=True)
    assert hidden.returncode == plain.returncode == 0
    extra = [line for line in hidden.stdout.splitlines() if line not in plain.stdout.splitlines()]
    assert extra == ["token counts need a tokenizer: pip install bpe-openai (the `tokens` extra of fine_tuning_client)"]


def test_the_command_line_carries_the_figures_in_json(tmp_path: Path) -> None:
    path = str(write(tmp_path, *[chat(n) for n in range(10, 22)]))
    result = run_checker("validate-file", path, "--model", MODEL, "--n-epochs", "2", "--json")
    figures = json.loads(result.stdout)["tokens"]
    report = validate_training_file(path, model=MODEL, n_epochs=2)
    assert report.tokens is not None and figures == report.tokens.as_dict()
    assert figures["n_epochs"] == 2 and figures["n_epochs_given"] and figures["billed_tokens"] == 2 * figures["total"]
    text = run_checker("validate-file", path, "--model", MODEL).stdout.splitlines()
    assert text[-2].startswith(f"tokens ({MODEL}, o200k_base): ") and text[-1] == "no problems"


def test_the_reference_server_bills_what_the_checker_estimates(tmp_path: Path) -> None:
    """A job on a file the server holds takes the API's default epochs for it and reports the
    checker's billed tokens as `trained_tokens`."""
    path = write(tmp_path, *[chat(n) for n in range(1, 41)])  # 40 examples: 3 epochs
    command = [sys.executable, "-m", "reference_server", "--port", "0", "--db", ":memory:", "--job-seconds", "0.5",
               "--file", f"file-abc={path}"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(GENERATED), str(ROOT)])}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[4]
        with fine_tuning_client.Client(base_url=url, api_key="sk-test") as client:
            job = client.fine_tuning.jobs.create(model=MODEL, training_file="file-abc")
            done = client.fine_tuning.jobs.wait(job.id, interval=0.05, timeout=30).result()
    finally:
        server.terminate()
        server.wait(timeout=10)
    expected = validate_training_file(path, model=MODEL).tokens
    assert expected is not None and expected.epochs == 3
    assert done.status == "succeeded" and done.hyperparameters.n_epochs == 3
    assert done.trained_tokens == expected.billed
