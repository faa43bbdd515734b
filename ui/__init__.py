"""The PySide6 desktop app: a thin layer over the core façade (``evaluator.Store``)."""
