"""Ranking and selection: aggregation, flags, eligibility, quotas, reserves, reasons, overrides and
the stability of the cut line (rules in ``docs/ranking.md``).

* :mod:`.model` — the result dataclasses everyone reads (``store.rank() -> RankingResult``);
* :mod:`.inputs` and :func:`.engine.rank_track` — the pure engine, one track of plain inputs in;
* :mod:`.stability` — the cut-line analysis; :mod:`.stats` — the arithmetic;
* :mod:`.load` — bulk loading from and storing to the database; :mod:`.ops` — the façade mixin;
* :mod:`.labels` — the English and Korean words of reasons and notes.
"""
