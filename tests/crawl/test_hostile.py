"""Hostile sites on loopback (gxbg.sim.hostile): the crawl is not trapped and loses no genuine report.

Each trap portal lists three genuine reports on its page 1 beside its trap.  Every test crawls it for
real (a Fetcher over loopback HTTP), runs the pipeline into a real SQLite store, and asserts on the
server's request log and the store's failure rows: the genuine reports are loaded, the requests are
bounded, and a budget costs one failure row, not one per URL.  ``bench/bench_hostile.py`` prints the
figures (requests, failure rows, run time, peak RSS per trap) at full size.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import re
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from gxbg.archive import ArchiveError, RawArchive
from gxbg.crawl.decoding import STEP, BoundedDecoder, DecodeError, TooLargeError
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.pagers import Series
from gxbg.crawl.scope import address_refusal, check_scope, url_refusal
from gxbg.crawl.site import BUDGET_DETAIL, crawl_site
from gxbg.kinds import ErrorKind, SiteCrawl
from gxbg.pipeline.process import SiteOutcome, process_site
from gxbg.pipeline.reparse import reparse_versions
from gxbg.sim.hostile import GENUINE, HostileSim, bomb_body, serve_hostile
from gxbg.store.db import Store

POLICY = FetchPolicy(delay=0.0, jitter=0.0, timeout=0.5, retries=2, backoff=0.01, allow_private=True,
                     max_retry_after=0.05)  # fmt: skip
TITLES = sorted(title for title, _ in GENUINE)


@pytest.fixture(scope="module")
def sim() -> Iterator[HostileSim]:
    # 10,000 links (bench: 100,000), a 999,999-page pager, a 4 GiB gzip-of-gzip, a 0.1 s drip
    with serve_hostile(links=10_000, bomb_inflated=4 << 30, drip=0.1) as running:
        yield running


@dataclass
class Harvest:
    crawl: SiteCrawl
    outcome: SiteOutcome
    failures: list[dict[str, object]]
    fetcher: Fetcher


def new_store(tmp_path: Path, name: str) -> Store:
    store = Store(f"sqlite:///{tmp_path / f'{name}.sqlite'}")
    store.migrate()
    return store


def harvest(
    sim: HostileSim, trap: str, tmp_path: Path, policy: FetchPolicy = POLICY, store: Store | None = None
) -> Harvest:
    store = store or new_store(tmp_path, trap)
    archive = RawArchive(tmp_path / "raw")

    async def crawl() -> tuple[SiteCrawl, Fetcher]:
        async with Fetcher(policy) as fetcher:
            return await crawl_site(sim.seed(trap), fetcher=fetcher, archive=archive), fetcher

    result, fetcher = asyncio.run(crawl())
    outcome = process_site(result, portal=trap, archive=archive, sink=store, run_id=store.start_run("t", {}))
    return Harvest(result, outcome, store.open_failures(trap), fetcher)


def loaded_titles(h: Harvest) -> list[str]:
    return sorted(r.title for r in h.outcome.reports if r.status == "loaded")


def test_pager_of_999999_repeated_pages_stops_on_evidence(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "pager", tmp_path)
    assert loaded_titles(h) == TITLES
    assert sim.count("pager") <= 1 + 2 + 3  # the column, two repeated pages, the three reports
    assert h.failures == []


def test_pager_of_endless_news_stops_after_barren_pages(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "news-pager", tmp_path)
    assert loaded_titles(h) == TITLES
    listing_pages = sum(1 for s, p in sim.requests if p.startswith("/news-pager/index"))
    assert listing_pages <= 1 + 10  # page 1, then ten pages without a new report title
    assert h.failures == []


def test_listing_of_many_report_links_is_bounded_and_folded(sim: HostileSim, tmp_path: Path) -> None:
    policy = replace(POLICY, max_bytes=50_000_000)
    h = harvest(sim, "links", tmp_path, replace(policy, retries=0))
    assert loaded_titles(h) == TITLES  # listed first: fetched before the budget runs out
    assert sim.count("links") <= 500  # max_pages, robots.txt aside
    # 20 rows of 404s kept one by one, one row for the rest of the 404s, one for the page budget,
    # one for the listing read only up to its first 2,000 items
    assert len(h.failures) == 23, [f["url"] for f in h.failures]
    [cut] = [f for f in h.failures if str(f["url"]) == sim.seed("links")]
    assert (cut["stage"], cut["error"]) == ("discover", "too_large")
    assert "only the first 2000 items" in str(cut["reason"])
    budget = [f for f in h.failures if str(f["url"]).endswith(BUDGET_DETAIL)]
    assert len(budget) == 1
    assert "report-titled items not fetched" in str(budget[0]["reason"])
    assert sum(1 for f in h.failures if "#gxbg-more-fetch-http_4xx" in str(f["url"])) == 1


def test_gzip_bomb_stops_at_the_cap(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "bomb", tmp_path, replace(POLICY, max_bytes=5_000_000))
    assert loaded_titles(h) == TITLES
    [failure] = h.failures
    assert failure["error"] == "too_large"
    assert "cap" in str(failure["reason"])
    assert sim.count("bomb") == 1 + 4  # one request for the bomb: too large is final, not retried


def test_gzip_bomb_peak_rss_stays_bounded(sim: HostileSim) -> None:
    """A fresh interpreter fetches the 4 GiB bomb under the default 50 MB cap and reports its peak RSS.

    The peak is the child's own ``VmHWM`` (its address space's high-water mark), not ``ru_maxrss``: on Linux
    a forked child's ``ru_maxrss`` carries over the parent's RSS at the fork, so it reported the size of
    this pytest process (up to 490 MB late in a full run) instead of the fetch's."""
    code = (
        "import asyncio, re, sys\n"
        "from gxbg.crawl.fetch import Fetcher, FetchPolicy\n"
        "async def main():\n"
        "    policy = FetchPolicy(allow_private=True, delay=0, jitter=0, obey_robots=False)\n"
        "    async with Fetcher(policy) as f:\n"
        "        return await f.fetch(sys.argv[1])\n"
        "r = asyncio.run(main())\n"
        "status = open('/proc/self/status').read()\n"
        "print(r.error, re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, f"{sim.base_url}/bomb/r/bomb.html"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    error, peak_kib = done.stdout.split()
    assert error == "too_large"
    assert int(peak_kib) < 300 * 1024, f"peak RSS {int(peak_kib) // 1024} MB"


def test_redirects_to_disguised_loopback_are_refused_for_good(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "redirect", tmp_path)
    assert loaded_titles(h) == TITLES
    refused = sorted(str(f["url"]).rsplit("/", 1)[1] for f in h.failures)
    assert refused == ["integer.html", "octal.html"]
    assert all(f["error"] == "out_of_scope" for f in h.failures)
    hostile = {"/redirect/r/octal.html", "/redirect/r/integer.html"}
    assert sum(1 for _, p in sim.requests if p in hostile) == 2  # once each: refused for good, never retried


def test_slowloris_body_costs_bounded_attempts(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "slow", tmp_path)
    assert loaded_titles(h) == TITLES
    [failure] = h.failures
    assert failure["error"] == "timeout"
    assert "deadline (not retried)" in str(failure["reason"])
    assert sum(1 for _, p in sim.requests if p == "/slow/r/slow.html") == 1  # one deadline, not four


def test_crawl_delay_3600_is_capped_and_recorded(sim: HostileSim, tmp_path: Path) -> None:
    h = harvest(sim, "crawl-delay", tmp_path)
    assert loaded_titles(h) == TITLES
    assert h.fetcher.crawl_delay_capped == {sim.delay_url: 3600.0}
    assert h.failures == []


# ---------------------------------------------------------------- the pieces, one by one


def test_pager_series_is_lazy() -> None:
    from gxbg.crawl.discover import parse_listing

    html = (
        '<ul><li><a href="a.html">x</a></li></ul><script>createPageHTML(999999, 0, "index", "html");</script>'
    )
    pages = parse_listing(html, "http://a.gov.cn/col/index.html").pages
    assert isinstance(pages, Series)
    assert len(pages) == 999_998
    assert pages[-1].url == "http://a.gov.cn/col/index_999998.html"


@pytest.mark.parametrize(
    "address",
    ["2002:7f00:1::1", "2002:a00:1::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "::127.0.0.1", "192.0.0.8",
     "192.0.0.170", "198.18.0.1", "100.64.0.1", "64:ff9b:1::a00:1", "2001:db8::1", "192.88.99.1"],
)  # fmt: skip
def test_ssrf_guard_refuses_embedded_and_special_addresses(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is not None


def test_nat64_and_6to4_of_public_addresses_pass() -> None:
    assert address_refusal(ipaddress.ip_address("64:ff9b::5db8:d822")) is None  # 93.184.216.34
    assert address_refusal(ipaddress.ip_address("2002:5db8:d822::1")) is None


def test_dns_answer_6to4_loopback_is_refused() -> None:
    async def rebinding(host: str) -> list[str]:
        return ["2002:7f00:1::1"]

    decision = asyncio.run(check_scope("http://portal.example/", allow_private=False, resolver=rebinding))
    assert not decision.allowed
    assert "127.0.0.1" in (decision.reason or "")


@pytest.mark.parametrize(
    "host", ["0177.0.0.1", "2130706433", "0x7f.1", "0x7f000001", "127.1", "017700000001"]
)
def test_non_canonical_ipv4_is_refused_even_with_allow_private(host: str) -> None:
    decision = asyncio.run(check_scope(f"http://{host}/", allow_private=True))
    assert not decision.allowed
    assert "non-canonical IPv4" in (decision.reason or "")


def test_seed_with_credentials_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    async def main() -> tuple[SiteCrawl, int]:
        async with Fetcher(POLICY) as fetcher:
            crawl = await crawl_site(
                "http://user:pw@127.0.0.1:9/", fetcher=fetcher, archive=RawArchive(tmp_path)
            )
            return crawl, fetcher.requests_sent

    crawl, sent = asyncio.run(main())
    [failure] = crawl.failures
    assert sent == 0
    assert failure.error is ErrorKind.OUT_OF_SCOPE
    assert "credentials" in failure.reason
    assert "credentials" in (url_refusal("https://a:b@www.gov.cn/") or "")


def _deflate(data: bytes, wbits: int) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", lambda d: _deflate(d, zlib.MAX_WBITS)),
        ("deflate", lambda d: _deflate(d, -zlib.MAX_WBITS)),  # raw deflate, as some servers send
        ("gzip, gzip", lambda d: gzip.compress(gzip.compress(d))),
        ("deflate, gzip", lambda d: gzip.compress(_deflate(d, zlib.MAX_WBITS))),
        ("identity", lambda d: d),
        ("br-unknown", lambda d: d),  # unknown codings pass through, as httpx does
    ],
)
def test_bounded_decoder_round_trips_in_small_chunks(encoding: str, encode: object) -> None:
    body = "某某县2023年政府信息公开工作年度报告 ".encode() * 5000
    raw = encode(body)  # type: ignore[operator]
    decoder = BoundedDecoder(encoding, max_bytes=len(body))
    out = b"".join(decoder.feed(raw[i : i + 777]) for i in range(0, len(raw), 777)) + decoder.flush()
    assert out == body


