"""Making and compressing a large deck's slides on two cores.

Writing markup and deflating it is most of the time a large deck takes, and each slide
is independent once the layout is done. So a forked helper process takes every other
slide, and the results are merged back into slide order: the package is byte for byte
the one a single process writes. Small decks, machines with one core and systems
without ``fork`` write in one process.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator

from ..interrupt import Interrupted, quiet_helper_signals
from .archive import Member

PARALLEL_FROM = 300
"""Slides from which a second process pays for its start."""


def compressed_slides(count: int, members_of: Callable[[int], list[Member]]) -> Iterator[Member]:
    """The members of slides ``0 .. count - 1`` in order; *members_of* gives one slide's."""
    if count < PARALLEL_FROM or not _can_fork():
        for index in range(count):
            yield from members_of(index)
        return
    with tempfile.TemporaryFile() as spool:  # unlinked at once: nothing is left on disk
        helper = os.fork()
        if helper == 0:
            _helper(spool, count, members_of)
        try:
            mine = [members_of(index) for index in range(0, count, 2)]
            _, status = os.waitpid(helper, 0)
        except BaseException:  # an error, Ctrl-C or SIGTERM: the helper stops with us
            _stop(helper)
            raise
        if status != 0:
            raise RuntimeError("the helper process that writes every other slide failed")
        spool.seek(0)
        theirs = pickle.load(spool)
    for index in range(count):
        yield from (mine if index % 2 == 0 else theirs)[index // 2]


def _helper(spool, count: int, members_of: Callable[[int], list[Member]]) -> None:
    """In the forked process: the odd slides into *spool*, then exit without cleanup
    (the parent owns every open file and the output)."""
    status = 1
    try:
        quiet_helper_signals()
        pickle.dump(
            [members_of(index) for index in range(1, count, 2)], spool, protocol=pickle.HIGHEST_PROTOCOL
        )
        spool.flush()
        status = 0
    except Interrupted:  # stopped before its handlers were quietened: the parent says so
        pass
    except BaseException:  # reported by the parent as a failure; the details go to stderr
        traceback.print_exc(file=sys.stderr)
    finally:
        os._exit(status)


def _stop(helper: int) -> None:
    """End the helper and reap it, so that no process lingers after cardforge."""
    import signal

    try:
        os.kill(helper, signal.SIGKILL)  # it holds nothing that needs cleaning up
        os.waitpid(helper, 0)
    except OSError:
        pass


def _can_fork() -> bool:
    if not hasattr(os, "fork") or os.environ.get("CARDFORGE_JOBS") == "1":
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS: no affinity masks
        cores = os.cpu_count() or 1
    return cores > 1
