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
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from . import limits

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
    "CF407": "A path that may not be used or names no file: absolute, leaving the deck's folder, missing, "
    "or a folder, named pipe or device rather than a file.",
    "CF408": "A theme file that cannot be used: a logo that is not a sound PNG or JPEG, a font that is not "
    "TrueType or OpenType, a template without a title-only layout, or a loop of `extends:`.",
    "CF409": "A command-line or environment value that cannot be used: the output file, an `--only` section "
    "or persona, a print option, SOURCE_DATE_EPOCH.",
    "CF410": "Larger than cardforge handles: a file, a list, a section or a whole deck beyond a limit; the "
    "message names the limit.",
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
    """``"problem; advice"`` -> ``("problem", "advice")``, each cut to a readable length."""
    problem, _, advice = message.partition("; ")
    return _cut(problem, limits.MESSAGE_CHARACTERS), _cut(advice, limits.MESSAGE_CHARACTERS)


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def shown(text: str, length: int = limits.ECHOED_CHARACTERS) -> str:
    """The user's *text* as a message repeats it: at most *length* characters, with the
    full length said when it is cut (``kkkk… (1,500,000 characters)``)."""
    text = str(text)
    if len(text) <= length:
        return text
    return f"{text[: length - 1]}… ({len(text):,} characters)"


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


@dataclass(frozen=True)
class Shown:
    """The diagnostics to show of a larger set, and a count of the rest by severity and code."""

    diagnostics: list[Diagnostic]
    omitted: Counter[tuple[str, str]]

    @property
    def summary(self) -> str:
        """``"and 149,900 more errors not shown: 149,900 [CF403] unknown key"``, or ``""``."""
        if not self.omitted:
            return ""
        counts: Counter[str] = Counter()
        for (severity, _), count in self.omitted.items():
            counts[severity] += count
        total = " and ".join(
            f"{count:,} more {severity}{'s' if count != 1 else ''}"
            for severity, count in sorted(counts.items())
        )
        by_code = ", ".join(
            f"{count:,} [{code or 'no code'}]"
            for (_, code), count in sorted(self.omitted.items(), key=lambda item: (-item[1], item[0]))
        )
        return f"{total} not shown ({by_code})"

    def as_dict(self) -> dict[str, object]:
        """The omitted diagnostics as JSON-ready counts."""
        counts: Counter[str] = Counter()
        codes: Counter[str] = Counter()
        for (severity, code), count in self.omitted.items():
            counts[severity] += count
            codes[code] += count
        return {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "codes": dict(sorted(codes.items())),
        }


def capped(diagnostics: Iterable[Diagnostic], limit: int = limits.SHOWN_DIAGNOSTICS) -> Shown:
    """At most *limit* of *diagnostics* per file, errors before warnings, in file order.

    150,000 unknown keys are a handful of mistakes repeated (or a file that is not a deck);
    printing them all takes minutes and megabytes and hides the first, which is the one to
    fix. The rest are counted by code.
    """
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.file, []).append(diagnostic)
    kept: list[Diagnostic] = []
    omitted: Counter[tuple[str, str]] = Counter()
    for group in by_file.values():
        ranked = sorted(group, key=lambda d: (d.severity != "error", d.position))
        chosen = set(ranked[:limit])
        kept += [d for d in group if d in chosen]
        for diagnostic in ranked[limit:]:
            omitted[(diagnostic.severity, diagnostic.code)] += 1
    return Shown(kept, omitted)


class DeckError(Exception):
    """Raised when input has errors; carries the full report."""

    def __init__(self, report: Report):
        self.report = report
        shown_errors = capped(d for d in report.sorted() if d.severity == "error")
        lines = [str(d) for d in shown_errors.diagnostics]
        if shown_errors.summary:
            lines.append(shown_errors.summary)
        super().__init__("\n".join(lines))


def did_you_mean(word: str, choices: Iterable[str], *, quote: str = "`") -> str:
    """Return ``"; did you mean `x`?"`` for the closest choice, or an empty string."""
    best = closest(word, choices)
    return f"; did you mean {quote}{best}{quote}?" if best else ""


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like *word*, compared case-insensitively, if any is close enough.

    Inside :func:`suggestion_budget`, each comparison spends from the budget, and none is
    made once it is spent: 120,000 unknown names among 3,000 ids would otherwise take
    minutes, for suggestions nobody reads past the first screen.
    """
    if _spent():
        return None
    folded = word.casefold()
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    if folded in by_folded:
        return by_folded[folded]
    if not _spend(len(by_folded)):
        return None
    matches = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=cutoff)
    return by_folded[matches[0]] if matches else None


_BUDGET: ContextVar[list[int] | None] = ContextVar("cardforge_suggestion_budget", default=None)


@contextmanager
def suggestion_budget(comparisons: int = limits.SUGGESTION_COMPARISONS) -> Iterator[None]:
    """Bound the name comparisons that :func:`closest` makes within the block."""
    token = _BUDGET.set([comparisons])
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _spent() -> bool:
    budget = _BUDGET.get()
    return budget is not None and budget[0] <= 0


def _spend(comparisons: int) -> bool:
    budget = _BUDGET.get()
    if budget is None:
        return True
    if budget[0] < comparisons:
        budget[0] = 0
        return False
    budget[0] -= comparisons
    return True
