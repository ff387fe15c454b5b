"""ftgen in a user's own git repository, with the mistakes users make: it removes or replaces
only files it wrote (its manifest says which), refuses folders that are not its own, and
every mistake is one located line with exit 1 or 2, never a traceback (generator/output.py).
Each test runs `python -m generator` as a user would, in a scratch repository of its own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import output
from helpers import models_text

SPEC = """\
openapi: 3.1.0
info: {title: Galaxy Weather API, version: 2.1.0-beta}
servers: [{url: 'https://weather.galaxy.example/v2'}]
paths:
  /forecasts/{city}:
    get:
      operationId: getForecast
      summary: The forecast for a city
      parameters: [{name: city, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Forecast'}
components:
  schemas:
    Forecast:
      type: object
      required: [city]
      properties:
        city: {type: string}
        celsius: {type: number}
"""


def ftgen(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's project: a git repository with a spec, code, a pyproject.toml of its own and a
    vendor folder holding a library and notes."""
    root = tmp_path / "project"
    (root / "api").mkdir(parents=True)
    (root / "api" / "openapi.yaml").write_text(SPEC)
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("print('the app')\n")
    (root / "pyproject.toml").write_text('[project]\nname = "myapp"\nversion = "1.0"\n')
    (root / "vendor" / "otherlib").mkdir(parents=True)
    (root / "vendor" / "otherlib" / "__init__.py").write_text("VERSION = 3\n")
    (root / "vendor" / "NOTES.md").write_text("why we vendor\n")
    (root / "afile.txt").write_text("a file\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def everything(folder: Path) -> dict[str, bytes | str]:
    """Every file and folder under `folder`, .git included: contents, links as their targets."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if "__pycache__" in path.parts:
            continue
        found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes() if path.is_file() else "/"
    return found


def theirs(repo: Path) -> dict[str, bytes | str]:
    """The user's files in the repository: all but folders and what ftgen's manifest lists."""
    owned = output.read_manifest(repo / "vendor") or frozenset()
    return {rel: data for rel, data in everything(repo).items()
            if data != "/" and not (rel.startswith("vendor/") and rel.removeprefix("vendor/") in owned)}  # fmt: skip


def kept(before: dict[str, bytes | str], repo: Path) -> bool:
    """Every one of the user's files in `before` is still there, as it was."""
    now = everything(repo)
    return {rel: now.get(rel) for rel in before} == before


def one_error(result: subprocess.CompletedProcess[str], where: str, words: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr and lines[-1] == "1 error(s); nothing was written", result.stderr
    assert lines[0].startswith(f"{where}  #  error: ") and words in lines[0] and "[output-refused]" in lines[0], lines


GENERATE = ("generate", "--spec", "api/openapi.yaml")


def test_a_folder_ftgen_did_not_write_is_refused_before_any_work(repo: Path) -> None:
    before = everything(repo)
    result = ftgen(repo, *GENERATE, "--out", "vendor")
    one_error(result, "vendor", "the folder is not empty and ftgen did not write it")
    assert "NOTES.md, otherlib/" in result.stderr and "--force" in result.stderr
    assert everything(repo) == before


def test_force_takes_a_folder_over_and_leaves_every_file_of_the_users(repo: Path) -> None:
    inode = (repo / "vendor" / "NOTES.md").stat().st_ino
    before = theirs(repo)
    result = ftgen(repo, *GENERATE, "--out", "vendor", "--force")
    assert result.returncode == 0, result.stderr
    assert kept(before, repo) and (repo / "vendor" / "NOTES.md").stat().st_ino == inode
    owned = output.read_manifest(repo / "vendor")
    assert owned is not None and "galaxy_weather_client/client.py" in owned and "NOTES.md" not in owned

    # Owned now: a rerun needs no --force; a file of the user's inside a generated package stays.
    (repo / "vendor" / "galaxy_weather_client" / "mine.py").write_text("MINE = 1\n")
    (repo / "vendor" / "galaxy_weather_client" / "custom.py").write_text("__all__: list[str] = []  # mine\n")
    before = theirs(repo)
    renamed = ftgen(repo, *GENERATE, "--out", "vendor", "--client-package", "weather", "--stubs-package", "")
    assert renamed.returncode == 0, renamed.stderr
    assert kept(before, repo)  # the user's files, custom.py and mine.py among them, as they were
    old = repo / "vendor" / "galaxy_weather_client"
    assert sorted(p.name for p in old.iterdir()) == ["custom.py", "mine.py"]  # ftgen's own files went
    assert not (repo / "vendor" / "galaxy_weather_stubs").exists()
    assert (repo / "vendor" / "weather" / "client.py").is_file()

    # --check never lists the user's files, and passes on what it wrote.
    check = ftgen(repo, *GENERATE, "--out", "vendor", "--client-package", "weather", "--stubs-package", "", "--check")
    assert check.returncode == 0 and check.stdout == "", check


@pytest.mark.parametrize(
    ("out", "where", "words"),
    [
        (".", ".", "the output is the working folder"),
        ("..", "..", "the output is a parent of the working folder"),
        ("api", "api", "the output folder holds api/openapi.yaml, an input of this run"),
        ("afile.txt", "afile.txt", "the output must be a folder, and this is an existing file"),
        ("sub", "sub", "the output is the root of a git work tree"),
    ],
)
@pytest.mark.parametrize("check", [False, True])
def test_folders_that_are_never_the_output(repo: Path, out: str, where: str, words: str, check: bool) -> None:
    subprocess.run(["git", "init", "-q", str(repo / "sub")], check=True)
    before = everything(repo.parent)
    result = ftgen(repo, *GENERATE, "--out", out, "--force", *(["--check"] if check else []))
    one_error(result, where, words)
    assert result.stdout == ""  # --check lists nothing: src/app.py is never "would be removed"
    assert everything(repo.parent) == before


@pytest.mark.parametrize(("setting", "where"), [('out = ""', "."), ('out = "."', "."), ('out = "src/.."', "src/..")])
def test_the_configured_output_is_checked_the_same(repo: Path, setting: str, where: str) -> None:
    (repo / "pyproject.toml").write_text(f'[tool.ftgen]\nspec = "api/openapi.yaml"\n{setting}\n')
    before = everything(repo)
    one_error(ftgen(repo, "generate"), where, "the output is the working folder")
    assert everything(repo) == before


def test_the_config_is_an_input_the_output_may_not_hold(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "ftgen.toml").write_text('[tool.ftgen]\nspec = "../openapi.yaml"\nout = "."\n')
    (tmp_path / "openapi.yaml").write_text(SPEC)
    (tmp_path / "work").mkdir()
    result = ftgen(tmp_path / "work", "generate", "--config", "../conf/ftgen.toml")
    one_error(result, "../conf", "the output folder holds ../conf/ftgen.toml, an input of this run")


def test_a_file_of_the_users_where_ftgen_would_write_is_refused_unless_forced(repo: Path) -> None:
    assert ftgen(repo, *GENERATE, "--out", "vendor", "--force").returncode == 0
    before = everything(repo)
    # The client package asked for is a folder of the user's: its __init__.py would be replaced.
    result = ftgen(repo, *GENERATE, "--out", "vendor", "--client-package", "otherlib")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "otherlib/__init__.py is a file ftgen did not write (pass --force to replace it)" in result.stderr
    assert everything(repo) == before
    forced = ftgen(repo, *GENERATE, "--out", "vendor", "--client-package", "otherlib", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "VERSION = 3" not in (repo / "vendor" / "otherlib" / "__init__.py").read_text()


def test_a_manifest_that_names_files_outside_the_folder_is_refused(repo: Path) -> None:
    assert ftgen(repo, *GENERATE, "--out", "vendor", "--force").returncode == 0
    manifest = repo / "vendor" / ".ftgen-manifest"
    manifest.write_text(manifest.read_text() + "../src/app.py\n")
    before = everything(repo)
    result = ftgen(repo, *GENERATE, "--out", "vendor")
    assert result.returncode == 1 and "the manifest names '../src/app.py'" in result.stderr, result.stderr
    assert result.stderr.startswith(f"vendor/.ftgen-manifest:{len(manifest.read_text().splitlines())}:1")
    assert everything(repo) == before


def test_a_killed_runs_staging_folders_are_cleared_and_nothing_else(repo: Path) -> None:
    assert ftgen(repo, *GENERATE, "--out", "vendor", "--force").returncode == 0
    (repo / "vendor" / ".ftgen-staging-x1").mkdir()  # as a kill would leave them
    (repo / "vendor" / ".ftgen-staging-x1" / "API.md").write_text("old")
    (repo / ".vendor.ftgen-staging-x2").mkdir()
    (repo / "api" / "openapi.yaml").write_text(SPEC.replace("The forecast", "Tomorrow's forecast"))
    before = theirs(repo)
    del before["vendor/.ftgen-staging-x1/API.md"]
    assert ftgen(repo, *GENERATE, "--out", "vendor").returncode == 0
    assert theirs(repo) == before  # the staging folders went, nothing else
    assert not (repo / "vendor" / ".ftgen-staging-x1").exists() and not (repo / ".vendor.ftgen-staging-x2").exists()


def mounted(source: Path, target: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """`command` run with `source` bind-mounted on `target` (a container's volume), in a mount
    namespace of its own: as root directly, otherwise as root of a user namespace."""
    script = 'mount --bind "$0" "$1" && shift && exec "$@"'
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    return subprocess.run([*prefix, "sh", "-c", script, str(source), str(target), *command],
                          capture_output=True, text=True, cwd=target.parent.parent)  # fmt: skip


def test_an_output_folder_that_is_a_mount_point_is_swapped_inside(repo: Path, tmp_path: Path) -> None:
    volume = tmp_path / "volume"
    volume.mkdir()
    (repo / "vendor" / "mnt").mkdir()
    args = [sys.executable, "-m", "generator", *GENERATE, "--out", "vendor/mnt"]
    first = mounted(volume, repo / "vendor" / "mnt", *args)
    assert first.returncode == 0, first.stderr
    (volume / "galaxy_weather_client" / "mine.py").write_text("MINE = 1\n")
    (volume / "README.txt").write_text("the volume's own\n")
    (repo / "api" / "openapi.yaml").write_text(SPEC.replace("celsius", "kelvin"))
    again = mounted(volume, repo / "vendor" / "mnt", *args, "--client-package", "galaxy_weather_client")
    assert again.returncode == 0, again.stderr
    assert "kelvin" in models_text(volume / "galaxy_weather_client")
    assert (volume / "galaxy_weather_client" / "mine.py").read_text() == "MINE = 1\n"
    assert (volume / "README.txt").read_text() == "the volume's own\n"
    assert not [p for p in volume.iterdir() if p.name.startswith(output.STAGING)]


@pytest.fixture
def frozen() -> Iterator[list[Path]]:
    """Folders made unwritable: as root, immutable (chattr +i), since root writes through modes."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def freeze(folders: list[Path], folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    folders.append(folder)


def test_a_parent_that_cannot_be_written_is_no_obstacle(repo: Path, frozen: list[Path]) -> None:
    (repo / "gen").mkdir()
    assert ftgen(repo, *GENERATE, "--out", "gen/out").returncode == 0
    freeze(frozen, repo / "gen")
    (repo / "api" / "openapi.yaml").write_text(SPEC.replace("celsius", "kelvin"))
    result = ftgen(repo, *GENERATE, "--out", "gen/out")
    assert result.returncode == 0, result.stderr
    assert "kelvin" in models_text(repo / "gen" / "out" / "galaxy_weather_client")


def test_an_output_that_cannot_be_written_is_a_located_error(repo: Path, frozen: list[Path]) -> None:
    assert ftgen(repo, *GENERATE, "--out", "out").returncode == 0
    (repo / "out" / "mine.txt").write_text("mine\n")  # so the entries are swapped one by one, inside
    freeze(frozen, repo / "out")
    (repo / "api" / "openapi.yaml").write_text(SPEC.replace("celsius", "kelvin"))
    before = everything(repo)
    result = ftgen(repo, *GENERATE, "--out", "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert (
        result.stderr.startswith("out  #  error: cannot write the output: ") and "[output-unwritable]" in result.stderr
    )
    assert everything(repo) == before


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_run_says_so_in_one_line_and_leaves_nothing(
    repo: Path, tmp_path: Path, signum: int, status: int
) -> None:
    assert ftgen(repo, *GENERATE, "--out", "vendor", "--force").returncode == 0
    before = everything(repo)
    fifo = tmp_path / "spec-fifo"
    os.mkfifo(fifo)  # the run blocks reading it, so the signal surely arrives mid-run
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "generator", "generate", "--spec", str(fifo), "--out", "vendor"]
    process = subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    with open(fifo, "w"):  # returns once the run has opened it for reading
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (status, "", "ftgen: interrupted; vendor is as it was\n")
    assert everything(repo) == before and list(temporary.iterdir()) == []


def test_signals_during_the_swap_wait_until_it_is_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    output.write_tree({"a/x.py": "X = 1\n", "b/y.py": "Y = 1\n"}, out)
    (out / "theirs.txt").write_text("mine")  # entries swapped one by one: the longer path
    real_swap = output._swap
    swapped = []

    def swap_then_signal(*args: object, **kwargs: object) -> None:
        real_swap(*args, **kwargs)  # type: ignore[arg-type]
        swapped.append(args[2])
        os.kill(os.getpid(), signal.SIGINT)  # held until every swap is done

    monkeypatch.setattr(output, "_swap", swap_then_signal)
    # Python's own handler, even where pytest started with SIGINT ignored (`make test &`)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            output.write_tree({"a/x.py": "X = 2\n", "b/y.py": "Y = 2\n"}, out)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert swapped == ["a", "b"]
    assert (out / "a" / "x.py").read_text() == "X = 2\n" and (out / "b" / "y.py").read_text() == "Y = 2\n"
    assert out in output.WRITTEN and (out / "theirs.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == [".ftgen-manifest", "a", "b", "theirs.txt"]


def test_version(repo: Path) -> None:
    result = ftgen(repo, "--version")
    assert result.returncode == 0 and result.stdout.startswith("ftgen 0."), result


# ---------------------------------------------------------------- credentials
CALL = """
import os, sys
sys.path.insert(0, {out!r})
from {package} import Client
client = Client(base_url={url!r}, max_retries=0)
print(repr(client))
print(client.forecasts.retrieve("paris").city)
"""


def test_a_client_for_another_api_never_sends_an_openai_key(repo: Path, server: object) -> None:
    assert ftgen(repo, *GENERATE, "--out", "gen").returncode == 0
    constants = (repo / "gen" / "galaxy_weather_client" / "_constants.py").read_text()
    assert '"GALAXY_WEATHER_API_KEY"' in constants and "OPENAI" not in constants
    url = server.url  # type: ignore[attr-defined]
    script = CALL.format(out=str(repo / "gen"), package="galaxy_weather_client", url=url)
    env = {**os.environ, "OPENAI_API_KEY": "sk-openai-secret"}
    env.pop("GALAXY_WEATHER_API_KEY", None)
    server.reply({"city": "paris"})  # type: ignore[attr-defined]
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and result.stdout.endswith("paris\n"), result.stderr
    headers = {k.lower(): v for k, v in server.last.headers.items()}  # type: ignore[attr-defined]
    assert "authorization" not in headers and "sk-openai-secret" not in str(headers)

    server.reply({"city": "paris"})  # type: ignore[attr-defined]
    env["GALAXY_WEATHER_API_KEY"] = "gw-own-key"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "gw-own-key" not in result.stdout, result.stderr  # nor in repr(client)
    assert server.last.headers["Authorization"] == "Bearer gw-own-key"  # type: ignore[attr-defined]


def test_a_title_that_starts_with_a_digit_gives_packages_that_import(tmp_path: Path) -> None:
    (tmp_path / "connect.yaml").write_text(SPEC.replace("Galaxy Weather API", "1Password Connect"))
    result = ftgen(tmp_path, "generate", "--spec", "connect.yaml", "--out", "gen")
    assert result.returncode == 0, result.stderr
    code = "import api_1_password_connect_client as c, api_1_password_connect_stubs; print(c._constants.BASE_URL_ENV)"
    imported = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "gen", capture_output=True, text=True)
    assert imported.stdout == "API_1_PASSWORD_CONNECT_BASE_URL\n", imported.stderr


def test_the_same_name_for_client_and_stubs_is_refused(repo: Path) -> None:
    result = ftgen(repo, *GENERATE, "--client-package", "w", "--stubs-package", "w")
    assert result.returncode == 2 and "--client-package and --stubs-package must differ" in result.stderr
    derived = ftgen(repo, *GENERATE, "--stubs-package", "galaxy_weather_client")
    assert derived.returncode == 1 and "the client and the stubs would both be the package" in derived.stderr
    assert not (repo / "generated").exists()


@pytest.mark.parametrize(
    ("flag", "value", "words"),
    [
        ("--client-package", "my-client", "'my-client' is not a Python package name"),
        ("--client-package", "class", "'class' is a Python keyword"),
        ("--stubs-package", "json", "'json' would shadow the module json that the generated code imports"),
        ("--client-package", "httpx", "'httpx' would shadow the module httpx"),
    ],
)
def test_package_names_are_checked_before_any_work(repo: Path, flag: str, value: str, words: str) -> None:
    result = ftgen(repo, *GENERATE, flag, value)
    assert result.returncode == 2 and f"ftgen: error: {flag}: {words}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (repo / "generated").exists()


@pytest.mark.parametrize(
    ("setting", "where", "message"),
    [
        ("out = 5", "6:1  #/tool/ftgen/out", "out must be a string, not 5"),
        ("spec = 5", "5:1  #/tool/ftgen/spec", "spec must be a string or a list of strings, not 5"),
        ("spec = [true]", "5:1  #/tool/ftgen/spec", "spec must be a string or a list of strings, not a list ([True])"),
        ('client_package = "my-client"', "6:1  #/tool/ftgen/client_package",
         "client_package 'my-client' is not a Python package name"),
        ('  api_key_env = "MY KEY"', "6:3  #/tool/ftgen/api_key_env", "api_key_env must be an environment variable's name"),
        ('layout = "wheel"', "6:1  #/tool/ftgen/layout", "layout must be one of flat, package, not 'wheel'"),
        ("methods = 3", "6:1  #/tool/ftgen/methods", "methods must be a table, not 3"),
        ('client_package = "x"\nstubs_package = "x"', "7:1  #/tool/ftgen/stubs_package",
         "stubs_package must differ from client_package ('x')"),
    ],
)  # fmt: skip
def test_a_wrong_setting_is_a_located_error(repo: Path, setting: str, where: str, message: str) -> None:
    spec = "" if setting.startswith("spec") else 'spec = "api/openapi.yaml"\n'
    (repo / "pyproject.toml").write_text(f'[project]\nname = "myapp"\n\n[tool.ftgen]\n{spec}{setting}\n')
    result = ftgen(repo, "generate")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"pyproject.toml:{where}  error: {message}"), result.stderr
    assert not (repo / "generated").exists()


def test_an_unknown_key_warns_with_the_nearest_and_is_an_error_when_strict(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.ftgen]\nspec = "api/openapi.yaml"\nout = "gen"\nformater = "black"\n')
    result = ftgen(repo, "generate")
    expected = "pyproject.toml:4:1  #/tool/ftgen/formater  {}: unknown key 'formater' in [tool.ftgen]; did you mean 'formatter'?"
    assert result.returncode == 0 and expected.format("warning") in result.stderr, result.stderr
    shutil.rmtree(repo / "gen")
    strict = ftgen(repo, "generate", "--strict")
    assert strict.returncode == 1 and expected.format("error") in strict.stderr, strict.stderr
    assert not (repo / "gen").exists()


def test_a_toml_syntax_error_is_located(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.ftgen]\nspec = "api/openapi.yaml\n')
    result = ftgen(repo, "generate")
    assert result.returncode == 1 and result.stderr.startswith("pyproject.toml:2:"), result.stderr
    assert "invalid TOML" in result.stderr and "Traceback" not in result.stderr


def test_settings_in_a_subtable_are_located_too(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.ftgen]\nspec = "api/openapi.yaml"\n\n[tool.ftgen.methods]\n"GET /forecasts/{city}" = "not dotted"\n'
    )
    result = ftgen(repo, "generate")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("pyproject.toml:5:1  #/tool/ftgen/methods/GET ~1forecasts~1{city}  error: ")


# ---------------------------------------------------------------- a served spec
@pytest.fixture
def served_spec() -> Iterator[tuple[str, dict[str, bytes]]]:
    """An HTTP server on 127.0.0.1 serving the documents put in its dict (404 for others)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    documents: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", documents
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_spec_served_over_http_generates_like_a_file(
    tmp_path: Path, served_spec: tuple[str, dict[str, bytes]]
) -> None:
    import json

    import yaml

    url, documents = served_spec
    documents["/openapi.json"] = json.dumps(yaml.safe_load(SPEC), indent=2).encode()  # as FastAPI serves one
    result = ftgen(tmp_path, "generate", "--spec", f"{url}/openapi.json", "--out", "gen")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "gen" / "galaxy_weather_client" / "client.py").is_file()
    again = ftgen(tmp_path, "generate", "--spec", f"{url}/openapi.json", "--out", "gen")
    assert again.returncode == 0 and "unchanged" not in again.stdout  # a URL is read afresh every time

    # Problems are located at the URL; a reference to another document is not fetched.
    broken = yaml.safe_load(SPEC)
    broken["components"]["schemas"]["Forecast"]["properties"]["city"] = {"$ref": "other.json#/City"}
    documents["/broken"] = json.dumps(broken, indent=2).encode()
    result = ftgen(tmp_path, "validate", "--spec", f"{url}/broken")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"{url}/broken:")
    assert "[ref-missing]" in result.stderr

    missing = ftgen(tmp_path, "generate", "--spec", f"{url}/nothing.yaml", "--out", "gen2")
    assert missing.returncode == 1 and not (tmp_path / "gen2").exists()
    assert missing.stderr.startswith(f"{url}/nothing.yaml  #  error: cannot fetch the spec: HTTP 404 Not Found")
    assert list(tmp_path.glob("ftgen-url-*")) == []
