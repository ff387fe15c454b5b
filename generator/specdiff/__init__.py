"""spec diff: what changed between two versions of a spec, and whether it breaks callers.

sides (load both IRs) -> compare (findings, by rule) -> report (text, Markdown, JSON).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..selection import EVERYTHING, Selection
from .compare import Comparer, Finding
from .rules import RULES, Level, Rule
from .sides import Side, load_pair

__all__ = ["RULES", "Finding", "Level", "Rule", "Side", "diff", "diff_paths"]


def diff(old: Side, new: Side) -> list[Finding]:
    """Every finding, most severe first."""
    return Comparer(old, new).run()


def diff_paths(
    old: tuple[Path, ...],
    new: tuple[Path, ...],
    allow_outside: bool = False,
    old_names: dict[str, str] | None = None,
    selection: Selection = EVERYTHING,
) -> list[Finding]:
    """Load both versions (files or folders), each sliced to `selection`, and diff them;
    `old_names` relabels old files."""
    old_side, new_side = load_pair(old, new, allow_outside, selection)
    return diff(replace(old_side, names=old_names or {}), new_side)
