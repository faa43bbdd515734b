"""Façade methods for Excel import and export (mixed into :class:`evaluator.store.Store`)."""


class ExcelOps:
    pass
