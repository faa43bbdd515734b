"""Core services: functions that do one piece of work inside a session they are given.

They never create sessions or commit; the façade (:class:`evaluator.store.Store`) owns the unit
of work.  Bulk jobs (demo, imports, merges) call many of them inside one transaction.
"""
