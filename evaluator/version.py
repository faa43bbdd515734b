"""The one place the application's version is defined (pyproject reads it too)."""

__version__ = "0.1.0"
