"""Ranking and selection: aggregation, flags, eligibility, quotas, reserves, reasons, overrides and
the stability of the cut line (rules in ``docs/ranking.md``).

* :mod:`.model` — the result dataclasses everyone reads (``store.rank() -> RankingResult``);
* :mod:`.inputs` and :func:`.engine.rank_track` — the pure engine, one track of plain inputs in;
* :mod:`.stability` — the cut-line analysis; :mod:`.scoring` — what the engine and the analysis
  share (counted evaluations, score keys, the selection rule); :mod:`.stats` — the arithmetic;
* :mod:`.reasons` — the one builder of the decisions' reasons (structured, stored as JSON, put
  into English or Korean words); :mod:`.labels` — the other words: names, notes;
* :mod:`.load` — bulk loading from and storing to the database; :mod:`.ops` — the façade mixin.

Imports go one way: engine → stability → scoring → stats; model → reasons → labels.
"""
