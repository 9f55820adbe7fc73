"""``python -m gxbg.sim [demo|full] [port]``: serve the simulated portals by hand and print the seeds."""

from __future__ import annotations

import sys
import time

from gxbg.sim import serve


def main(argv: list[str]) -> None:
    profile = argv[0] if argv else "demo"
    port = int(argv[1]) if len(argv) > 1 else 8000
    with serve(port=port, profile=profile) as sim:
        print(
            f"serving profile {profile!r} at {sim.base_url} (cross-host server {sim.other_url}); Ctrl-C stops"
        )
        for seed in sim.seeds:
            print(f"  {seed.archetype} {seed.name:16} {seed.url}  ({len(seed.expected)} reports)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
