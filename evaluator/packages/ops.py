"""Façade methods for field kits, result packages, merge and keys (mixed into :class:`evaluator.store.Store`)."""


class PackageOps:
    pass
