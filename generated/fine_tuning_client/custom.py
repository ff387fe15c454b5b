"""Hand-written extensions of `fine_tuning_client`: this file is yours.

ftgen writes it once, when it is missing, and never again: `make generate` keeps
your edits. Everything else in the package is regenerated. Names listed in `__all__` here
are also importable from the package itself, for example:

    from .client import Client

    class MyClient(Client):
        def latest_job_id(self) -> str | None:
            jobs = self.fine_tuning.jobs.list(limit=1).data
            return jobs[0].id if jobs else None

    __all__ = ["MyClient"]
"""

__all__: list[str] = []
