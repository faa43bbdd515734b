"""Roles on PostgreSQL, enforced by the server: ``evaluator admin grant USER coordinator|chair|viewer``.

Each office database gets three group roles (NOLOGIN), named after the database so that two
office databases on one server never share one (:func:`group_role`); a login is made a member of
exactly one of them.  What each may do is a GRANT (or, for what a GRANT cannot say, a trigger), so
the server refuses it whatever program the login uses:

* **viewer** — reads everything; writes nothing but its own access-log entries (a view of personal
  data is logged by the viewer's own session).
* **coordinator** — everything the office does day to day: imports, assignments, kits, merges,
  recording the ranking, purges; the audit trail and the access log only by appending (no UPDATE or
  DELETE of an entry, ever).  It may not override a committee decision nor sign a round off (a
  trigger on ``decision``, ``program`` and ``program_round`` says so).
* **chair** — reads everything; overrides and clears overrides (``decision``), records the
  ranking, signs a round off (``evaluator round sign-off``: the round's status, who signed and
  when; and the sign-off date the retention rules count from, in the program's settings), and appends to the audit trail and access log.  It may
  not import, merge, build kits or change applications, evaluations and scores.

Run by the database owner (or a superuser): it creates the group roles and the login when
missing, sets every privilege again (so running it after an upgrade covers the new tables), and
makes the login a member of its one role.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..errors import PermissionDenied, ValidationError
from .identity import CHAIR, COORDINATOR, ROLES, VIEWER, check_role
from ..messages import msg

#: tables only ever appended to (never updated or deleted by anyone but the owner)
APPEND_ONLY = ("audit_event", "audit_anchor", "access_event")
#: what the chair writes besides appending to the trails
CHAIR_WRITES = {"decision": ("INSERT", "UPDATE"), "audit_personal": ("INSERT",),
                "audit_subject": ("INSERT", "UPDATE"), "program_round": ("UPDATE",)}
_LOGIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")


def group_role(database: str, role: str) -> str:
    """The group role of ``role`` in ``database`` (at most 63 bytes, as PostgreSQL allows)."""
    slug = re.sub(r"[^a-z0-9]+", "_", database.lower()).strip("_")[:28] or "db"
    tag = hashlib.sha256(database.encode()).hexdigest()[:6]
    return f"maeul_{slug}_{tag}_{role}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(s: Session) -> list[str]:
    return list(s.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                               "ORDER BY tablename")).scalars())


def _guards(s: Session, chair: str) -> None:
    """The triggers for what a GRANT cannot say: only a chair (or the owner) changes an override
    or the program's sign-off date, and only a chair signs a round off (or a signed-off round
    changes)."""
    owner = "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = TG_TABLE_NAME)"
    allowed = f"pg_has_role(current_user, {_lit(chair)}, 'MEMBER') OR current_user = {owner}"
    s.execute(text(f"""
CREATE OR REPLACE FUNCTION maeul_guard_override() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (TG_OP = 'INSERT' AND NEW.override IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND (NEW.override IS DISTINCT FROM OLD.override
                               OR NEW.override_reason IS DISTINCT FROM OLD.override_reason)) THEN
    IF NOT ({allowed}) THEN
      RAISE EXCEPTION 'only a chair overrides a committee decision (login %)', current_user
        USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$fn$"""))
    s.execute(text(f"""
CREATE OR REPLACE FUNCTION maeul_guard_sign_off() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (NEW.settings::jsonb -> 'signed_off_on') IS DISTINCT FROM (OLD.settings::jsonb -> 'signed_off_on') THEN
    IF NOT ({allowed}) THEN
      RAISE EXCEPTION 'only a chair signs a round off (login %)', current_user USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$fn$"""))
    s.execute(text(f"""
