"""This generator against openapi-python-client and datamodel-code-generator.

Each peer is installed from the package index into its own virtual environment under
`.bench/` (once; delete the folder to refresh), at the versions locked in `bench/peers/`
(`make lock` refreshes them). Inputs: `spec/fine_tuning.yaml` and the full
`tests/data/specs/openai-openapi.yaml`. For each tool and input: median wall time and peak
memory (max RSS of the process tree, from GNU time) over RUNS rounds (each runs every tool
once, in turn, so that the machine's load moves between rounds), the operations generated
(openapi-python-client drops the ones it cannot parse, and says so), and the import time of
the generated package (median of 5 fresh interpreters). Every tool runs with its bytecode
compiled, as installed (bench/timing.py: `compiled`). ftgen runs twice: with its stubs
(its default output, client and server) and the client alone, which is what
openapi-python-client generates. Prints a Markdown table.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import cold, import_samples

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / ".bench"
INPUTS = {"fine-tuning spec": ROOT / "spec" / "fine_tuning.yaml",
          "full OpenAI spec": ROOT / "tests" / "data" / "specs" / "openai-openapi.yaml"}  # fmt: skip
PEERS = ("openapi-python-client", "datamodel-code-generator")
RUNS = int(os.environ.get("PEER_BENCH_RUNS", "5"))
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def venv_bin(peer: str) -> Path:
    folder = VENVS / peer
    if not (folder / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        locked = ROOT / "bench" / "peers" / f"{peer}.txt"
        subprocess.run([str(folder / "bin" / "pip"), "install", "--quiet", "--require-hashes", "--no-deps", "-r",
                        str(locked)], check=True)  # fmt: skip
    return folder / "bin"


def timed(command: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(seconds, peak MB, result) of one run under GNU time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], cwd=cwd, capture_output=True, text=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024, result


def operations_in(spec: Path) -> int:
    import yaml

    doc = yaml.load(spec.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return sum(1 for item in doc["paths"].values() for method in item if method in METHODS)


def import_ms(python: Path, folder: Path, module: str) -> float:
    try:
        return statistics.median(import_samples(module, folder, python=python, runs=5)) * 1000
    except subprocess.CalledProcessError:
        return float("nan")


RERUNS: dict[str, list[float]] = {}  # input -> ftgen's second runs, nothing changed


def run_ours(spec: Path, out: Path, stubs: str = "bench_stubs") -> tuple[float, float, str]:
    """A cold run (no output folder, an empty cache folder), as the peers run; then a rerun
    with nothing changed, which finds its record in the cache (generator/cache.py) and stops."""
    args = [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--out", str(out)]
    args += ["--client-package", "bench_client", "--stubs-package", stubs]
    shutil.rmtree(out, ignore_errors=True)
    with cold():
        seconds, peak, result = timed(args, ROOT)
        match = re.search(r"generated (\d+) operations", result.stdout)
        again, _, rerun = timed(args, ROOT)
        assert "unchanged since the last run" in rerun.stdout, rerun.stdout
    if stubs:
        RERUNS.setdefault(str(spec), []).append(again)
    return seconds, peak, match.group(1) if match else "failed"


def run_client_only(spec: Path, out: Path) -> tuple[float, float, str]:
    """The client alone, as openapi-python-client generates: no stubs."""
    return run_ours(spec, out, stubs="")


def import_ours(out: Path) -> float:
    return import_ms(Path(sys.executable), out, "bench_client, bench_client.models, bench_client.client")


def run_opc(spec: Path, out: Path) -> tuple[float, float, str]:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(venv_bin("openapi-python-client") / "openapi-python-client"), "generate", "--path", str(spec),
               "--output-path", str(out), "--overwrite"]  # fmt: skip
    seconds, peak, result = timed(command, out.parent)
    dropped = (result.stdout + result.stderr).count("Endpoint will not be generated")
    return seconds, peak, f"{operations_in(spec) - dropped} ({dropped} dropped)"


def import_opc(out: Path) -> float:
    package = next(p.name for p in out.iterdir() if (p / "__init__.py").exists())
    return import_ms(
        venv_bin("openapi-python-client") / "python", out, f"{package}, {package}.models, {package}.client"
    )


def run_dcg(spec: Path, out: Path) -> tuple[float, float, str]:
    out.mkdir(parents=True, exist_ok=True)
    command = [str(venv_bin("datamodel-code-generator") / "datamodel-codegen"), "--input", str(spec),
               "--input-file-type", "openapi", "--output", str(out / "dcg_models.py"),
               "--output-model-type", "pydantic_v2.BaseModel"]  # fmt: skip
    seconds, peak, _ = timed(command, out)
    return seconds, peak, "0 (models only)"


def import_dcg(out: Path) -> float:
    return import_ms(venv_bin("datamodel-code-generator") / "python", out, "dcg_models")


def main() -> None:
    """Each input: RUNS rounds, each running every tool once in turn (the machine's load moves
    between rounds, not between tools), then each generated package's import."""
    tools = {"ftgen (this project)": (run_ours, import_ours), "ftgen, client only": (run_client_only, import_ours),
             "openapi-python-client": (run_opc, import_opc),
             "datamodel-code-generator": (run_dcg, import_dcg)}  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory(prefix="ftgen-peers-") as folder:
        for label, spec in INPUTS.items():
            outs = {tool: Path(folder) / f"{tool.split()[0]}-{spec.stem}" / "out" for tool in tools}
            samples: dict[str, list[tuple[float, float, str]]] = {tool: [] for tool in tools}
            for out in outs.values():
                out.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(RUNS):
                for tool, (run, _) in tools.items():
                    samples[tool].append(run(spec, outs[tool]))
            for tool, (_, imported) in tools.items():
                seconds = statistics.median(s for s, _, _ in samples[tool])
                peak = max(p for _, p, _ in samples[tool])
                rows.append(
                    (label, tool, seconds, peak, samples[tool][-1][2], operations_in(spec), imported(outs[tool]))
                )
                print(f"  {label}, {tool}: {seconds:.2f} s", file=sys.stderr)
    print(
        f"| input | tool | median wall time (s, {RUNS} runs) | peak memory (MB) | operations generated | import (ms) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for label, tool, seconds, peak, ops, total, imported_ms in rows:
        print(f"| {label} | {tool} | {seconds:.2f} | {peak:.0f} | {ops} of {total} | {imported_ms:.0f} |")
    for label, spec in INPUTS.items():
        ours = next(r[2] for r in rows if r[0] == label and r[1].startswith("ftgen ("))
        client = next(r[2] for r in rows if r[0] == label and r[1].startswith("ftgen, client"))
        fastest = min(r[2] for r in rows if r[0] == label and not r[1].startswith("ftgen"))
        again = statistics.median(RERUNS[str(spec)])
        print(
            f"\n{label}: ftgen {ours:.2f} s cold with its stubs, {client:.2f} s the client alone; fastest peer "
            f"{fastest:.2f} s ({fastest / ours:.1f}x, {fastest / client:.1f}x the client alone); "
            f"rerun with nothing changed {again:.2f} s ({ours / again:.0f}x less than cold)"
        )


if __name__ == "__main__":
    main()
