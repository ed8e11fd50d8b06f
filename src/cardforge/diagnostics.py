"""Problems found in user input, reported as ``FILE:LINE:COLUMN: severity: message``.

Every stage of the pipeline (reading YAML, validating, resolving references, fitting text)
adds to one :class:`Report`, so that a user sees every problem at once instead of fixing
them one run at a time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Position(NamedTuple):
    """A 1-based line and column in a file (a tuple: a large deck has one per value)."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Diagnostic:
    file: str
    position: Position
    severity: Severity
    message: str
    code: str = ""

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return (
            f"{self.file}:{self.position.line}:{self.position.column}: {self.severity}: {self.message}{code}"
        )


@dataclass
class Report:
    """Collects diagnostics for one run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, position: Position, message: str, code: str = "") -> None:
        self.diagnostics.append(Diagnostic(file, position, "error", message, code))

    def warning(self, file: str, position: Position, message: str, code: str = "") -> None:
        self.diagnostics.append(Diagnostic(file, position, "warning", message, code))

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in file order, duplicates removed."""
        unique = dict.fromkeys(self.diagnostics)
        return sorted(unique, key=lambda d: (d.file, d.position, d.severity != "error"))


class DeckError(Exception):
    """Raised when input has errors; carries the full report."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__("\n".join(str(d) for d in report.sorted() if d.severity == "error"))


def did_you_mean(word: str, choices: Iterable[str], *, quote: str = "`") -> str:
    """Return ``"; did you mean `x`?"`` for the closest choice, or an empty string."""
    best = closest(word, choices)
    return f"; did you mean {quote}{best}{quote}?" if best else ""


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like *word*, compared case-insensitively, if any is close enough."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    matches = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[matches[0]] if matches else None
