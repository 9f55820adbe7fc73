"""Parse the ``--years`` option."""

from __future__ import annotations


def parse_years(spec: str) -> list[int]:
    """``2023`` → [2023]; ``2019-2021`` → [2019, 2020, 2021]; ``2019,2021`` → [2019, 2021].

    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    >>> parse_years("2021, 2019")
    [2019, 2021]
    """
    years: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            lo, hi = int(first), int(last or first)
        except ValueError:
            raise ValueError(f"not a year or range: {part!r} (use 2023, 2019-2024 or 2019,2021)") from None
        if not (2000 <= lo <= hi <= 2100):
            raise ValueError(f"year range {part!r} must be ascending and within 2000-2100")
        years.update(range(lo, hi + 1))
    if not years:
        raise ValueError("no years given")
    return sorted(years)
