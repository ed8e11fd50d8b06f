"""Wrap text into lines of a given width and find the largest size at which it fits.

Sizes are whole points. Lines break at spaces, after a hyphen between letters (as PowerPoint
and LibreOffice do: ``end-to-`` / ``end``), between CJK characters, and inside words that are
wider than a whole line (URLs), preferring a break after ``/``, ``-``, ``_`` or ``.``. A word
is otherwise never split: a box too narrow for its words is the layout's mistake to avoid.
"""

from __future__ import annotations

import re

from .measure import LINE_SPACING, Metrics

_WIDE = (
    "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
)
_TOKENS = re.compile(rf"[{_WIDE}][^\S\n]*|[^\s{_WIDE}]+[^\S\n]*|[^\S\n]+")
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_][-\u2010])(?=[^\W\d_])")
_SOFT_BREAKS = "/-_.?&=,;:"


def line_height(size: float) -> float:
    """Distance between baselines, in points, for text of *size* points."""
    return size * LINE_SPACING


def wrap(text: str, width: float, size: float, metrics: Metrics, bold: bool = False) -> list[str]:
    """Greedy line breaking of *text* into lines no wider than *width* points."""
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines.extend(_wrap_line(hard_line, width, size, metrics, bold))
    return lines


def _wrap_line(text: str, width: float, size: float, metrics: Metrics, bold: bool) -> list[str]:
    if metrics.width(text.rstrip(), size, bold) <= width:  # the common case: it fits as it is
        return [text.rstrip()]
    limit = width / size  # widths scale with size: compare them at 1 pt
    lines: list[str] = []
    current = ""
    current_width = 0.0  # of `current` with its trailing spaces: widths add up token by token
    for token, word, word_width, token_width in _measured_tokens(text, metrics, bold):
        if current and current_width + word_width <= limit:
            current += token
            current_width += token_width
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = token
        current_width = token_width
        if word and word_width > limit:
            pieces = _break_word(word, width, size, metrics, bold)
            lines.extend(pieces[:-1])
            current = pieces[-1] + token[len(word) :]
            current_width = metrics.width(current, 1, bold)
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


_TOKENIZED: dict[tuple, list[tuple[str, str, float, float]]] = {}


def _measured_tokens(text: str, metrics: Metrics, bold: bool) -> list[tuple[str, str, float, float]]:
    """*text*'s tokens (a word and the spaces after it), each with the word and the widths
    of word and token at 1 pt. Remembered: the same text is wrapped at several sizes."""
    key = (metrics, bold, text)
    found = _TOKENIZED.get(key)
    if found is None:
        space = metrics.width(" ", 1, bold)
        found = []
        for token in _tokens(text):
            word = token.rstrip()
            word_width = metrics.width(word, 1, bold) if word else 0.0
            tail = token[len(word) :]
            tail_width = 0.0 if not tail else space if tail == " " else metrics.width(tail, 1, bold)
            found.append((token, word, word_width, word_width + tail_width))
        if len(_TOKENIZED) > 200_000:
            _TOKENIZED.clear()
        _TOKENIZED[key] = found
    return found


def _tokens(text: str) -> list[str]:
    """*text* as break-free pieces, each a word (or part of a hyphenated word) with the
    spaces after it."""
    tokens = _TOKENS.findall(text)
    if "-" not in text and "\u2010" not in text:
        return tokens
    return [piece for token in tokens for piece in _HYPHEN_BREAK.split(token)]


def words_of(text: str) -> list[str]:
    """The pieces of *text* that a line never breaks inside (words, hyphenated parts)."""
    return [token.strip() for token in _tokens(text) if token.strip()]


def _break_word(word: str, width: float, size: float, metrics: Metrics, bold: bool) -> list[str]:
    """*word* cut into pieces no wider than *width*, preferring to cut after a soft break."""
    advances = [metrics.width(char, size, bold) for char in word]
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = start + 1
        used = advances[start]
        while end < len(word) and used + advances[end] <= width:
            used += advances[end]
            end += 1
        if end < len(word):
            soft = max(word.rfind(c, start, end) for c in _SOFT_BREAKS)
            if soft >= start + (end - start) // 2:
                end = soft + 1
        pieces.append(word[start:end])
        start = end
    return pieces


def ellipsize(text: str, width: float, size: float, metrics: Metrics, bold: bool = False) -> str:
    """*text* cut to fit on one line of *width* points, ending in an ellipsis if cut."""
    if metrics.width(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if metrics.width(text[:middle].rstrip() + "…", size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"
