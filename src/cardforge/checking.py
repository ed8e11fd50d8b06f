"""``cardforge validate``: check a deck without building it, lint included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import DeckError, Diagnostic, Report


@dataclass
class DeckCheck:
    """The outcome of checking one deck file."""

    file: Path
    personas: int | None
    """How many personas the deck has, or ``None`` when it did not load."""
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def summary(self, strict: bool) -> str:
        counts = f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"
        if self.personas is None or self.errors:
            return f"{self.file}: {counts}; it cannot be built"
        verdict = "failing because of --strict" if self.failed(strict) else "ok"
        return (
            f"{self.file}: {_count(self.personas, 'persona')}, {_count(self.warnings, 'warning')}; {verdict}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "personas": self.personas,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def check_deck(path: Path, theme: str | None = None) -> DeckCheck:
    """Load *path* (with *theme* instead of its own, if given) and lint it."""
    from .load import load_deck
    from .model.lint import lint, report_findings

    report = Report()
    try:
        deck = load_deck(path, theme=theme, report=report)
    except DeckError as error:
        return DeckCheck(path, None, error.report.sorted())
    report_findings(deck, lint(deck), report)
    return DeckCheck(path, len(deck.personas), report.sorted())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
