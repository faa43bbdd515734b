"""Façade methods for ranking and selection (mixed into :class:`evaluator.store.Store`)."""


class RankingOps:
    pass
