"""A spec served over HTTP(S) (FastAPI's `/openapi.json`, a gateway's document), read into a
local file so that every later stage reads it as it reads any other.

Only the document itself is fetched: a `$ref` to another file is looked for beside the local
copy, so it is not found, and references to the network are refused as they always are.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .diagnostics import Diagnostic, Location, SpecError

TIMEOUT = 30.0  # seconds without a byte before giving up
MAX_BYTES = 256 * 1024 * 1024  # the biggest public specs are ~50 MB


def download(url: str, folder: Path) -> Path:
    """The document at `url`, saved in `folder` under its own name (or `openapi.json` /
    `openapi.yaml`, by what it holds); a SpecError located at the URL when it cannot be had."""

    def problem(message: str) -> SpecError:
        return SpecError([Diagnostic.of("unreadable", Location(url), message)])

    request = urllib.request.Request(url, headers={"Accept": "application/json, application/yaml;q=0.9, */*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
            media = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise problem(f"cannot fetch the spec: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise problem(f"cannot fetch the spec: {reason}") from None
    if len(data) > MAX_BYTES:
        raise problem(f"the document is over {MAX_BYTES // 2**20} MB")
    name = Path(urllib.parse.urlsplit(url).path).name
    if Path(name).suffix not in (".json", ".yaml", ".yml"):
        is_json = "json" in media or data.lstrip()[:1] in (b"{", b"[")
        name = "openapi.json" if is_json else "openapi.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
