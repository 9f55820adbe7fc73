"""Flow runs for the end-to-end alert test; run as a script with PREFECT_API_URL set by the caller.

Two harvest-error events go out through the real ``emit_harvest_event`` task (2 errors: under the
threshold of 3 the test installs; 5 errors: over it), then a flow run fails.
"""

from __future__ import annotations

from prefect import flow

from tasks.events import emit_harvest_event

PROBE_MESSAGE = "probe failure for the alert test"


@flow(name="gxbg-harvest-probe")
def harvest_probe(errors: int) -> bool:
    return emit_harvest_event({"run_id": None, "portals": [], "totals": {"errors": errors, "found": 9}})


@flow(name="gxbg-alert-probe")
def failing_probe() -> None:
    raise RuntimeError(PROBE_MESSAGE)


if __name__ == "__main__":
    assert harvest_probe(errors=2) is False
    assert harvest_probe(errors=5) is True
    assert failing_probe(return_state=True).is_failed()
