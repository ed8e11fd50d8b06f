"""Themes: colour roles, persona palette, fonts, slide size, logo and base template."""

from .load import builtin_theme_names, load_theme
from .model import Font, SlideSize, Theme

__all__ = ["Font", "SlideSize", "Theme", "builtin_theme_names", "load_theme"]
