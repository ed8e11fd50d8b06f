"""What every resolving step shares: the document, the report, and the path map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Position, Report, did_you_mean
from ..spec.salvage import PathMap
from ..spec.yamlread import Document, PathKey


@dataclass
class Context:
    document: Document
    report: Report
    paths: PathMap

    def position(self, path: PathKey) -> Position:
        return self.document.position(self.paths.original(path))

    def error(self, path: PathKey, message: str, code: str) -> None:
        self.report.error(self.document.file, self.position(path), message, code)

    def key_error(self, path: PathKey, message: str, code: str) -> None:
        """An error at the key of *path* rather than at its value."""
        self.report.error(
            self.document.file, self.document.key_position(self.paths.original(path)), message, code
        )

    def warning(self, path: PathKey, message: str, code: str) -> None:
        self.report.warning(self.document.file, self.position(path), message, code)

    def unknown(self, name: str) -> bool:
        """True when *name* refers to nothing, not even to a part dropped for its own errors."""
        return not self.paths.is_dropped(name)


def architecture_hint(arch_id: str, known: Any) -> str:
    return did_you_mean(arch_id, known) or f"; known architectures: {', '.join(known)}"
