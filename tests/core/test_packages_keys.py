"""Keys: private keys only in passphrase-encrypted key files, fingerprints to read aloud, the office
pins evaluators' public keys (from a key file, or from a first package after confirming the
fingerprint) and verifies with the pinned key only."""

from __future__ import annotations

import os
import re
import stat

import pytest
from cryptography.hazmat.primitives import serialization as ser

from evaluator.packages import keys as K
from evaluator.packages.errors import KeyProblem, WrongPassphrase
from evaluator.packages.merge import unseal
from evaluator.packages.results import MERGED
from evaluator.store import Store

from .packages_fixtures import PASS, copy_db, tiny_office, url

FP = re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("keys")
    key_dir = root / "keys"
    office, pkg = tiny_office(root, key_dir)
    return root, key_dir, office, pkg


def test_a_key_file_holds_only_encrypted_private_keys_and_opens_with_its_passphrase(tmp_path):
    ident = K.generate_identity(tmp_path, PASS, owner="EV07")
    path = tmp_path / "evaluator-EV07.key"
    text = path.read_text()
    raw = ident.signing_key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
    assert "ENCRYPTED PRIVATE KEY" in text and "BEGIN PRIVATE KEY" not in text
    assert raw not in path.read_bytes() and raw.hex() not in text
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert FP.match(ident.fingerprint)
    again = K.load_identity(tmp_path, PASS, owner="EV07")
    assert again.fingerprint == ident.fingerprint and again.info.signing_public == ident.info.signing_public
    assert K.read_key_info(tmp_path, "EV07").fingerprint == ident.fingerprint  # no passphrase needed
    with pytest.raises(WrongPassphrase, match="does not open the key file"):
        K.load_identity(tmp_path, "wrong passphrase", owner="EV07")
    with pytest.raises(KeyProblem, match="already exists"):
        K.generate_identity(tmp_path, PASS, owner="EV07")
    with pytest.raises(KeyProblem, match="at least 8 characters"):
        K.generate_identity(tmp_path, "short", owner="EV08")
    with pytest.raises(KeyProblem, match="cannot name a key"):
        K.generate_identity(tmp_path, PASS, owner="../office")
    office = K.generate_identity(tmp_path, PASS, owner="office")
    assert office.encryption_key is not None and office.info.encryption_public
    assert K.normalise_fingerprint(office.fingerprint.lower().replace("-", " ")) == office.fingerprint


def test_private_keys_are_never_in_a_database_a_kit_or_a_package(tiny):
    root, key_dir, office_path, pkg = tiny
    office_id = K.load_identity(key_dir, PASS, owner="office")
    ev_id = K.load_identity(key_dir, PASS, owner="EV01")
    secrets = [
        office_id.signing_key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption()),
        office_id.encryption_key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption()),
        ev_id.signing_key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption()),
    ]
    blobs = {p.name: p.read_bytes() for p in root.iterdir() if p.suffix in (".sqlite3", ".mekit", ".mepkg")
             or p.name.endswith("-wal")}
    _, manifest, sig, members = unseal(pkg.read_bytes(), office_id, "test")
    blobs.update({f"package:{n}": b for n, b in members.items()})
    assert len(blobs) >= 6
    for name, blob in blobs.items():
        for secret in secrets:
            assert secret not in blob and secret.hex().encode() not in blob, name
        assert b"PRIVATE KEY" not in blob, name
    # the public halves are where they belong
    with Store(url(office_path)) as st:
        assert st.keys.identity(key_dir=key_dir).fingerprint == office_id.fingerprint
        assert [e.key_fingerprint for e in st.people.evaluators()] == [ev_id.fingerprint]


