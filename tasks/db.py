"""Store handles for tasks: one ``Store`` (engine, migrations applied) per database URL per process."""

from __future__ import annotations

from functools import lru_cache

from prefect import task
from prefect.cache_policies import NO_CACHE

from gxbg.store.db import Store
from gxbg.store.preflight import check_database
from tasks.settings import Settings


@lru_cache(maxsize=8)
def store_for(db_url: str) -> Store:
    """Open (and migrate, once per process) the application database at ``db_url``."""
    store = Store(db_url)
    store.migrate()
    return store


@task(name="check-database", cache_policy=NO_CACHE)
def check_database_task(db_url: str | None) -> str:
    """Parse, connect and check the schema version of the database (``None``: the configured one) before
    any work; a problem fails the run at once with one line (``DatabaseUnusableError``)."""
    url = db_url or Settings.from_env().db_url
    check_database(url, create=True)
    return url
