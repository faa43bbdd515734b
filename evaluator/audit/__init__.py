"""The audit trail: who changed what, when, from which device, the old and new value, and why.

* :mod:`.chain` — the append-only, hash-chained log and its one entry builder (re-exported here:
  ``audit.append``, ``audit.append_many``, ``audit.lock``, ``audit.verify`` …);
* :mod:`.anchors` — the chain's head signed with the database's own key at each package export,
  kit export, merge and round sign-off, so that a truncated or rewritten tail shows;
* :mod:`.replay` — every score, evaluation state, decision and override replayed from the chain
  and compared with the records, so that an edit made behind the trail's back shows;
* :mod:`.check` — the full check (chain, anchors, replay) that ``evaluator audit verify`` runs and
  a laptop runs before it signs a result package.

Only the chain is imported here (everything writes it); the other modules are imported where used.
"""

from .chain import (
    GENESIS, PG_LOCK_KEY, AuditVerification, append, append_many, entry_hash, link, lock, new_entry, verify,
    verify_entries, verify_since,
)

__all__ = ["GENESIS", "PG_LOCK_KEY", "AuditVerification", "append", "append_many", "entry_hash", "link", "lock",
           "new_entry", "verify", "verify_entries", "verify_since"]