CREATE OR REPLACE FUNCTION maeul_guard_round_sign_off() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (NEW.status IS DISTINCT FROM OLD.status AND 'signed_off' IN (NEW.status, OLD.status))
     OR NEW.signed_off_at IS DISTINCT FROM OLD.signed_off_at
     OR NEW.signed_off_by IS DISTINCT FROM OLD.signed_off_by THEN
    IF NOT ({allowed}) THEN
      RAISE EXCEPTION 'only a chair signs a round off (login %)', current_user USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$fn$"""))
    s.execute(text("DROP TRIGGER IF EXISTS maeul_guard_override ON decision"))
    s.execute(text("CREATE TRIGGER maeul_guard_override BEFORE INSERT OR UPDATE ON decision FOR EACH ROW "
                   "EXECUTE FUNCTION maeul_guard_override()"))
    s.execute(text("DROP TRIGGER IF EXISTS maeul_guard_sign_off ON program"))
    s.execute(text("CREATE TRIGGER maeul_guard_sign_off BEFORE UPDATE ON program FOR EACH ROW "
                   "EXECUTE FUNCTION maeul_guard_sign_off()"))
    if "program_round" in _tables(s):
        s.execute(text("DROP TRIGGER IF EXISTS maeul_guard_round_sign_off ON program_round"))
        s.execute(text("CREATE TRIGGER maeul_guard_round_sign_off BEFORE UPDATE ON program_round FOR EACH ROW "
                       "EXECUTE FUNCTION maeul_guard_round_sign_off()"))


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _privileges(s: Session, groups: dict[str, str]) -> None:
    tables = _tables(s)
    everyone = ", ".join(_q(g) for g in groups.values())
    s.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    for t in tables:
        s.execute(text(f"REVOKE ALL ON {_q(t)} FROM {everyone}"))
        s.execute(text(f"GRANT SELECT ON {_q(t)} TO {everyone}"))
    s.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everyone}"))
    coordinator, chair = _q(groups[COORDINATOR]), _q(groups[CHAIR])
    for t in tables:
        if t == "alembic_version":
            continue
        if t in APPEND_ONLY:
            s.execute(text(f"GRANT INSERT ON {_q(t)} TO {coordinator}, {chair}"))
        else:
            s.execute(text(f"GRANT INSERT, UPDATE, DELETE ON {_q(t)} TO {coordinator}"))
    for t, what in CHAIR_WRITES.items():
        if t in tables:
            s.execute(text(f"GRANT {', '.join(what)} ON {_q(t)} TO {chair}"))
    if "program" in tables:  # the sign-off date (a trigger keeps the rest of the settings' meaning)
        s.execute(text(f"GRANT UPDATE (settings) ON program TO {chair}"))
    if "access_event" in tables:  # a viewer's own views are logged by the viewer's session
        s.execute(text(f"GRANT INSERT ON access_event TO {_q(groups[VIEWER])}"))
    s.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}"))


def grant(s: Session, database: str, user: str, role: str, *, password: str | None = None) -> dict[str, object]:
    """Make ``user`` (a login, created when missing) the ``role`` of ``database``; sets every
    privilege of the three group roles again.  Returns what was done."""
    check_role(role)
    if not _LOGIN.match(user or ""):
        raise ValidationError(msg("privacy.bad_login_name", "'{user}' cannot name a PostgreSQL login (letters, digits "
                                  "and _ . @ - only, at most 63 characters, not starting with a digit).", user=user))
    is_owner = s.execute(text(
        "SELECT rolsuper OR pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = "
        "current_database()), 'MEMBER') FROM pg_roles WHERE rolname = current_user")).scalar()
    if not is_owner:
        raise PermissionDenied(msg("privacy.owner_grants_roles", "Only the owner of the database {database} (or a "
                                   "superuser) may grant roles; connect as the owner.", database=database))
    groups = {r: group_role(database, r) for r in ROLES}
    made = []
    for r, g in groups.items():
        if s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :g"), {"g": g}).first() is None:
            s.execute(text(f"CREATE ROLE {_q(g)} NOLOGIN"))
            made.append(g)
    created = s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": user}).first() is None
    if created:
        s.execute(text(f"CREATE ROLE {_q(user)} LOGIN"))
    if password is not None:
        s.execute(text(f"ALTER ROLE {_q(user)} PASSWORD {_lit(password)}"))
    for r, g in groups.items():
        if r != role:
            s.execute(text(f"REVOKE {_q(g)} FROM {_q(user)}"))
    s.execute(text(f"GRANT {_q(groups[role])} TO {_q(user)}"))
    _privileges(s, groups)
    _guards(s, groups[CHAIR])
    return {"user": user, "role": role, "group": groups[role], "login_created": created, "groups_created": made}


def revoke(s: Session, database: str, user: str) -> list[str]:
    """Take every role of ``database`` from ``user`` (the login itself stays)."""
    groups = [group_role(database, r) for r in ROLES]
    taken = []
    for g in groups:
        if s.execute(text("SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u "
                          "ON u.oid = m.member WHERE r.rolname = :g AND u.rolname = :u"), {"g": g, "u": user}).first():
            s.execute(text(f"REVOKE {_q(g)} FROM {_q(user)}"))
            taken.append(g)
    return taken


def members(s: Session, database: str) -> list[tuple[str, str]]:
    """(login, role) of every member of this database's group roles."""
    out = []
    for r in ROLES:
        for (login,) in s.execute(text(
                "SELECT u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u "
                "ON u.oid = m.member WHERE g.rolname = :g ORDER BY u.rolname"), {"g": group_role(database, r)}):
            out.append((login, r))
    return out


__all__ = ["APPEND_ONLY", "grant", "group_role", "members", "revoke"]