def test_registering_a_key_from_a_file_checks_owner_fingerprint_and_uniqueness(tiny, tmp_path):
    root, key_dir, office_path, _ = tiny
    office = Store(url(copy_db(office_path, tmp_path / "office.sqlite3")))
    office.people.put_evaluator("EV02", "나평가")
    ev2 = K.generate_identity(tmp_path, PASS, owner="EV02")
    pub = K.write_public_key(ev2.info, tmp_path / "EV02.pub")
    with pytest.raises(KeyProblem, match="belongs to EV02, not EV01"):
        office.keys.register_evaluator("EV01", pub)
    with pytest.raises(KeyProblem, match="not AAAA-BBBB-CCCC-DDDD; nothing was registered"):
        office.keys.register_evaluator("EV02", pub, "AAAA BBBB CCCC DDDD")
    info = office.keys.register_evaluator("EV02", pub, ev2.fingerprint.lower()).value
    assert info.fingerprint == ev2.fingerprint
    # a PEM public key works too; one key cannot serve two evaluators
    pem = ev2.signing_key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(KeyProblem, match="already registered for EV02"):
        office.keys.register_evaluator("EV01", pem)
    office_pub = K.write_public_key(K.read_key_info(key_dir, "office"), tmp_path / "office.pub")
    with pytest.raises(KeyProblem, match="office's key"):
        office.keys.register_evaluator("EV02", office_pub)
    garbage = tmp_path / "garbage.pub"
    garbage.write_text("hello")
    with pytest.raises(KeyProblem, match="not a public key file"):
        office.keys.register_evaluator("EV02", garbage)
    assert {e.code: e.key_fingerprint for e in office.people.evaluators()}["EV02"] == ev2.fingerprint
    office.close()


def test_a_first_package_from_an_unregistered_evaluator_is_held_until_its_fingerprint_is_confirmed(tiny, tmp_path):
    root, key_dir, office_path, pkg = tiny
    path = copy_db(office_path, tmp_path / "office.sqlite3")
    ev_fp = K.read_key_info(key_dir, "EV01").fingerprint
    with Store(url(path)) as office:
        with office.uow.write() as s:  # forget EV01's key
            from evaluator.db.models import Evaluator

            ev = s.query(Evaluator).filter_by(code="EV01").one()
            ev.public_key = ev.key_fingerprint = None
        [r] = office.packages.merge([pkg], passphrase=PASS, key_dir=key_dir).value
        assert r.rejected and "not registered yet" in r.reason and ev_fp in r.reason and "keys register" in r.reason
        with pytest.raises(KeyProblem, match="needs the fingerprint"):
            office.keys.register_evaluator("EV01", pkg)
        with pytest.raises(KeyProblem, match="nothing was registered"):
            office.keys.register_evaluator("EV01", pkg, "AAAA-BBBB-CCCC-DDDD")
        info = office.keys.register_evaluator("EV01", pkg, ev_fp).value
        assert info.fingerprint == ev_fp
        [r] = office.packages.merge([pkg]).value
        assert r.status == MERGED


def test_the_key_must_be_unlocked_and_must_be_the_one_the_database_pinned(tiny, tmp_path):
    root, key_dir, office_path, pkg = tiny
    with Store(url(copy_db(office_path, tmp_path / "office.sqlite3"))) as office:
        with pytest.raises(KeyProblem, match="locked"):
            office.packages.merge([pkg])
        with pytest.raises(WrongPassphrase):
            office.packages.merge([pkg], passphrase="not the passphrase", key_dir=key_dir)
        K.generate_identity(tmp_path / "elsewhere", PASS, owner="office")
        with pytest.raises(KeyProblem, match="use the right key folder"):
            office.keys.unlock(PASS, key_dir=tmp_path / "elsewhere")
        assert office.keys.unlock(PASS, key_dir=key_dir).fingerprint == office.keys.identity(key_dir=key_dir).fingerprint
        office.keys.lock()
        with pytest.raises(KeyProblem, match="locked"):
            office.packages.merge([pkg])


def test_a_key_file_nested_deep_or_huge_is_one_sentence_not_a_crash(tmp_path):
    from evaluator.packages import keys as K
    from evaluator.packages.errors import KeyProblem

    deep = tmp_path / "deep.pub"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(KeyProblem, match="is not a public key file"):
        K.parse_public_key(deep.read_bytes(), f"The public key file {deep}")
    folder = tmp_path / "keys"
    folder.mkdir()
    (folder / "office.key").write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    with pytest.raises(KeyProblem, match="nested too deeply|not a key file"):
        K.load_identity(folder, "passphrase", owner=K.OFFICE)
    (folder / "office.key").write_bytes(b" " * 200_000)
    with pytest.raises(KeyProblem, match="at most"):
        K.load_identity(folder, "passphrase", owner=K.OFFICE)
