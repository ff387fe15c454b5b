"""Token counts of training examples, the way the fine-tuning API counts and bills them.

Copied as it is into generated clients (from ftgen's generator/runtime/); do not edit the copy.
The tokenizer is `bpe-openai` (tiktoken's vocabularies, offline), an optional extra: without
it `tokenizer()` is None and the checker says how to get it. Sources of every rule here are
in ftgen's docs/decisions.md, "Training-file tokens".
"""

from __future__ import annotations

import functools
import importlib
import json
import math
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

INSTALL = f"pip install bpe-openai (the `tokens` extra of {__package__})"


class Limits(NamedTuple):
    """A fine-tunable model: its encoding and the most tokens one training example may hold."""

    prefix: (
        str  # a model name starting so (`gpt-4o-mini` covers `gpt-4o-mini-2024-07-18`)
    )
    encoding: str
    example_limit: int | None  # None: not published in the source below
    as_of: str  # when the source said so
    source: str


_GUIDE = "OpenAI fine-tuning guide, token limits table"
# The longest prefix that matches a model wins. Fine-tuned models (`ft:gpt-4o-mini:...`) are
# looked up by the model they were tuned from.
MODELS: tuple[Limits, ...] = (
    Limits("gpt-4o-mini-2024-07-18", "o200k_base", 65_536, "2024-08", _GUIDE),
    Limits("gpt-4o-2024-08-06", "o200k_base", 65_536, "2024-08", _GUIDE),
    Limits("gpt-4o-mini", "o200k_base", 65_536, "2024-08", _GUIDE),
    Limits("gpt-4o", "o200k_base", 65_536, "2024-08", _GUIDE),
    Limits("gpt-4.1", "o200k_base", None, "2025-04", "tiktoken's model map"),
    Limits("o4-mini", "o200k_base", None, "2025-04", "tiktoken's model map"),
    Limits("gpt-3.5-turbo-0125", "cl100k_base", 16_385, "2024-08", _GUIDE),
    Limits("gpt-3.5-turbo-1106", "cl100k_base", 16_385, "2024-08", _GUIDE),
    Limits("gpt-3.5-turbo-0613", "cl100k_base", 4_096, "2024-08", _GUIDE),
    Limits("gpt-3.5-turbo", "cl100k_base", 16_385, "2024-08", _GUIDE),
    Limits("gpt-4-0613", "cl100k_base", None, "2024-08", "tiktoken's model map"),
    Limits(
        "babbage-002",
        "cl100k_base",
        16_384,
        "2023-08",
        "OpenAI legacy fine-tuning guide",
    ),
    Limits(
        "davinci-002",
        "cl100k_base",
        16_384,
        "2023-08",
        "OpenAI legacy fine-tuning guide",
    ),
)

# The default-epochs rule of OpenAI's cookbook, "Data preparation and analysis for chat model
# fine-tuning": aim at 3 epochs, but at least 100 and at most 25,000 examples seen in all.
TARGET_EPOCHS, MIN_TARGET_EXAMPLES, MAX_TARGET_EXAMPLES = 3, 100, 25_000
MIN_DEFAULT_EPOCHS, MAX_DEFAULT_EPOCHS = 1, 25

# The cookbook's count of a chat example ("How to count tokens with tiktoken"): each message
# costs 3 tokens besides its text, a `name` 1 more, and the reply is primed with 3.
PER_MESSAGE, PER_NAME, REPLY = 3, 1, 3
# Tool definitions, from the same notebook's count for gpt-4o and gpt-4o-mini (o200k_base) and
# for gpt-3.5-turbo and gpt-4 (cl100k_base): (function, properties, property, enum, enum item,
# end of the list).
TOOL_COSTS = {"o200k_base": (7, 3, 3, -3, 3, 12), "cl100k_base": (10, 3, 3, -3, 3, 12)}


def limits_for(model: str) -> Limits | None:
    base = model.split(":")[1] if model.startswith("ft:") else model
    found = [m for m in MODELS if base.startswith(m.prefix)]
    return max(found, key=lambda m: len(m.prefix)) if found else None


def default_epochs(examples: int) -> int:
    """The number of epochs the API chooses for `n_epochs: "auto"` (the cookbook's rule)."""
    if examples <= 0:
        return TARGET_EPOCHS
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


SHORT = 256  # characters: a string this long or shorter is counted once per file


