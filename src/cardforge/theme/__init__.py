"""Themes: colour roles, persona palette, fonts, slide size, logo and base template."""

from .model import Theme, Font, SlideSize
from .load import load_theme, builtin_theme_names

__all__ = ["Theme", "Font", "SlideSize", "load_theme", "builtin_theme_names"]
