"""Who is acting: every session has a named actor.

* **SQLite** (an office PC, a laptop): the person chosen or created when the session starts
  (their name and role, kept in ``office_person``) together with the operating-system account the
  program runs under.  Until someone is chosen the account alone names the actor.  Roles on a
  SQLite file are recorded, not enforced: whoever may open the file may change it (the file's own
  permissions are the boundary) — an office that needs enforced roles uses PostgreSQL.
* **PostgreSQL**: the database login *is* the identity, and its role (coordinator, chair, viewer)
  is the server's: membership of the group roles ``evaluator admin grant`` creates
  (:mod:`evaluator.privacy.pgroles`).  The server refuses what the role may not do.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..messages import msg

COORDINATOR = "coordinator"
CHAIR = "chair"
VIEWER = "viewer"
ROLES = (COORDINATOR, CHAIR, VIEWER)
#: the role of whoever acts on a field database (the kit's evaluator)
EVALUATOR = "evaluator"


@dataclass(frozen=True)
class Actor:
    """Who acts in a session: ``name`` (the person, or the database login), ``role`` ("" when not
    known), ``account`` (the operating-system account, or ``login@host`` on PostgreSQL) and how
    the name was found (``person``: chosen or given; ``account``: nobody chosen yet; ``login``)."""

    name: str
    role: str = ""
    account: str = ""
    source: str = "account"

    @property
    def label(self) -> str:
        """How the audit trail and the access log name the actor: the person with the account they
        work under ("김민지 (minji)"), or the account or login alone."""
        if self.source == "person" and self.account and self.account != self.name:
            return f"{self.name} ({self.account})"[:200]
        return self.name[:200]

    @property
    def can_write(self) -> bool:
        return self.role != VIEWER

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "account": self.account, "source": self.source,
                "label": self.label}


def os_account() -> str:
    """The operating-system account this program runs under (never raises)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry, no environment: still a session
        return os.environ.get("USERNAME") or os.environ.get("USER") or f"uid {os.getuid() if hasattr(os, 'getuid') else '?'}"


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(msg("privacy.not_a_role", "'{role}' is not a role; use one of {roles}.", role=role,
                                  roles=", ".join(ROLES)))
    return role


def check_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError(msg("privacy.person_needs_name", "A person needs a name (it names them in the audit "
                                  "trail and the access log)."))
    if len(name) > 100:
        raise ValidationError(msg("privacy.name_too_long", "The name '{start}…' is longer than 100 characters.",
                                  start=name[:40]))
    return name


def person_role(s: Session, name: str) -> str | None:
    """The role of the registered person ``name`` (None when not registered)."""
    from .models import OfficePerson

    return s.execute(select(OfficePerson.role).where(OfficePerson.name == name,
                                                     OfficePerson.active.is_(True))).scalar()


def postgres_login(s: Session, database: str) -> Actor:
    """The login of this PostgreSQL session and its role in this database (see
    :func:`evaluator.privacy.pgroles.group_role`)."""
    from .pgroles import group_role

    login, host = s.execute(text("SELECT current_user, coalesce(inet_server_addr()::text, 'local')")).one()
    names = {group_role(database, r): r for r in ROLES}
    held = set(s.execute(text(
        "SELECT r.rolname FROM pg_roles r WHERE r.rolname = ANY(:names) AND pg_has_role(current_user, r.oid, 'MEMBER')"),
        {"names": list(names)}).scalars())
    role = next((names[n] for n in (group_role(database, r) for r in (CHAIR, COORDINATOR, VIEWER)) if n in held), "")
    return Actor(name=str(login), role=role, account=f"{login}@{host}", source="login")


__all__ = ["Actor", "CHAIR", "COORDINATOR", "EVALUATOR", "ROLES", "VIEWER", "check_name", "check_role", "os_account",
           "person_role", "postgres_login"]