def tokenizer(encoding: str) -> Callable[[str], int] | None:
    """Tokens in a text, by `encoding`; None when bpe-openai is not installed. Special tokens
    are text here (`<|endoftext|>` in a message is what the user wrote)."""
    # bpe-openai 0.1.4 reads its vocabularies, on import, by a deprecated call: not the user's
    # warning to see.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:  # by name: an optional module, untyped, which type checkers need not find
            bpe_openai = importlib.import_module("bpe_openai")
        except ImportError:
            return None
        encode = bpe_openai.get_encoding(encoding).encode_ordinary
    # Roles, names, system prompts and tool names repeat from example to example: short
    # strings are counted once (a bounded cache, so memory stays flat).
    cached = functools.lru_cache(maxsize=1 << 14)(lambda text: len(encode(text)))
    return lambda text: (
        (cached(text) if len(text) <= SHORT else len(encode(text))) if text else 0
    )


class Count(NamedTuple):
    total: int  # what the example holds: the number held to the limit and billed
    trained: int  # the assistant tokens it trains on (weight 0 excluded); 0 for reinforcement
    longest: (
        int  # the longest sequence it is run as (DPO: the input and the longer output)
    )


class ExampleCounter:
    """Counts one valid example of a method's training file."""

    def __init__(self, count: Callable[[str], int], encoding: str) -> None:
        self.count, self.tool_costs = (
            count,
            TOOL_COSTS.get(encoding, TOOL_COSTS["o200k_base"]),
        )

    def example(self, method: str, data: dict[str, Any]) -> Count:
        if method == "dpo":
            given = data["input"]
            prompt = self.messages(given["messages"], reply=False) + self.tools(
                given.get("tools")
            )
            outputs = [
                self.messages(data[key], reply=True)
                for key in ("preferred_output", "non_preferred_output")
            ]
            trained = sum(
                self.assistant(data[key])
                for key in ("preferred_output", "non_preferred_output")
            )
            return Count(prompt + sum(outputs), trained, prompt + max(outputs))
        if method == "completions":
            prompt, completion = (
                self.count(data["prompt"]),
                self.count(data["completion"]),
            )
            return Count(prompt + completion, completion, prompt + completion)
        messages = data.get("messages") or []
        tools = self.tools(data.get("tools")) + self.tools(
            data.get("functions"), wrapped=False
        )
        total = self.messages(messages, reply=True) + tools
        trained = 0 if method == "reinforcement" else self.assistant(messages)
        return Count(total, trained, total)

    def messages(self, messages: list[dict[str, Any]], reply: bool) -> int:
        tokens = REPLY if reply else 0
        for message in messages:
            tokens += PER_MESSAGE + self.count(message.get("role", ""))
            tokens += self.content(message.get("content")) + self.calls(message)
            if message.get("name"):
                tokens += PER_NAME + self.count(message["name"])
            if message.get("tool_call_id"):
                tokens += self.count(message["tool_call_id"])
        return tokens

    def assistant(self, messages: list[dict[str, Any]]) -> int:
        """What the example teaches: its assistant messages' text and calls, but weight 0."""
        return sum(
            self.content(m.get("content")) + self.calls(m)
            for m in messages
            if m.get("role") == "assistant" and m.get("weight", 1) != 0
        )

    def content(self, content: Any) -> int:
        if isinstance(content, str):
            return self.count(content)
        if isinstance(
            content, list
        ):  # parts: text counted, images and files not (no tokens of text)
            return sum(
                self.count(p.get("text") or p.get("refusal") or "")
                for p in content
                if isinstance(p, dict)
            )
        return 0

    def calls(self, message: dict[str, Any]) -> int:
        """A call's function name and arguments as text (no overhead is published for them)."""
        calls = [c.get("function") or {} for c in message.get("tool_calls") or ()]
        if message.get("function_call"):
            calls.append(message["function_call"])
        return sum(
            self.count(c.get("name", "")) + self.count(c.get("arguments", ""))
            for c in calls
        )

    def tools(self, tools: Any, wrapped: bool = True) -> int:
        """Tool definitions as the cookbook counts them: name and description, then each
        property's name, type, description and enum values, with fixed costs between.
        """
        if not tools:
            return 0
        function, properties, key, enum, item, end = self.tool_costs
        tokens = end
        for tool in tools:
            spec = (tool.get("function") or {}) if wrapped else tool
            tokens += function + self.count(
                f"{spec.get('name', '')}:{_strip(spec.get('description'))}"
            )
            props = (spec.get("parameters") or {}).get("properties") or {}
            if props:
                tokens += properties
            for name, prop in props.items():
                prop = prop if isinstance(prop, dict) else {}
                tokens += key + self.count(
                    f"{name}:{_type(prop)}:{_strip(prop.get('description'))}"
                )
                if isinstance(prop.get("enum"), list):
                    tokens += enum + sum(
                        item + self.count(str(v)) for v in prop["enum"]
                    )
        return tokens


