"""A field kit that carries applicants' personal data reveals none of it without its key.

A kit made with ``include_personal`` is encrypted: to the evaluator's registered key (the X25519
form of their Ed25519 key), or — the first kit, before the evaluator has a key — with a passphrase
the office sets.  Checked here: the bootstrap (no key, no passphrase: refused, nothing written, the
kit number not used up), that no representative, phone (also as bare digits), e-mail or address
appears in the file's bytes, that each way opens only with the right secret, that every single-byte
change of an encrypted kit is refused by name with nothing created, and that kits without personal
data stay plain signed-free ZIPs that import as before.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evaluator.cli import main
from evaluator.packages import kitseal
from evaluator.packages.errors import KeyProblem, KitRejected, WrongPassphrase
from evaluator.packages.keys import generate_identity, raw_public
from evaluator.packages.kit import KitUnlock, read_kit
from evaluator.workflows import import_kit
from evaluator.store import Store

from ..core.packages_fixtures import PASS
from .support import canonical_dump, record, seeded, trials

KIT_PASS = "office kit passphrase"
LAPTOP_PASS = "laptop key passphrase"
PERSONAL = ("representative", "phone", "email", "address")


def url(p: Path) -> str:
    return f"sqlite:///{p}"


@pytest.fixture
def office(demo_before_visits_template, tmp_path):
    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_before_visits_template, db)
    with Store(url(db)) as st:
        st.keys.ensure(PASS, key_dir=tmp_path / "office-keys")
        contacts = {}
        for a in st.people.assignments(evaluator="EV01"):
            if a.conflict_type is None:
                info = st.applications.get(a.application_id)
                contacts[a.application_id] = {f: getattr(info, f) for f in PERSONAL}
    return db, contacts


def secrets_of(contacts: dict) -> set[bytes]:
    """Every personal value as the bytes that would betray it (UTF-8, UTF-16, phone digits alone)."""
    out: set[bytes] = set()
    for values in contacts.values():
        for f, v in values.items():
            if not v:
                continue
            out |= {v.encode("utf-8"), v.encode("utf-16-le")}
            if f == "phone":
                out.add("".join(ch for ch in v if ch.isdigit()).encode())
    return out


def _laptop_key(tmp_path: Path, owner: str = "EV01"):
    return generate_identity(tmp_path / f"laptop-keys-{owner}", LAPTOP_PASS, owner=owner)


def test_without_a_registered_key_or_a_passphrase_nothing_is_written(office, tmp_path, capsys):
    db, _ = office
    before = canonical_dump(db)
    with Store(url(db)) as st, pytest.raises(kitseal.KitPassphraseNeeded, match="has no registered key yet"):
        st.packages.export_kit("EV01", tmp_path / "EV01.mekit", include_personal=True)
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(tmp_path / "EV01.mekit"), "--include-personal",
                 "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: A kit with applicants' contact data is encrypted") and err.count("\n") == 1, err
    assert not (tmp_path / "EV01.mekit").exists() and canonical_dump(db) == before  # kit number not used up
    with Store(url(db)) as st, pytest.raises(KeyProblem, match="at least 8 characters"):
        st.packages.export_kit("EV01", tmp_path / "EV01.mekit", include_personal=True, kit_passphrase="short")
    assert canonical_dump(db) == before
    record("kit with contact data, no key and no passphrase: refused, nothing written", trials=3)


def test_a_kit_sealed_with_the_office_passphrase(office, tmp_path):
    db, contacts = office
    with Store(url(db)) as st:
        info = st.packages.export_kit("EV01", tmp_path / "EV01.mekit", include_personal=True, kit_passphrase=KIT_PASS).value
    blob = Path(info.path).read_bytes()
    assert info.protection == "encrypted with the office's kit passphrase"
    assert blob.startswith(kitseal.MAGIC) and not zipfile.is_zipfile(info.path)
    leaked = [s for s in secrets_of(contacts) if s in blob]
    assert not leaked, leaked[:3]
    field = tmp_path / "field.sqlite3"
    for unlock in (None, KitUnlock(kit_passphrase="a wrong passphrase")):
        with pytest.raises(KitRejected) as err:
            import_kit(info.path, url(field), unlock=unlock)
        assert "EV01.mekit" in str(err.value) and "nothing was changed" in str(err.value)
        assert not field.exists()
    got = import_kit(info.path, url(field), unlock=KitUnlock(kit_passphrase=KIT_PASS)).value
    assert got.status == "created" and got.protection == info.protection
    with Store(url(field)) as fld:
        for app_id, values in contacts.items():
            a = fld.applications.get(app_id)
            assert {f: getattr(a, f) for f in PERSONAL} == values
    record("kit with contact data, office passphrase: no personal byte in the file; opens with it only",
           trials=1, inputs=len(secrets_of(contacts)))


def test_a_kit_sealed_to_the_evaluators_registered_key(office, tmp_path):
    db, contacts = office
    laptop = _laptop_key(tmp_path)
    with Store(url(db)) as st:
        st.keys.register_evaluator("EV01", laptop.info.signing_public)
        info = st.packages.export_kit("EV01", tmp_path / "EV01.mekit", include_personal=True).value
    blob = Path(info.path).read_bytes()
    assert info.protection == f"encrypted to the evaluator's key {laptop.fingerprint}"
    assert not [s for s in secrets_of(contacts) if s in blob]
    field = tmp_path / "field.sqlite3"
    keys = Path(laptop.info.path).parent
    with pytest.raises(kitseal.KitLocked, match="no key file for EV01"):
        import_kit(info.path, url(field), unlock=KitUnlock(key_passphrase=LAPTOP_PASS, key_dir=tmp_path / "nowhere"))
    with pytest.raises(kitseal.KitLocked, match="give that key's passphrase"):
        import_kit(info.path, url(field), unlock=KitUnlock(key_dir=keys))
    with pytest.raises(WrongPassphrase):
        import_kit(info.path, url(field), unlock=KitUnlock(key_passphrase="not the passphrase", key_dir=keys))
    other = _laptop_key(tmp_path / "other")  # another key of EV01 (a reinstalled laptop)
    with pytest.raises(KitRejected, match="encrypted to another key of evaluator EV01"):
        import_kit(info.path, url(field), unlock=KitUnlock(key_passphrase=LAPTOP_PASS,
                                                           key_dir=Path(other.info.path).parent))
    with pytest.raises(kitseal.KitLocked, match="encrypted to evaluator EV01's key"):  # a kit passphrase is no key
        import_kit(info.path, url(field), unlock=KitUnlock(kit_passphrase=KIT_PASS))
    assert not field.exists()
    got = import_kit(info.path, url(field), unlock=KitUnlock(key_passphrase=LAPTOP_PASS, key_dir=keys)).value
    assert got.status == "created"
    with Store(url(field)) as fld:
        assert {f: getattr(fld.applications.get(next(iter(contacts))), f) for f in PERSONAL} == next(iter(contacts.values()))
    record("kit with contact data, evaluator's key: opens with that key only", trials=6)


def test_every_byte_changed_in_an_encrypted_kit_is_refused_and_nothing_is_created(office, tmp_path):
    db, _ = office
    laptop = _laptop_key(tmp_path)
    with Store(url(db)) as st:
        st.keys.register_evaluator("EV01", laptop.info.signing_public)
        info = st.packages.export_kit("EV01", tmp_path / "EV01.mekit", include_personal=True).value
    blob = Path(info.path).read_bytes()
    unlock = KitUnlock(key_passphrase=LAPTOP_PASS, key_dir=Path(laptop.info.path).parent)
    rng, seed = seeded("encrypted kit byte flips")
    n = trials(60, 1500)
    head = len(kitseal.MAGIC) + 5 + int.from_bytes(blob[len(kitseal.MAGIC) + 1:len(kitseal.MAGIC) + 5], "big")
    in_head = min(head, n // 2)  # half in the readable header, half in the ciphertext
    positions = rng.sample(range(head), in_head) + rng.sample(range(head, len(blob)), min(len(blob) - head, n - in_head))
    bad = tmp_path / "bad.mekit"
    field = tmp_path / "field.sqlite3"
    for pos in positions:
        changed = bytearray(blob)
        changed[pos] ^= 1 << rng.randrange(8)
        bad.write_bytes(bytes(changed))
        with pytest.raises(KitRejected) as err:  # KitLocked is a KitRejected
            import_kit(bad, url(field), unlock=unlock)
        assert "bad.mekit" in str(err.value) or "EV01" in str(err.value), f"{err.value} (byte {pos}, seed {seed})"
        assert not field.exists(), f"byte {pos} (seed {seed})"
    record("encrypted kit: single-bit changes refused, nothing created", trials=len(positions))


def test_a_kit_without_personal_data_stays_a_plain_zip(office, tmp_path):
    db, contacts = office
    with Store(url(db)) as st:
        info = st.packages.export_kit("EV01", tmp_path / "EV01.mekit").value
    assert zipfile.is_zipfile(info.path) and info.protection == ""
    assert not [s for s in secrets_of(contacts) if s in Path(info.path).read_bytes()]
    assert read_kit(info.path)["protection"] == ""
    assert import_kit(info.path, url(tmp_path / "field.sqlite3")).value.status == "created"


def test_both_ways_on_the_command_line(office, tmp_path, monkeypatch, capsys):
    db, contacts = office
    (tmp_path / "kit-pass.txt").write_text(KIT_PASS + "\n", encoding="utf-8")
    kit1 = tmp_path / "EV01-1.mekit"
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(kit1), "--include-personal",
                 "--kit-passphrase-file", str(tmp_path / "kit-pass.txt"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "encrypted with the office's kit passphrase" in out and "never with the kit" in out
    field = tmp_path / "field.sqlite3"
    assert main(["kit", "import", str(kit1), "--db", str(field), "--no-encrypt"]) == 2
    assert "passphrase the office set" in capsys.readouterr().err and not field.exists()
    monkeypatch.setenv("EVALUATOR_KIT_PASSPHRASE", KIT_PASS)
    assert main(["kit", "import", str(kit1), "--db", str(field), "--no-encrypt"]) == 0
    monkeypatch.delenv("EVALUATOR_KIT_PASSPHRASE")
    capsys.readouterr()
    # the laptop's key is made with its first package; the office registers it; the next kit uses it
    keys = tmp_path / "laptop-keys"
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", LAPTOP_PASS)
    assert main(["keys", "init", "--db", str(field), "--key-dir", str(keys)]) == 0
    assert main(["keys", "export-public", str(tmp_path / "EV01.pub"), "--db", str(field), "--key-dir", str(keys)]) == 0
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    assert main(["keys", "register", "EV01", str(tmp_path / "EV01.pub"), "--db", str(db)]) == 0
    kit2 = tmp_path / "EV01-2.mekit"
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(kit2), "--include-personal", "--db", str(db)]) == 0
    assert "encrypted to the evaluator's key" in capsys.readouterr().out
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", LAPTOP_PASS)
    assert main(["kit", "import", str(kit2), "--db", str(field), "--key-dir", str(keys)]) == 0
    assert "from kit 2 for EV01" in capsys.readouterr().out
    with Store(url(field)) as fld:
        assert fld.packages.kit_info().sequence == 2 and fld.packages.kit_info().include_personal
        app_id, values = next(iter(contacts.items()))
        assert fld.applications.get(app_id).phone == values["phone"]
    record("kit encryption on the command line (passphrase, then the evaluator's key)", trials=2)


def test_the_x25519_form_of_an_ed25519_key_is_the_one_its_private_key_gives():
    for _ in range(200):
        k = Ed25519PrivateKey.generate()
        assert raw_public(kitseal.x25519_private_from_ed25519(k).public_key()) == \
            kitseal.x25519_public_from_ed25519(raw_public(k.public_key()))
    with pytest.raises(KeyProblem):
        kitseal.x25519_public_from_ed25519((1).to_bytes(32, "little"))  # y = 1: no Montgomery form

