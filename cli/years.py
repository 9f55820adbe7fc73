"""Parse the ``--years`` option."""

from __future__ import annotations


def parse_years(spec: str) -> list[int]:
    """``2023`` → [2023]; ``2019-2021`` → [2019, 2020, 2021]; ``2019,2021`` → [2019, 2021].

    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    >>> parse_years("2021, 2019")
    [2019, 2021]
    >>> parse_years("1990")
    Traceback (most recent call last):
    ...
    ValueError: year 1990 in '1990' is outside 2000-2100
    >>> parse_years("2021-2019")
    Traceback (most recent call last):
    ...
    ValueError: year range '2021-2019' runs backwards: write 2019-2021
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
        for year in (lo, hi):
            if not 2000 <= year <= 2100:
                raise ValueError(f"year {year} in {part!r} is outside 2000-2100")
        if lo > hi:
            raise ValueError(f"year range {part!r} runs backwards: write {hi}-{lo}")
        years.update(range(lo, hi + 1))
    if not years:
        raise ValueError("no years given")
    return sorted(years)
