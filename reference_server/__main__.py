"""`python -m reference_server`: serve the reference implementation on 127.0.0.1.

Prints the base URL once it serves (the port is chosen when --port 0), then serves until
interrupted: a client may connect the instant it reads the line.
"""

from __future__ import annotations

import argparse
import socket
import sys
import warnings
from pathlib import Path

import uvicorn
from pydantic.warnings import UnsupportedFieldAttributeWarning

from .service import create_server_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m reference_server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--db", default="fine_tuning.sqlite3", help="SQLite file (':memory:' keeps nothing)")
    parser.add_argument("--job-seconds", type=float, default=60.0, help="time scale: creation to success, in seconds")
    parser.add_argument("--file", action="append", dest="files", metavar="ID[=PATH]", default=[],
                        help="a training file that exists (repeatable); default: any id starting with file-. "
                             "With =PATH, a local JSONL file: jobs on it report the tokens the checker counts")  # fmt: skip
    parser.add_argument("--webhook-url", metavar="URL", help="POST each job's end there, signed (Standard Webhooks)")
    parser.add_argument(
        "--webhook-secret", metavar="SECRET", help="the signing secret (whsec_...); needed with --webhook-url"
    )
    args = parser.parse_args(argv)
    if args.webhook_url and not args.webhook_secret:
        parser.error("--webhook-url needs --webhook-secret")
    # FastAPI's own body handling trips this pydantic warning (pydantic issue 12356); not ours.
    warnings.filterwarnings("ignore", category=UnsupportedFieldAttributeWarning)
    ids = [f for f in args.files if "=" not in f]
    data = {f.split("=", 1)[0]: Path(f.split("=", 1)[1]) for f in args.files if "=" in f}
    app = create_server_app(args.db, job_seconds=args.job_seconds, files=ids if args.files else None,
                            webhook_url=args.webhook_url, webhook_secret=args.webhook_secret,
                            training_data=data)  # fmt: skip
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        sys.exit(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
    host, port = sock.getsockname()[:2]
    announce = f"Fine-tuning API reference server: http://{host}:{port}/v1  (SQLite: {args.db})"
    _AnnouncingServer(uvicorn.Config(app, log_level="warning"), announce).run(sockets=[sock])


class _AnnouncingServer(uvicorn.Server):
    """Prints its line after startup, when uvicorn listens on the socket and the app is up:
    binding alone would let a client that connects at once be refused."""

    def __init__(self, config: uvicorn.Config, announce: str) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self.announce, flush=True)


if __name__ == "__main__":
    main()
