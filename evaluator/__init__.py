"""Maeul Evaluator core: domain, storage, scoring, import/export, reports, packages and CLI.

This package never imports Qt.  Start with :class:`evaluator.Store`.
"""

from .version import __version__

__all__ = ["Store", "__version__"]


def __getattr__(name: str):  # lazy, so `evaluator --version` stays instant
    if name == "Store":
        from .store import Store

        return Store
    raise AttributeError(name)
