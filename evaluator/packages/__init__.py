"""Offline field work: keys, field kits, signed and encrypted result packages, and the merge.

* :mod:`.keys` — identities (Ed25519 signing keys; the office's X25519 encryption key), key files
  encrypted under a passphrase, fingerprints to read aloud;
* :mod:`.kit` — field kits (office → evaluator) and :func:`.kit.import_kit`, which creates or
  updates a field database;
* :mod:`.package` — result packages (evaluator → office), built on the laptop;
* :mod:`.envelope` — the encrypted envelope (X25519 + HKDF + AES-GCM);
* :mod:`.archive` — safe reading of the ZIP archives inside kits and packages;
* :mod:`.merge` — verification and the all-or-nothing, per-record merge, as a pipeline of steps:
  :mod:`.incoming` (what a package carries, checked strictly), :mod:`.ownership` (a package changes
  only its own evaluator's records), :mod:`.plan` (the decision per record);
* :mod:`.ops` — the façade areas ``store.keys`` and ``store.packages``.

The formats are documented in docs/package-format.md, the workflow in docs/field-workflow.md.
"""
