"""One site's work after the crawl: archive → clean → parse → validate → load, and its bookkeeping.

- :mod:`gxbg.pipeline.process` — process a crawled site's items (never raises for a bad page)
- :mod:`gxbg.pipeline.body` — the report text of an archived body (page cleaner or attachment reader)
- :mod:`gxbg.pipeline.reparse` — re-parse stored versions from the raw archive (no network)
- :mod:`gxbg.pipeline.concurrent` — many portals at once: crawl concurrently, process as crawls end
- :mod:`gxbg.pipeline.local` — the same pipeline in a plain loop, without Prefect
- :mod:`gxbg.pipeline.registry` — the portal registry (CSV) and shard selection
- :mod:`gxbg.pipeline.summary` — run summaries and merging shard summaries
- :mod:`gxbg.pipeline.verdict` — what a finished harvest means: failed portals, causes, exit codes
"""
