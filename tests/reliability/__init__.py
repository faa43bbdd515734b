"""The reliability and security suite (issue 10): crashes, faults, hostile input, upgrades, encryption.

``make test`` runs every test here with small trial counts; ``make reliability`` runs the full
counts (``EVALUATOR_RELIABILITY_TRIALS=full``) and prints the figures recorded in
``docs/reliability.md``.  Helpers live in :mod:`tests.reliability.support`.
"""
