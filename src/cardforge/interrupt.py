"""Signals that stop a run: Ctrl-C (SIGINT), SIGTERM and SIGHUP.

Each becomes one exception, :class:`Interrupted`, raised where the program stands, so that
every ``finally`` and context manager on the way out runs: the temporary file beside the
output is removed, the helper process that writes every other slide is stopped, and
LibreOffice (with its profile folder) is ended. The command line then says so in one line
and exits with 128 + the signal number (130, 143, 129), the old output untouched.

:class:`Interrupted` is not a :class:`KeyboardInterrupt`: the command-line framework turns
those into a silent exit, and a message would be lost.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOPPING = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(BaseException):
    """The run was stopped by a signal (a :class:`BaseException`, like Ctrl-C's own)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as shells report a process a signal ended."""
        return 128 + self.signum

    @property
    def verb(self) -> str:
        verbs = {int(signal.SIGINT): "interrupted", int(signal.SIGTERM): "terminated"}
        return verbs.get(self.signum, f"stopped by {signal.Signals(self.signum).name}")


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """Within the block, the first stopping signal raises :class:`Interrupted`; further ones
    are ignored while the way out cleans up. Outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if stopping:
            return  # already on the way out: let the clean-up finish
        stopping.append(signum)
        raise Interrupted(signum)

    previous = {}
    for signum in STOPPING:
        try:
            previous[signum] = signal.signal(signum, handler)
        except (OSError, ValueError):  # not settable here
            continue
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def quiet_helper_signals() -> None:
    """In a forked helper process: leave stopping to the parent. Ctrl-C reaches the whole
    process group; the parent stops its helper with SIGTERM, which ends it at once (no
    handler, no traceback). If the parent dies, so does the helper (Linux)."""
    for signum in STOPPING:
        try:
            signal.signal(signum, signal.SIG_IGN if signum == signal.SIGINT else signal.SIG_DFL)
        except (OSError, ValueError):
            continue
    _die_with_parent()


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux
        pass