def test_bounded_decoder_stops_a_bomb_within_one_step_of_the_cap() -> None:
    bomb = bomb_body(1 << 30)
    decoder = BoundedDecoder("gzip, gzip", max_bytes=10_000_000)

    def feed_all() -> None:
        for i in range(0, len(bomb), 1024):
            decoder.feed(bomb[i : i + 1024])

    with pytest.raises(TooLargeError):
        feed_all()
    assert decoder.size <= 10_000_000 + STEP


def test_bounded_decoder_names_a_corrupt_body() -> None:
    with pytest.raises(DecodeError, match="gzip"):
        BoundedDecoder("gzip", max_bytes=1000).feed(b"\x1f\x8b\x08\x00garbage-not-deflate")


def test_a_page_that_raises_costs_only_itself(
    sim: HostileSim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poison page (listed first, a 5,000-digit count) made the extractor raise ValueError (Python's
    int-string limit).  The extractor now reads that count as text, so an undocumented extractor error is
    injected for that page alone: it is that page's failure row, at stage parse, and the three genuine
    reports after it are loaded."""
    import gxbg.pipeline.process as process

    real = process.parse_report

    def parse_or_raise(text: str) -> object:
        if re.search(r"[0-9]{1000}", text):
            raise ValueError("Exceeds the limit (4300 digits) for integer string conversion")
        return real(text)

    monkeypatch.setattr(process, "parse_report", parse_or_raise)
    h = harvest(sim, "poison", tmp_path)
    assert loaded_titles(h) == TITLES
    [failure] = h.failures
    assert str(failure["url"]).endswith("/poison/r/poison.html")
    assert failure["stage"] == "parse"
    assert h.outcome.errors == 1


def test_the_poison_page_itself_now_parses_with_its_giant_count_unread(
    sim: HostileSim, tmp_path: Path
) -> None:
    h = harvest(sim, "poison", tmp_path)
    assert h.failures == []
    assert set(TITLES) < set(loaded_titles(h))  # the genuine three, and the poison page's own report


# ---------------------------------------------------------------- storage faults


def test_every_bit_flip_in_an_archived_body_is_an_archive_error_or_harmless(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path / "raw")
    body = (Path(__file__).resolve().parents[2] / "gxbg/sim/sites" / GENUINE[0][1]).read_bytes()
    digest = archive.put(body)
    path = archive.path_for(digest)
    good = path.read_bytes()
    errors: list[str] = []
    for position in range(0, len(good), max(1, len(good) // 400)):
        for bit in (0, 3, 7):
            flipped = bytearray(good)
            flipped[position] ^= 1 << bit
            path.write_bytes(bytes(flipped))
            try:
                read = archive.get(digest)
            except ArchiveError as exc:  # any other exception fails the test
                errors.append(str(exc))
                continue
            assert read == body  # a flip in a gzip header field changes nothing; never a wrong body
    assert len(errors) > 100
    assert all(digest in e for e in errors)
    assert any("zlib" in e or "error" in e.lower() for e in errors)
    path.write_bytes(good[: len(good) // 2])  # truncated: EOFError inside gzip
    with pytest.raises(ArchiveError, match=digest):
        archive.get(digest)


def test_a_refetch_replaces_a_corrupt_archived_body(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path / "raw")
    digest = archive.put(b"report body " * 100)
    path = archive.path_for(digest)
    path.write_bytes(gzip.compress(b"something else"))  # wrong digest
    with pytest.raises(ArchiveError, match="does not match"):
        archive.get(digest)
    assert archive.put(b"report body " * 100) == digest
    assert archive.get(digest) == b"report body " * 100


def test_reparse_skips_a_corrupt_body_names_it_and_goes_on(sim: HostileSim, tmp_path: Path) -> None:
    store = new_store(tmp_path, "reparse")
    h = harvest(sim, "pager", tmp_path, store=store)
    assert loaded_titles(h) == TITLES
    archive = RawArchive(tmp_path / "raw")
    items = store.stale_versions("0.0.0-none")  # every version: none was parsed by that version
    assert len(items) == 3
    victim = items[0]
    path = archive.path_for(victim["document_sha256"])
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x10
    path.write_bytes(bytes(raw))
    outcome = reparse_versions(items, archive=archive, sink=store)
    assert outcome.reparsed == 2
    [error] = outcome.errors
    assert (error["version_id"], error["url"]) == (victim["version_id"], victim["source_url"])
    assert victim["document_sha256"] in error["reason"]


def test_a_full_database_is_a_failure_never_success(sim: HostileSim, tmp_path: Path) -> None:
    """SQLite's max_page_count makes the database full for real (SQLITE_FULL): no report is counted
    loaded, every report is a failed outcome at stage load, and the portal's run ends normally."""
    import sqlalchemy as sa

    store = new_store(tmp_path, "full")
    with store.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    def limit(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]

    sa.event.listen(store.engine, "connect", limit)
    store.engine.dispose()
    h = harvest(sim, "pager", tmp_path, store=store)
    assert h.outcome.loaded == 0
    assert [r.status for r in h.outcome.reports] == ["failed"] * 3
    assert all("full" in (r.reason or "") for r in h.outcome.reports), [r.reason for r in h.outcome.reports]
    assert h.outcome.errors == 3


def test_an_archive_that_cannot_be_written_is_a_recorded_failure(sim: HostileSim, tmp_path: Path) -> None:
    """A real OSError from the filesystem (the archive's ``sha256`` directory is a file, as a full or
    broken disk would refuse the write): each page that cannot be archived is a ``storage`` failure,
    recorded in the database; the crawl and the run end normally."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sha256").write_text("not a directory")
    h = harvest(sim, "pager", tmp_path)
    assert h.outcome.loaded == 0
    assert h.failures
    assert {f["error"] for f in h.failures} == {"storage"}
    assert all("not archived" in str(f["reason"]) for f in h.failures)


def test_a_deep_genuine_column_is_walked_to_the_asked_year(sim: HostileSim, tmp_path: Path) -> None:
    """Pages of other years' reports are evidence that the pager is real: a --years 2019 crawl walks
    past 24 pages of 2024 reports to the 2019 ones on page 25."""
    from gxbg.sim.hostile import DEEP_YEAR_PAGE

    async def main() -> SiteCrawl:
        async with Fetcher(POLICY) as fetcher:
            return await crawl_site(
                sim.seed("deep"), fetcher=fetcher, archive=RawArchive(tmp_path), years={2019}
            )

    crawl = asyncio.run(main())
    assert sorted(r.item.url.rsplit("/", 1)[1] for r in crawl.reports) == [
        f"{DEEP_YEAR_PAGE}_{k}.html" for k in range(5)
    ]
    assert crawl.failures == ()
