"""Per-database settings (the ``setting`` table: role, device id, pinned keys, kit state …)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import Setting


def get_setting(s: Session, key: str, default: Any = None) -> Any:
    row = s.get(Setting, key)
    return default if row is None else row.value


def set_setting(s: Session, key: str, value: Any) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
