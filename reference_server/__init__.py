"""A reference fine-tuning API server: the generated stubs over a hand-written service.

Jobs live in SQLite (a file survives restarts; `:memory:` does not) and follow a simulated
lifecycle whose length is set by `job_seconds`. Not generated; never overwritten.
"""

from .service import ReferenceService, create_server_app
from .store import Store

__all__ = ["ReferenceService", "Store", "create_server_app"]
