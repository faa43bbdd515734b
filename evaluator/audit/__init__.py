"""The audit trail: who changed what, when, from which device, the old and new value, and why.

* :mod:`.chain` — the append-only, hash-chained log and its one entry builder (re-exported here:
  ``audit.append``, ``audit.append_many``, ``audit.lock``, ``audit.verify`` …).
"""

from .chain import (
    GENESIS, PG_LOCK_KEY, AuditVerification, append, append_many, entry_hash, link, lock, new_entry, verify,
    verify_entries, verify_since,
)

__all__ = ["GENESIS", "PG_LOCK_KEY", "AuditVerification", "append", "append_many", "entry_hash", "link", "lock",
           "new_entry", "verify", "verify_entries", "verify_since"]
