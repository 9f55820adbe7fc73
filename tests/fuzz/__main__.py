"""``python -m tests.fuzz [--n N] [--seed S] [--save DIR]``: the long form of the extractor fuzzer.

Prints its figures (inputs, documented parse errors, unexpected exceptions, slow inputs, numbers not
printed in the input, peak RSS) and exits 1 when any unexpected exception, hang or unprinted number
was found.  ``make fuzz`` runs it with ``--n 20000``; ``FUZZ_N=100000 make fuzz`` for the full run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.fuzz.harness import Figures, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="inputs to try (default 20000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one)")
    parser.add_argument("--save", type=Path, default=None, help="write each failing input to this folder")
    parser.add_argument("--clean-share", type=float, default=0.2, help="share of HTML inputs also cleaned")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int.from_bytes(__import__("os").urandom(4), "big")
    print(f"fuzzing {args.n} inputs, seed {seed}", flush=True)

    def progress(f: Figures) -> None:
        print(
            f"  {f.inputs} inputs: {sum(f.unexpected.values())} unexpected exceptions, {f.hangs} hangs, "
            f"{f.slow} slow, {f.violations} numbers not printed ({f.cells} values checked), "
            f"slowest {f.slowest:.2f} s",
            file=sys.stderr,
            flush=True,
        )

    figures = run(args.n, seed, clean_share=args.clean_share, save=args.save, progress=progress)
    print(figures.summary())
    failed = sum(figures.unexpected.values()) + figures.hangs + figures.violations
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
