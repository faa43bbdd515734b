"""CLI verbs for ranking (registered by :func:`register`)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this area's commands to the `evaluator` parser."""
