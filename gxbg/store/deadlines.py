"""The publication deadline rules: when the year-N report is due, and what a found report's dates say.

The statuses a portal can have for a report year (:data:`STATUSES`, explained in :mod:`gxbg.store.status`),
the statutory deadline by registry level (:func:`publication_deadline`), the China calendar date of a
timestamp and the judgement of one found report against its deadline (:func:`judge`).  Pure: no
database, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = [
    "CHINA",
    "FIRST_REPORT_YEAR",
    "STATUSES",
    "STATUS_MEANING",
    "Deadline",
    "china_date",
    "judge",
    "publication_deadline",
]

CHINA = ZoneInfo("Asia/Shanghai")

#: Every status, in the order the CLI lists them.
STATUSES = ("late", "on_time", "on_time_by_date", "undated", "not_due", "not_found", "not_harvested")
#: What each status means, one line each (CLI legend, docs).
STATUS_MEANING = {
    "late": "printed date after the deadline (certain)",
    "on_time": "first fetched on or before the deadline (certain)",
    "on_time_by_date": "dated by the deadline but first seen after it: posting date unknown",
    "undated": "no printed date, first seen after the deadline",
    "not_due": "nothing found yet, and the deadline has not passed",
    "not_found": "a finished harvest covered it and stored no report for the year",
    "not_harvested": "no finished harvest covered it for the year",
}
#: The first report year (the 2007 条例 took effect on 2008-05-01).
FIRST_REPORT_YEAR = 2008


@dataclass(frozen=True, slots=True)
class Deadline:
    """The last day (China date) a year's report may be published, and the rule that says so."""

    date: dt.date
    rule: str


def publication_deadline(year: int, level: str) -> Deadline:
    """The statutory publication deadline of the report for ``year`` by a unit of registry ``level``.

    Source: /work/shared/reference/report-format.md §1 ("Report year ≠ publication year"), which
    marks these dates **unverified**:

    * report years ≥ 2019 (published in N+1 under the 2019 《政府信息公开条例》, in force 2019-05-15),
      第四十九条: departments (level ``department``) by 31 January N+1; local governments (levels
      ``national``, ``province``, ``city``, ``county``, ``township``) by 31 March N+1;
    * report years ≤ 2018 (the 2007 条例, 第三十一条/第三十二条): 31 March N+1 for all.

    >>> publication_deadline(2023, "department").date, publication_deadline(2023, "county").date
    (datetime.date(2024, 1, 31), datetime.date(2024, 3, 31))
    >>> publication_deadline(2018, "department").date
    datetime.date(2019, 3, 31)
    """
    if year >= 2019:
        if level == "department":
            return Deadline(
                dt.date(year + 1, 1, 31), "2019 条例 第四十九条: departments by 31 Jan N+1 (unverified)"
            )
        return Deadline(
            dt.date(year + 1, 3, 31), "2019 条例 第四十九条: local governments by 31 Mar N+1 (unverified)"
        )
    return Deadline(dt.date(year + 1, 3, 31), "2007 条例: 31 Mar N+1 for all (unverified)")


def china_date(stamp: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of an aware timestamp (naive ones are taken as UTC)."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(CHINA).date()


def judge(published: dt.date | None, first_seen: dt.date, deadline: dt.date) -> str:
    """The status of one found report (``first_seen`` is a China date).

    >>> d = dt.date(2024, 3, 31)
    >>> judge(dt.date(2024, 4, 1), dt.date(2024, 1, 1), d)  # dated after: late, whatever we saw
    'late'
    >>> judge(dt.date(2024, 3, 1), dt.date(2024, 3, 31), d), judge(None, dt.date(2024, 2, 1), d)
    ('on_time', 'on_time')
    >>> judge(dt.date(2024, 3, 1), dt.date(2024, 4, 1), d), judge(None, dt.date(2024, 4, 1), d)
    ('on_time_by_date', 'undated')
    """
    if published is not None and published > deadline:
        return "late"
    if first_seen <= deadline:
        return "on_time"
    return "on_time_by_date" if published is not None else "undated"
