"""Measuring paragraphs as the writer will draw them: wrapped, whole-point sizes, exact pitch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text.fit import line_height, wrap
from ..text.measure import Metrics, metrics_for
from ..theme import Theme
from .shapes import EMU_PER_PT, Paragraph

BULLET_INDENT_PT = 14
_WRAPPED: dict[tuple, list[str]] = {}
"""Wrapped lines by font metrics, text, width, size, weight and bullet: layouts try several
sizes and splits, and a deck repeats many texts."""


@dataclass(frozen=True)
class Fonts:
    """The theme's two font roles with their metrics."""

    heading: Metrics
    body: Metrics

    @classmethod
    def from_theme(cls, theme: Theme) -> Fonts:
        heading, body = theme.heading_font, theme.body_font
        return cls(
            metrics_for(heading.family, heading.file, heading.data),
            metrics_for(body.family, body.file, body.data),
        )

    def metrics(self, role: str) -> Metrics:
        return self.heading if role == "heading" else self.body

    def lines(self, paragraph: Paragraph, width_emu: int) -> list[str]:
        """The lines *paragraph* breaks into in a text area *width_emu* wide."""
        bold = paragraph.bold or any(run.bold for run in paragraph.runs)
        return self.wrapped(paragraph.text, width_emu, paragraph.size, paragraph.font, bold, paragraph.bullet)

    def wrapped(
        self,
        text: str,
        width_emu: int,
        size: int,
        role: str = "body",
        bold: bool = False,
        bullet: bool = False,
    ) -> list[str]:
        """The lines *text* breaks into in a text area *width_emu* wide."""
        metrics = self.metrics(role)
        key = (metrics, text, width_emu, size, bold, bullet)  # the face, not the role: themes differ
        cached = _WRAPPED.get(key)
        if cached is None:
            width = width_emu / EMU_PER_PT - (BULLET_INDENT_PT if bullet else 0)
            cached = wrap(text, width, size, metrics, bold)
            if len(_WRAPPED) > 500_000:
                _WRAPPED.clear()
            _WRAPPED[key] = cached
        return cached

    def height_pt(self, paragraphs: Iterable[Paragraph], width_emu: int) -> float:
        """Height in points of *paragraphs* stacked in a text area *width_emu* wide."""
        total = 0.0
        for index, paragraph in enumerate(paragraphs):
            if index:
                total += paragraph.space_before
            total += len(self.lines(paragraph, width_emu)) * line_height(paragraph.size)
        return total

    def width_pt(self, text: str, size: int, role: str = "body", bold: bool = False) -> float:
        return self.metrics(role).width(text, size, bold)
