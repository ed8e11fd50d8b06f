"""``python -m cardforge`` and the ``cardforge`` executable."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from .cli import main


def command() -> None:
    """The ``cardforge`` executable: :func:`main`, then an immediate exit where that is safe.

    Freeing a large build's objects one by one at interpreter exit takes a tenth of a
    second or more; the operating system reclaims the memory at once. Output files are
    complete by then (written and renamed), so nothing is lost by skipping the teardown,
    unless a profiler, tracer or coverage tool is watching: those write their results at
    exit, so the run then ends the ordinary way. For the same reason the cycle collector
    stays off for the run: reading and laying out a deck make millions of small objects
    without cycles, and the collector's passes over them grow with the deck (a third of the
    time of reading 5000 personas).
    """
    gc.disable()
    status = 0
    try:
        main()
    except SystemExit as exit_info:
        status = _exit_status(exit_info.code)
    if _observed():
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nobody is reading any more
            stream.flush()
    os._exit(status)


def _observed() -> bool:
    """True when a profiler, tracer or coverage tool watches this process."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+: cProfile and coverage use it
    if monitoring is None:
        return False
    return any(monitoring.get_tool(tool) is not None for tool in range(6))


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    # `python -m cardforge` is how profilers and debuggers run cardforge
    # (`python -m cProfile -m cardforge build ...`): exit the ordinary way.
    main()
