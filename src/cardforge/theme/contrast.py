"""WCAG 2 contrast: pick dark or light text for a fill, and measure how readable it is."""

from __future__ import annotations

from functools import lru_cache

MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


@lru_cache(maxsize=4096)
def luminance(hex_colour: str) -> float:
    """Relative luminance of ``RRGGBB`` (a leading ``#`` is allowed)."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@lru_cache(maxsize=4096)
def text_on(fill: str, dark: str = "1A1A1A", light: str = "FFFFFF") -> str:
    """The one of *dark* and *light* that reads better on *fill*."""
    return dark if contrast(fill, dark) >= contrast(fill, light) else light


def best_contrast(fill: str, dark: str = "1A1A1A", light: str = "FFFFFF") -> float:
    return max(contrast(fill, dark), contrast(fill, light))


def darken_to_contrast(colour: str, background: str, target: float = 3.0) -> str:
    """*colour* darkened just enough to reach *target* contrast on *background* (for lines)."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    for _ in range(40):
        current = f"{r:02X}{g:02X}{b:02X}"
        if contrast(current, background) >= target:
            return current
        r, g, b = (int(c * 0.9) for c in (r, g, b))
    return "000000"
