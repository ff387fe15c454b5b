"""Graders computed for real: `string_check`, and `text_similarity` with the metrics that need
no model (fuzzy_match, bleu, rouge_1 to rouge_5, rouge_l). Other graders and metrics are
validated by the stubs and answered as not supported here, in the API's error shape."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from fine_tuning_stubs import APIException

_TEMPLATE = re.compile(r"\{\{\s*(sample|item)((?:\.\w+)*)\s*\}\}")


def render(template: str, sample: str, item: dict[str, Any]) -> str:
    """`{{ sample.output_text }}` and `{{ item.a.b }}` filled in; anything else left as written."""

    def value(match: re.Match[str]) -> str:
        keys = [k for k in match.group(2).split(".") if k]
        if match.group(1) == "sample":
            return sample if keys in ([], ["output_text"]) else match.group(0)
        node: Any = item
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                raise APIException(400, f"the item has no {'.'.join(keys)!r} for {match.group(0)!r}", param="item")
            node = node[key]
        return node if isinstance(node, str) else str(node)

    return _TEMPLATE.sub(value, template)


def string_check(operation: str, text: str, reference: str) -> float:
    checks = {
        "eq": text == reference,
        "ne": text != reference,
        "like": reference in text,
        "ilike": reference.lower() in text.lower(),
    }
    return float(checks[operation])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def rouge_n(text: str, reference: str, n: int) -> float:
    """F1 of the n-grams the text shares with the reference."""
    got, want = _ngrams(_words(text), n), _ngrams(_words(reference), n)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def rouge_l(text: str, reference: str) -> float:
    """F1 of the longest common subsequence of words."""
    a, b = _words(text), _words(reference)
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)  # longest common subsequence, a row at a time
    for x in a:
        row = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            row[j] = previous[j - 1] + 1 if x == y else max(previous[j], row[j - 1])
        previous = row
    lcs = previous[-1]
    if not lcs:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


def bleu(text: str, reference: str) -> float:
    """Sentence BLEU up to 4-grams, add-one smoothed, with the brevity penalty."""
    got, want = _words(text), _words(reference)
    if not got or not want:
        return 0.0
    logs = []
    for n in range(1, 5):
        counts = _ngrams(got, n)
        overlap = sum((counts & _ngrams(want, n)).values())
        logs.append(math.log((overlap + 1) / (sum(counts.values()) + 1)))
    brevity = 1.0 if len(got) > len(want) else math.exp(1 - len(want) / len(got))
    return brevity * math.exp(sum(logs) / 4)


def fuzzy_match(text: str, reference: str) -> float:
    return difflib.SequenceMatcher(None, text, reference).ratio()


METRICS: dict[str, Callable[[str, str], float]] = {
    "fuzzy_match": fuzzy_match,
    "bleu": bleu,
    "rouge_l": rouge_l,
    **{f"rouge_{n}": functools.partial(lambda n, text, reference: rouge_n(text, reference, n), n) for n in range(1, 6)},
}


def run(grader: dict[str, Any], sample: str, item: dict[str, Any]) -> float:
    """The reward of one sample, between 0 and 1."""
    kind = grader["type"]
    if kind == "string_check":
        text, reference = render(grader["input"], sample, item), render(grader["reference"], sample, item)
        return string_check(grader["operation"], text, reference)
    if kind == "text_similarity":
        metric = grader["evaluation_metric"]
        if metric not in METRICS:
            raise APIException(400, f"evaluation_metric {metric!r} is not supported by this reference server",
                               param="grader.evaluation_metric")  # fmt: skip
        text, reference = render(grader["input"], sample, item), render(grader["reference"], sample, item)
        return round(float(METRICS[metric](text, reference)), 6)
    raise APIException(400, f"grader type {kind!r} is not supported by this reference server", param="grader.type")
