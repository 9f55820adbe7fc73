"""Store handles for tasks: one ``Store`` (engine, migrations applied) per database URL per process.

No Prefect here: ``gxbg harvest`` opens its store for the crawl it starts before Prefect is imported
(:mod:`tasks.ahead`), and the flow's tasks then use that same one."""

from __future__ import annotations

from functools import lru_cache

from gxbg.store.db import Store


@lru_cache(maxsize=8)
def store_for(db_url: str) -> Store:
    """Open (and migrate, once per process) the application database at ``db_url``."""
    store = Store(db_url)
    store.migrate()
    return store
