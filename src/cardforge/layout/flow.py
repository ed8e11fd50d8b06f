"""Flowing a list of blocks into columns and pages, as a newspaper does, balanced.

Slides that list many things (the organisation, a use case's stories) break their content
into units of known height and let this module place them: column after column, page after
page, headings kept with what follows them, a heading repeated ("continued") where its
content carries over. The column height is then lowered as far as the page count allows, so
that columns and pages come out evenly filled rather than one full page and a sparse last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Unit:
    """Something to place: a heading, a row, a gap. Heights are in EMU."""

    height: int
    item: Any
    keep_with_next: bool = False
    """A heading: never the last thing in a column."""
    repeat: Unit | None = None
    """Placed first when this unit would open a column (its group's heading, continued)."""
    gap: bool = False
    """Space between blocks: dropped at the top of a column."""


@dataclass(frozen=True)
class Placed:
    unit: Unit
    y: int
    """Offset from the top of the column, in EMU."""
    continued: bool = False
    """A repeated heading."""


Column = list[Placed]
Page = list[Column]


def flow(units: Sequence[Unit], columns: int, height: int) -> list[Page] | None:
    """Place *units* into pages of *columns* columns of *height*; ``None`` if one cannot fit."""
    pages: list[Page] = [[[]]]
    y = 0
    for index, unit in enumerate(units):
        column = pages[-1][-1]
        if unit.gap and not column:
            continue
        need = _chain_height(units, index)
        if y + need > height and column:
            y = _next_column(pages, columns)
            column = pages[-1][-1]
            if unit.gap:
                continue
        if not column and unit.repeat is not None:
            column.append(Placed(unit.repeat, y, continued=True))
            y += unit.repeat.height
        if y + unit.height > height:
            return None
        column.append(Placed(unit, y))
        y += unit.height
    return pages


def _chain_height(units: Sequence[Unit], index: int) -> int:
    """The unit's height with the headings-and-first-row chain that must stay with it."""
    total = 0
    for unit in units[index:]:
        total += unit.height
        if not unit.keep_with_next:
            break
    return total


def _next_column(pages: list[Page], columns: int) -> int:
    if len(pages[-1]) < columns:
        pages[-1].append([])
    else:
        pages.append([[]])
    return 0


def balanced(units: Sequence[Unit], columns: int, height: int) -> tuple[list[Page], int] | None:
    """The flow with the fewest pages, its columns as short (so as even) as that allows.

    Returns the pages and the column height used, or ``None`` when a unit is taller than
    *height*.
    """
    full = flow(units, columns, height)
    if full is None:
        return None
    low, high = 1, height
    while low < high:  # the lowest column height that needs no more pages
        middle = (low + high) // 2
        trial = flow(units, columns, middle)
        if trial is not None and len(trial) <= len(full):
            high = middle
        else:
            low = middle + 1
    best = flow(units, columns, high)
    assert best is not None
    return best, high
