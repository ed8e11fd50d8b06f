"""Problems found in user input, reported as ``FILE:LINE:COLUMN: severity: message``.

Every stage of the pipeline (reading YAML, validating, resolving references, fitting text)
adds to one :class:`Report`, so that a user sees every problem at once instead of fixing
them one run at a time.

A message states the problem and, after ``"; "``, what to do about it ("unknown key
`skilz`; did you mean `skills`?"). The two parts are kept apart in :class:`Diagnostic` so
that editors and CI can show the suggestion on its own (``cardforge validate --format json``).
Every diagnostic has a stable code; :data:`CODES` says what each means.
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


CODES: dict[str, str] = {
    # Errors: the deck cannot be built as written.
    "CF401": "The file cannot be read: missing, a folder, too large, not UTF-8 text, binary or empty.",
    "CF402": "Not YAML that a deck may use: a syntax error, anchors or aliases, tags, duplicate keys, "
    "tab indentation, or an unquoted `#` colour (a comment to YAML).",
    "CF403": "An unknown key; the message names the closest known key.",
    "CF404": "A value of the wrong kind or form: a missing required key, a list where text is expected, "
    "an invalid id, link, number, colour or slide size.",
    "CF405": "A reference to something that does not exist: a persona id, colour, architecture, component, "
    "environment, section or theme.",
    "CF406": "Something defined twice: a persona id, team, process, architecture, component or grant.",
    "CF407": "A path that may not be used or names no file: absolute, leaving the deck's folder, or missing.",
    "CF408": "A theme file that cannot be used: a logo that is not a sound PNG or JPEG, a font that is not "
    "TrueType or OpenType, a template without a title-only layout, or a loop of `extends:`.",
    "CF409": "A command-line value that cannot be used: the output file, an `--only` section or persona, "
    "a print option.",
    # Import errors (`cardforge import`): nothing is written.
    "CF501": "An import source cannot be read: missing, a folder, too large, empty, of an unknown kind, or "
    "with more rows or columns than a deck can hold.",
    "CF502": "A workbook that cannot be opened: not a workbook, password-protected, an old .xls file, "
    "damaged, or without the sheet `--sheet` names.",
    "CF503": "An import source that is not UTF-8 text; the message names the encoding it seems to be in.",
    "CF504": "No personas where some are expected: a table without a persona column, a row or card "
    "without a persona name, or sources with no persona table or card at all.",
    "CF505": "A persona id (or, without ids, a name) used twice in one table or one file's cards, or an id "
    "already used by a different persona.",
    "CF506": "An imported value that a deck cannot hold: an invalid id, a name or notes too long, a grant "
    "for an unknown persona, a deck over the size limit.",
    # Import warnings: the deck is written, but the author should check.
    "CF551": "A column or card field that names no persona field (or one already given); its text is kept "
    "in the persona's notes.",
    "CF552": "A label or value read by its closest match: a misspelt column, colour or category.",
    "CF553": "Sources disagree about a persona (its id, name or a field); the first value is kept.",
    "CF554": "A value the deck cannot hold where it stood (an unknown architecture or kind, a learning entry "
    "without a link, a link with a bad scheme, a field this cardforge does not read yet); kept in "
    "the notes.",
    "CF555": "A persona without an id was given the next free one.",
    "CF556": "A team name close to another team's but not equal to it: usually one team spelt two ways.",
    "CF557": "A table row with more cells than its header (a shifted column); the extra text is kept in the "
    "notes.",
    "CF558": "A Markdown table that names no persona fields was not imported.",
    "CF559": "A worksheet that records cells beyond 20,000 rows or 200 columns; the part beyond is not read.",
    # Warnings: the deck builds, but the author should know.
    "CF001": "A persona's team is close to a known team but not equal to it; it becomes a team of its own.",
    "CF002": "A persona's process is close to a known process but not equal to it; it becomes an ad-hoc "
    "process.",
    "CF201": "Text was shortened to fit its box; the full text is in the speaker notes.",
    "CF202": "Part of a persona does not fit the front of its printed card; the card points to the handout.",
    "CF203": "A link too long for a QR code that scans at the printed card's size; the card has no code.",
    "CF301": "No metrics for a theme font: text is measured with a stand-in font and a safety margin.",
    "CF302": "A palette colour on which neither dark nor light text reaches 4.5:1 contrast.",
}
"""Every code cardforge reports, with its meaning; persona lint adds CF1xx
(:data:`cardforge.model.lint.KINDS`)."""


@dataclass(frozen=True)
class Diagnostic:
    file: str
    position: Position
    severity: Severity
    message: str
    code: str = ""
    suggestion: str = ""
    """What to do about it, where cardforge can say ("did you mean `skills`?")."""

    def __str__(self) -> str:
        advice = f"; {self.suggestion}" if self.suggestion else ""
        code = f" [{self.code}]" if self.code else ""
        where = f"{self.file}:{self.position.line}:{self.position.column}"
        return f"{where}: {self.severity}: {self.message}{advice}{code}"

    def as_dict(self) -> dict[str, object]:
        """The diagnostic as JSON-ready data, for editors and CI."""
        return {
            "file": self.file,
            "line": self.position.line,
            "column": self.position.column,
            "severity": self.severity,
            "code": self.code or None,
            "message": self.message,
            "suggestion": self.suggestion or None,
        }


def _split(message: str) -> tuple[str, str]:
    """``"problem; advice"`` -> ``("problem", "advice")``."""
    problem, _, advice = message.partition("; ")
    return problem, advice


@dataclass
class Report:
    """Collects diagnostics for one run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, position: Position, message: str, code: str) -> None:
        """Add an error; *message* is ``"problem"`` or ``"problem; what to do"``."""
        problem, advice = _split(message)
        self.diagnostics.append(Diagnostic(file, position, "error", problem, code, advice))

    def warning(self, file: str, position: Position, message: str, code: str) -> None:
        """Add a warning; *message* is ``"problem"`` or ``"problem; what to do"``."""
        problem, advice = _split(message)
        self.diagnostics.append(Diagnostic(file, position, "warning", problem, code, advice))

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
