"""Shieldwall: open, self-hostable, AI-assisted cyber defense."""

__version__ = "0.1.0"

__all__ = ["__version__"]
