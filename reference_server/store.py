"""SQLite persistence: jobs, their events and checkpoints, and checkpoint permissions, as JSON
documents in insertion order.

A file path keeps everything across restarts; ":memory:" keeps it for the process only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL,
    data TEXT NOT NULL, sim TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, job_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, job_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS permissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, checkpoint TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_job ON events (job_id, seq);
CREATE INDEX IF NOT EXISTS checkpoints_by_job ON checkpoints (job_id, seq);
"""


@dataclass
class Job:
    id: str
    kind: str  # "job" (fine_tuning/jobs) or "legacy" (fine-tunes)
    data: dict[str, Any]  # the object as the API returns it
    sim: dict[str, Any]  # the simulation's own state


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside land together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def add_job(self, job: Job) -> None:
        self.db.execute(
            "INSERT INTO jobs (id, kind, data, sim) VALUES (?, ?, ?, ?)",
            (job.id, job.kind, json.dumps(job.data), json.dumps(job.sim)),
        )

    def save_job(self, job: Job) -> None:
        self.db.execute(
            "UPDATE jobs SET data = ?, sim = ? WHERE id = ?", (json.dumps(job.data), json.dumps(job.sim), job.id)
        )

    def job(self, job_id: str, kind: str) -> Job | None:
        row = self.db.execute(
            "SELECT id, kind, data, sim FROM jobs WHERE id = ? AND kind = ?", (job_id, kind)
        ).fetchone()
        return Job(row[0], row[1], json.loads(row[2]), json.loads(row[3])) if row else None

    def jobs(self, kind: str) -> list[Job]:
        """Newest first."""
        rows = self.db.execute("SELECT id, kind, data, sim FROM jobs WHERE kind = ? ORDER BY seq DESC", (kind,))
        return [Job(r[0], r[1], json.loads(r[2]), json.loads(r[3])) for r in rows]

    def add_event(self, job_id: str, data: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO events (id, job_id, data) VALUES (?, ?, ?)", (data["id"], job_id, json.dumps(data))
        )

    def add_checkpoint(self, job_id: str, data: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO checkpoints (id, job_id, data) VALUES (?, ?, ?)", (data["id"], job_id, json.dumps(data))
        )

    def events(self, job_id: str) -> list[dict[str, Any]]:
        """Oldest first."""
        rows = self.db.execute("SELECT data FROM events WHERE job_id = ? ORDER BY seq", (job_id,))
        return [json.loads(r[0]) for r in rows]

    def page(self, table: str, job_id: str, after: str | None, limit: int) -> Page:
        """Newest first, starting after the item with id `after` (an unknown cursor: nothing)."""
        assert table in ("events", "checkpoints")
        query = f"SELECT data FROM {table} WHERE job_id = ? ORDER BY seq DESC LIMIT ?"
        args: tuple[str | int, ...] = (job_id, limit + 1)
        if after is not None:
            start = f"(SELECT seq FROM {table} WHERE id = ? AND job_id = ?)"
            query = f"SELECT data FROM {table} WHERE job_id = ? AND seq < {start} ORDER BY seq DESC LIMIT ?"
            args = (job_id, after, job_id, limit + 1)
        rows = [json.loads(r[0]) for r in self.db.execute(query, args)]
        return Page(rows[:limit], len(rows) > limit)

    def add_permission(self, checkpoint: str, data: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO permissions (id, checkpoint, data) VALUES (?, ?, ?)",
            (data["id"], checkpoint, json.dumps(data)),
        )

    def delete_permission(self, checkpoint: str, permission_id: str) -> bool:
        cursor = self.db.execute("DELETE FROM permissions WHERE checkpoint = ? AND id = ?", (checkpoint, permission_id))
        return cursor.rowcount > 0

    def permissions(
        self, checkpoint: str, *, project_id: str | None, after: str | None, limit: int, newest_first: bool
    ) -> Page:
        """A checkpoint's permissions in the order asked, after the one with id `after`."""
        rows = [
            json.loads(r[0])
            for r in self.db.execute(
                f"SELECT data FROM permissions WHERE checkpoint = ? ORDER BY seq {'DESC' if newest_first else 'ASC'}",
                (checkpoint,),
            )
        ]
        rows = [r for r in rows if project_id is None or r["project_id"] == project_id]
        if after is not None:
            ids = [r["id"] for r in rows]
            rows = rows[ids.index(after) + 1 :] if after in ids else []
        return Page(rows[:limit], len(rows) > limit)
