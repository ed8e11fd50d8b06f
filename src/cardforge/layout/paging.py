"""Splitting rows over pages: the fewest pages, filled evenly.

A greedy split fills every page but the last, which can end up holding one row ("Access in
Dev (4 of 4)"). Here the page count is the greedy one, and the rows are then spread so that
the fullest page is as empty as it can be: every page holds about the same.
"""

from __future__ import annotations


def greedy_pages(heights: list[int], available: int) -> list[list[int]]:
    """Row indexes in order, a new page whenever the next row does not fit under *available*."""
    pages: list[list[int]] = [[]]
    used = 0
    for row, height in enumerate(heights):
        if pages[-1] and used + height > available:
            pages.append([])
            used = 0
        pages[-1].append(row)
        used += height
    return pages if pages[-1] else []


def balanced_pages(heights: list[int], available: int, parts: int | None = None) -> list[list[int]]:
    """Row indexes split into the fewest pages of at most *available*, as evenly as possible;
    or, given *parts*, into that many pages (when the rows allow) of about equal height.

    The smallest page limit that still needs no more pages than wanted is found by
    bisection; each try is one linear pass, so the cost is linear times a logarithm.
    """
    pages = greedy_pages(heights, available)
    wanted = max(len(pages), parts or 0)
    if wanted <= 1:
        return pages
    high = available
    low = min(high, max(max(heights), -(-sum(heights) // wanted)))
    while low < high:
        middle = (low + high) // 2
        if len(greedy_pages(heights, middle)) <= wanted:
            high = middle
        else:
            low = middle + 1
    return greedy_pages(heights, low)


def even_chunks(count: int, per_page: int) -> list[range]:
    """``range(count)`` in the fewest chunks of at most *per_page*, sizes differing by one at most."""
    if count <= 0:
        return []
    pages = -(-count // max(1, per_page))
    size, extra = divmod(count, pages)
    chunks, start = [], 0
    for index in range(pages):
        end = start + size + (1 if index < extra else 0)
        chunks.append(range(start, end))
        start = end
    return chunks