def _strip(description: Any) -> str:
    text = description if isinstance(description, str) else ""
    return text[:-1] if text.endswith(".") else text


def _type(prop: dict[str, Any]) -> str:
    kind = prop.get("type", "")
    return kind if isinstance(kind, str) else json.dumps(kind)


@dataclass
class Tokens:
    """Token figures of a file's valid examples: their spread, the ones over the limit, and
    what a job on them would bill."""

    model: str
    encoding: str
    example_limit: int | None
    keep: int = 1000  # over-limit lines listed; all are counted
    lengths: Counter[int] = field(
        default_factory=Counter
    )  # tokens -> examples: flat memory
    examples: int = 0
    total: int = 0
    trained: int = 0
    # the total with each example capped at the limit: what one epoch bills
    capped: int = 0
    over: list[tuple[int, int]] = field(
        default_factory=list
    )  # (line, tokens), `keep` of them
    over_count: int = 0
    n_epochs: int | None = (
        None  # as given; None: the API's default for this many examples
    )
    billed_per_token: bool = True  # False for reinforcement: billed by training time

    def add(self, line: int, count: Count) -> None:
        self.examples += 1
        self.lengths[count.total] += 1
        self.total += count.total
        self.trained += count.trained
        limit = self.example_limit
        self.capped += count.total if limit is None else min(count.total, limit)
        if limit is not None and count.longest > limit:
            self.over_count += 1
            if len(self.over) < self.keep:
                self.over.append((line, count.longest))

    @property
    def epochs(self) -> int:
        return (
            self.n_epochs
            if self.n_epochs is not None
            else default_epochs(self.examples)
        )

    @property
    def billed(self) -> int | None:
        return self.capped * self.epochs if self.billed_per_token else None

    def spread(self) -> dict[str, float]:
        """min, max, mean, median, p5 and p95 of the tokens per example (nearest rank)."""
        if not self.examples:
            return {}
        ranks = {"p5": 0.05, "median": 0.5, "p95": 0.95}
        wanted = {
            name: max(1, math.ceil(self.examples * share))
            for name, share in ranks.items()
        }
        found: dict[str, int] = {}
        seen = 0
        for length in sorted(self.lengths):
            seen += self.lengths[length]
            for name, rank in wanted.items():
                if name not in found and seen >= rank:
                    found[name] = length
        return {
            "min": min(self.lengths),
            "p5": found["p5"],
            "median": found["median"],
            "mean": round(self.total / self.examples, 1),
            "p95": found["p95"],
            "max": max(self.lengths),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "encoding": self.encoding,
            "example_limit": self.example_limit,
            "examples": self.examples,
            "total": self.total,
            "trained": self.trained,
            "per_example": self.spread(),
            "over_limit_count": self.over_count,
            "over_limit": [{"line": line, "tokens": n} for line, n in self.over],
            "n_epochs": self.epochs,
            "n_epochs_given": self.n_epochs is not None,
            "billed_tokens": self.billed,
        }

    def __str__(self) -> str:
        s = self.spread()
        text = f"tokens ({self.model}, {self.encoding}): {self.total:,} in {self.examples:,} example(s)"
        if s:
            text += (
                f", per example {s['min']:,.0f}-{s['max']:,.0f} (median {s['median']:,.0f},"
                f" p5 {s['p5']:,.0f}, p95 {s['p95']:,.0f}), {self.trained:,} trained on"
            )
        epochs = f"{self.epochs} epoch(s){'' if self.n_epochs is not None else ' (the default)'}"
        if self.billed is None:
            text += f"; {epochs}, billed by training time, not tokens"
        else:
            text += f"; {epochs}: ~{self.billed:,} tokens billed"
        if self.example_limit is not None:
            text += f"; {self.over_count:,} over the {self.example_limit:,}-token limit"
        return text
