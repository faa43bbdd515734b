"""After selection: awards (one per selected application, created by a round's sign-off),
disbursements (tranches, never above the award), the settlement and the support log
(``docs/follow-up.md``).

* :mod:`.model` — the plain values the façade hands out (``AwardInfo`` …);
* :mod:`.service` — the work, given a session (creating awards at sign-off, amounts, statuses,
  a reserve stepping in, tranches, support sessions);
* :mod:`.ops` — the façade's area, ``store.awards``.
"""
