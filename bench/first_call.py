"""A big client's start: from `import` to its first request, in a fresh interpreter.

GitHub's spec from the public corpus (845 operations, 3,000 models) generated cold, its
bytecode compiled as an installed package's is; then, in fresh interpreters, `import pkg;
pkg.Client(...).repos.retrieve(owner=..., repo=...)` against a server on 127.0.0.1 that
answers with the spec's example repository. Beside it in the same run, openai-python's
`import openai; openai.OpenAI(...).models.list()` against the same server. Each figure is
the median of RUNS interleaved runs: the time from the first line of the interpreter's code
to the request reaching the server, and to the call returning its parsed result.
"""

from __future__ import annotations

import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import FOLDER, fetch
from timing import cold

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("FIRST_CALL_RUNS", "5"))
MODELS = {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "openai"}]}


def example_repository(spec: dict[str, object]) -> object:
    """The example response of `GET /repos/{owner}/{repo}`, as the spec gives it."""
    content = spec["paths"]["/repos/{owner}/{repo}"]["get"]["responses"]["200"]["content"]  # type: ignore[index]
    example = next(iter(content["application/json"]["examples"].values()))
    ref = example.get("$ref")
    return spec["components"]["examples"][ref.rsplit("/", 1)[1]]["value"] if ref else example["value"]  # type: ignore[index]


class Server(http.server.ThreadingHTTPServer):
    def __init__(self, bodies: dict[str, bytes]) -> None:
        self.bodies = bodies
        self.arrivals: list[float] = []  # when each request reached it (time.time())
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.arrivals.append(time.time())
        body = self.server.bodies[self.path]
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def first_call(server: Server, code: str, cwd: Path) -> tuple[float, float]:
    """(seconds to the request reaching the server, seconds to the call's return) of `code`."""
    timed = f"import time; started = time.time()\n{code}\nprint(started, time.time())"
    before = len(server.arrivals)
    result = subprocess.run([sys.executable, "-c", timed], cwd=cwd, capture_output=True, text=True, check=True)
    started, returned = map(float, result.stdout.split())
    assert len(server.arrivals) == before + 1, result.stderr
    return server.arrivals[before] - started, returned - started


def main() -> None:
    fetch()
    source = FOLDER / "package" / "api" / "github.com" / "api.github.com.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="ftgen-first-call-") as folder:
        out = Path(folder) / "out"
        with cold():
            generate = [sys.executable, "-m", "generator", "generate", "--spec", str(source), "--out", str(out)]
            subprocess.run([*generate, "--client-package", "github_client", "--stubs-package", ""], cwd=ROOT,
                           check=True, capture_output=True)  # fmt: skip
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(out)], check=True)  # as installed
        bodies = {
            "/repos/o/r": json.dumps(example_repository(data)).encode(),
            "/v1/models": json.dumps(MODELS).encode(),
        }
        server = Server(bodies)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        ours = (f"import github_client\nclient = github_client.Client(base_url={url!r}, api_key='k')\n"
                "assert client.repos.retrieve(owner='o', repo='r').full_name")  # fmt: skip
        theirs = f"import openai\nassert openai.OpenAI(base_url={url + '/v1'!r}, api_key='k').models.list().data"
        samples: dict[str, list[tuple[float, float]]] = {"ours": [], "theirs": []}
        for _ in range(RUNS):
            samples["ours"].append(first_call(server, ours, out))
            samples["theirs"].append(first_call(server, theirs, out))
        server.shutdown()
    print(f"First call, from the interpreter's first line (median of {RUNS} interleaved runs, bytecode compiled):")
    print("| client | to the first request | to the parsed result |")
    print("| --- | --- | --- |")
    labels = {"ours": "GitHub client (generated, 845 operations): `repos.retrieve()`",
              "theirs": "openai-python: `models.list()`"}  # fmt: skip
    for key, label in labels.items():
        sent, returned = (statistics.median(s[i] for s in samples[key]) for i in (0, 1))
        print(f"| {label} | {sent * 1000:.0f} ms | {returned * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
