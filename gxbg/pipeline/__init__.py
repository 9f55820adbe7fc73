"""One site's work after the crawl: archive → clean → parse → validate → load, and its bookkeeping.

- :mod:`gxbg.pipeline.process` — process a crawled site's items (never raises for a bad page)
- :mod:`gxbg.pipeline.local` — the same pipeline in a plain loop, without Prefect
- :mod:`gxbg.pipeline.registry` — the portal registry (CSV) and shard selection
- :mod:`gxbg.pipeline.summary` — run summaries and merging shard summaries
"""
