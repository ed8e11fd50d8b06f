"""``cardforge watch``: rebuild a deck whenever it, or anything it uses, changes.

The files watched are the deck and every file its theme was read from (the theme files
along ``extends:``, the logo, font files and template), found again after each build, so a
deck that switches theme is followed to the new one. Folders are watched rather than files,
because editors save by writing a new file and renaming it over the old one.

A deck that does not load is reported in the usual ``FILE:LINE:COLUMN`` form and the last
good output stays in place; the next save that fixes it builds again.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .console import print_diagnostics, say
from .diagnostics import DeckError, Report

DEBOUNCE_MS = 300
"""Changes closer together than this are one save (editors write in several steps)."""
POLL_MS = 500
"""How often the watched files' modification times are compared, besides file events."""


@dataclass
class WatchJob:
    """What to build on each change, and where."""

    deck: Path
    output: Path
    theme: str | None = None
    only: list[str] | None = None
    png: Path | None = None
    dpi: int = 110

    def run(self, last_watched: frozenset[Path] = frozenset()) -> frozenset[Path]:
        """Build once, report the outcome, and return the files to watch from now on."""
        started = time.perf_counter()
        try:
            watched = self._build()
        except DeckError as error:
            print_diagnostics(error.report.sorted())
            errors = len(error.report.errors)
            kept = f"{self.output} is unchanged" if self.output.exists() else "nothing was written"
            say(f"{errors} error{'s' if errors != 1 else ''}; {kept}; waiting for the next change", "red")
            return last_watched | {self.deck.resolve()}
        finally:
            gc.collect()  # the command line turns automatic collection off for one-shot builds
        say(f"waiting for changes ({time.perf_counter() - started:.1f} s)", "dim")
        return watched

    def _build(self) -> frozenset[Path]:
        from .api import build
        from .load import load_deck

        report = Report()
        deck = load_deck(self.deck, theme=self.theme, report=report)
        sections = self._sections(deck)
        result = build(deck, self.output, sections=sections, report=report)
        print_diagnostics(report.sorted())
        say(f"wrote {self.output} ({result.slides} slides)", "green")
        if self.png is not None:
            self._render()
        return frozenset(path.resolve() for path in (self.deck, *deck.theme.files))

    def _sections(self, deck: Any) -> list[Any] | None:
        if not self.only:
            return None
        from .model.sections import sections_from_choices

        report = Report()
        sections = sections_from_choices(self.only, deck.personas, deck.architectures, report)
        if not report.ok:
            raise DeckError(report)
        return sections

    def _render(self) -> None:
        import tempfile

        from .export.libreoffice import ExportError, pdf_to_pngs, pptx_to_pdf

        assert self.png is not None
        with tempfile.TemporaryDirectory(prefix="cardforge-watch-") as work:
            try:
                pdf = pptx_to_pdf(self.output, Path(work) / f"{self.output.stem}.pdf")
                pages = pdf_to_pngs(pdf, self.png, self.dpi, prefix=self.output.stem)
            except ExportError as error:
                say(f"error: {error}", "red")
                return
        say(f"wrote {len(pages)} pictures to {self.png}", "green")


def _only(files: frozenset[Path]) -> Callable[[Any, str], bool]:
    """A filter that lets through changes to *files* alone (their folders hold other files too)."""
    return lambda _change, name: Path(name).resolve() in files


State = dict[Path, tuple[int, int]]


def _state(files: frozenset[Path]) -> State:
    """Modification time and size of each file (-1 when missing), to notice any change."""
    state = {}
    for path in files:
        try:
            info = path.stat()
            state[path] = (info.st_mtime_ns, info.st_size)
        except OSError:
            state[path] = (-1, -1)
    return state


def _build(job: WatchJob, watched: frozenset[Path]) -> tuple[frozenset[Path], State]:
    """Build once; the files to watch next, and their state as the build read them.

    The state of files already watched is taken before the build, so that a save made
    while it runs is not mistaken for what it read.
    """
    before = _state(watched | {job.deck.resolve()})
    now = job.run(watched)
    after = _state(now - before.keys())
    return now, {path: before[path] if path in before else after[path] for path in now}


def watch(job: WatchJob, *, stop_event: Any = None) -> None:
    """Build *job*, then again on every change, until Ctrl-C (or *stop_event* is set).

    File events wake the loop at once; the files' modification times are also compared
    twice a second, which catches a change made before the watcher was ready and works
    where the file system sends no events (network drives).
    """
    import watchfiles

    watched, state = _build(job, frozenset())
    while True:
        folders = sorted({path.parent for path in watched if path.parent.is_dir()})
        say(f"watching {len(watched)} file{'s' if len(watched) != 1 else ''}; Ctrl-C stops", "dim")
        changes = watchfiles.watch(
            *folders,
            watch_filter=_only(watched),
            recursive=False,
            debounce=DEBOUNCE_MS,
            rust_timeout=POLL_MS,
            yield_on_timeout=True,
            stop_event=stop_event,
        )
        for _ in changes:
            if _state(watched) == state:
                continue
            now, state = _build(job, watched)
            if now != watched:
                watched = now
                break
        else:
            return
