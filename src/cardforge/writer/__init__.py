"""Writer: a laid-out presentation to a .pptx file, and nothing else."""

from .save import write_presentation

__all__ = ["write_presentation"]
