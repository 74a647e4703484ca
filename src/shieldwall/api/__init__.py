"""The HTTP API: composes each package's router (its http.py)."""

from shieldwall.api.app import create_app

__all__ = ["create_app"]
