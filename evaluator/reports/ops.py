"""Façade methods for PDF reports (mixed into :class:`evaluator.store.Store`)."""


class ReportOps:
    pass
