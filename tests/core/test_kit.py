"""Field kits: one file per evaluator with only what a visit needs; importing creates or updates a
field database and refuses, with a clear message, kits that do not belong there."""

from __future__ import annotations

import json
import zipfile

import pytest

from evaluator.errors import ConflictOfInterest, NotFound, PermissionDenied
from evaluator.packages.errors import KeyProblem, KitRejected
from evaluator.packages.kit import KitUnlock, read_kit
from evaluator.workflows import import_kit
from evaluator.store import Store

from .packages_fixtures import PASS, copy_db, tiny_office, url, zip_bytes

PERSONAL = ("representative", "phone", "email", "address")
#: the office's kit passphrase (a kit with contact data for an evaluator without a registered key)
KIT_PASS = "kit passphrase 1"
OPEN = KitUnlock(kit_passphrase=KIT_PASS)


@pytest.fixture(scope="module")
def office(tmp_path_factory, demo_before_visits_template):
    root = tmp_path_factory.mktemp("kits")
    key_dir = root / "keys"
    path = copy_db(demo_before_visits_template, root / "office.sqlite3")
    with Store(url(path)) as st:
        st.keys.ensure(PASS, key_dir=key_dir)
        kits = {
            "EV02": st.packages.export_kit("EV02", root / "EV02.mekit").value,
            "EV05": st.packages.export_kit("EV05", root / "EV05.mekit", include_personal=True, kit_passphrase=KIT_PASS).value,
            "EV05-2": st.packages.export_kit("EV05", root / "EV05-2.mekit").value,
        }
    return root, key_dir, path, kits


def test_a_kit_holds_the_assignments_without_conflicts_and_only_visit_fields(office):
    root, _, path, kits = office
    k = kits["EV02"]
    doc = read_kit(k.path)
    apps = {a["id"]: a for a in doc["applications"]}
    with Store(url(path)) as st:
        expected = sorted(a.application_id for a in st.people.assignments(evaluator="EV02") if a.conflict_type is None)
        conflicted = [a.application_id for a in st.people.assignments(evaluator="EV02") if a.conflict_type]
        info = st.keys.identity(key_dir=office[1])
        rubric_hashes = {st.programs.rubric(t.code).code: st.programs.rubric(t.code).content_hash for t in st.programs.get().tracks}
    assert conflicted == ["2012-A-007"] and "2012-A-007" not in apps
    assert sorted(apps) == expected == list(k.applications)
    assert all(not any(f in a for f in PERSONAL) for a in apps.values())
    assert {"title", "group_name", "district", "members", "summary"} <= set(apps[expected[0]])
    assert doc["manifest"]["rubrics"] == rubric_hashes
    assert k.office_fingerprint == info.fingerprint == doc["office"].fingerprint
    assert doc["data"]["evaluator"]["code"] == "EV02"
    assert "email" not in doc["data"]["evaluator"]
    # personal contact data only when the office asks for it
    personal = read_kit(kits["EV05"].path, unlock=OPEN)["applications"][0]
    assert all(f in personal for f in PERSONAL) and personal["phone"]
    assert "2012-A-019" not in kits["EV05"].applications  # EV05's declared conflict


def test_importing_creates_a_field_database_that_can_score(office, tmp_path):
    k = office[3]["EV02"]
    info = import_kit(k.path, url(tmp_path / "field.sqlite3")).value
    assert info.status == "created" and info.evaluator == "EV02" and info.sequence == 1
    with Store(url(tmp_path / "field.sqlite3")) as fld:
        assert fld.role == "field" and fld.is_field
        assert [e.code for e in fld.people.evaluators()] == ["EV02"]
        assert fld.packages.kit_info().applications == k.applications
        assert fld.info().applications == len(k.applications)
        app = k.applications[0]
        rd = fld.programs.rubric(fld.applications.get(app).track)
        fld.scoring.save_score(app, "EV02", rd.criteria[0].code, level="수")
        assert fld.applications.get(app).phone == ""  # no personal data on the laptop
        with pytest.raises(NotFound):  # the conflicted application is not even on the laptop
            fld.applications.get("2012-A-007")
        assert fld.verify_audit().ok
        with pytest.raises(PermissionDenied):
            fld.packages.export_kit("EV02", tmp_path / "x.mekit")


@pytest.mark.plain_sqlite  # its --no-encrypt half expects a plain file
def test_kit_import_on_the_cli_makes_an_encrypted_field_database_by_default(office, tmp_path, monkeypatch, capsys):
    from evaluator.cli import main
    from evaluator.db.encryption import SQLITE_HEADER, WrongPassphrase

    k = office[3]["EV02"]
    field, plain = tmp_path / "field.sqlite3", tmp_path / "plain.sqlite3"
    monkeypatch.delenv("EVALUATOR_DB_PASSPHRASE", raising=False)
    # no terminal to ask on and no passphrase given: refused, and no file is made
    assert main(["kit", "import", str(k.path), "--db", str(field)]) != 0
    err = capsys.readouterr().err
    assert "encrypted by default" in err and "--no-encrypt" in err and not field.exists()
    monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", "it's a \"field\" laptop")
    assert main(["kit", "import", str(k.path), "--db", str(field)]) == 0
    assert "(encrypted)" in capsys.readouterr().out
    data = field.read_bytes()
    assert not data.startswith(SQLITE_HEADER) and "EV02".encode() not in data
    assert main(["applications", "--json", "--db", str(field)]) == 0  # the passphrase from the environment
    assert sorted(a["id"] for a in json.loads(capsys.readouterr().out)["items"]) == sorted(k.applications)
    with pytest.raises(WrongPassphrase):
        Store(url(field), passphrase="not it")
    monkeypatch.delenv("EVALUATOR_DB_PASSPHRASE")
    assert main(["applications", "--db", str(field)]) != 0
    assert "encrypted field database" in capsys.readouterr().err
    # --no-encrypt keeps the old behaviour, and says so
    assert main(["kit", "import", str(k.path), "--db", str(plain), "--no-encrypt"]) == 0
    assert "NOT encrypted" in capsys.readouterr().out and plain.read_bytes().startswith(SQLITE_HEADER)


def test_a_kit_is_refused_for_another_evaluator_an_older_kit_or_an_office_database(office, tmp_path):
    root, _, path, kits = office
    field = url(tmp_path / "field.sqlite3")
    assert import_kit(kits["EV05"].path, field, unlock=OPEN).value.status == "created"  # with contact data
    app = kits["EV05"].applications[0]
    with Store(field) as fld:
        assert fld.applications.get(app).phone
    assert import_kit(kits["EV05-2"].path, field).value.status == "updated"  # without: cleared on the laptop
    with Store(field) as fld:
        assert fld.applications.get(app).phone == "" and fld.packages.kit_info().sequence == 2
    with pytest.raises(KitRejected, match="for evaluator EV02, but this field database belongs to EV05"):
        import_kit(kits["EV02"].path, field)
    with pytest.raises(KitRejected, match="kit number 1, older than kit number 2"):
        import_kit(kits["EV05"].path, field, unlock=OPEN)
    assert import_kit(kits["EV05-2"].path, field).value.status == "unchanged"
    with pytest.raises(KitRejected, match="is an office database"):
        import_kit(kits["EV02"].path, url(copy_db(path, tmp_path / "office-copy.sqlite3")))


def test_a_newer_kit_updates_the_laptop_and_withdraws_an_application(office, tmp_path):
    root, key_dir, path, kits = office
    o = copy_db(path, tmp_path / "office.sqlite3")
    field = url(tmp_path / "field.sqlite3")
    with Store(url(o)) as st:
        k1 = st.packages.export_kit("EV02", tmp_path / "k1.mekit").value
        import_kit(k1.path, field)
        withdrawn = k1.applications[1]
        st.people.declare_conflict(withdrawn, "EV02", "professional", "자문 관계")
        st.applications.put({"id": k1.applications[0], "track": st.applications.get(k1.applications[0]).track,
                            "title": "새 제목 <b>굵게</b> =1+1"})
        k2 = st.packages.export_kit("EV02", tmp_path / "k2.mekit").value
    assert k2.sequence == k1.sequence + 1 and withdrawn not in k2.applications
    info = import_kit(k2.path, field).value
    assert info.status == "updated" and withdrawn not in info.applications
    with Store(field) as fld:
        assert fld.applications.get(k1.applications[0]).title == "새 제목 <b>굵게</b> =1+1"
        rd = fld.programs.rubric(fld.applications.get(withdrawn).track)
        with pytest.raises(ConflictOfInterest):
            fld.scoring.save_score(withdrawn, "EV02", rd.criteria[0].code, level="수")


def test_kits_of_another_program_or_another_office_key_are_refused(office, tmp_path):
    root, key_dir, path, kits = office
    field = url(tmp_path / "field.sqlite3")
    import_kit(kits["EV02"].path, field)
    # another program (its own office and key)
    _, _ = tiny_office(tmp_path, tmp_path / "tiny-keys")
    with pytest.raises(KitRejected, match="is for program 'tiny'"):
        import_kit(tmp_path / "tiny.mekit", field)
    # the same program, but a kit made with a different office key
    other = copy_db(path, tmp_path / "office2.sqlite3")
    with Store(url(other)) as st:
        with st.uow.write() as s:
            from evaluator.services.common import set_setting

            set_setting(s, "office_keys", None)
            set_setting(s, "kit_sequences", {"EV02": 5})
        st.keys.ensure(PASS, key_dir=tmp_path / "other-keys")
        k = st.packages.export_kit("EV02", tmp_path / "other.mekit").value
    with pytest.raises(KitRejected, match="trusts office key"):
        import_kit(k.path, field)
    with pytest.raises(KitRejected, match="not the AAAA-BBBB-CCCC-DDDD you were told"):
        import_kit(kits["EV02"].path, url(tmp_path / "new.sqlite3"), expected_office_fingerprint="aaaa bbbb cccc dddd")
    assert not (tmp_path / "new.sqlite3").exists() or Store(url(tmp_path / "new.sqlite3")).packages.kit_info() is None


def _rezip(src, dst, edit):
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    dst.write_bytes(edit(members))
    return dst


def test_a_damaged_or_hostile_kit_is_refused_and_nothing_is_created(office, tmp_path):
    src = office[3]["EV02"].path

    def forged(m):
        doc = json.loads(m["data.json"])
        doc["applications"][0]["title"] = "가짜"
        m["data.json"] = json.dumps(doc).encode()
        return zip_bytes(list(m.items()))

    cases = [
        (forged, "does not match its hash"),
        (lambda m: zip_bytes(list(m.items()) + [("../../.bashrc", b"rm -rf ~")]), "'..'"),
        (lambda m: zip_bytes(list(m.items()) + [("rubrics/evil.py", b"")]), "not part of this format"),
        (lambda m: b"not a zip", "not a readable archive"),
        (lambda m: zip_bytes([(n, b) for n, b in m.items() if n != "kit.json"]), "not a Maeul Evaluator field kit"),
    ]
    for i, (edit, why) in enumerate(cases):
        bad = _rezip(src, tmp_path / f"bad{i}.mekit", edit)
        target = tmp_path / f"field{i}.sqlite3"
        with pytest.raises(KitRejected, match=why.replace("(", r"\(").replace(".", r"\.")):
            import_kit(bad, url(target))
        assert not target.exists()
    with pytest.raises(KitRejected, match="The kit file .*nope.mekit does not exist"):
        import_kit(tmp_path / "nope.mekit", url(tmp_path / "f.sqlite3"))


def test_exporting_a_kit_needs_the_office_key(demo_before_visits_store, tmp_path):
    with pytest.raises(KeyProblem, match="evaluator keys init"):
        demo_before_visits_store.packages.export_kit("EV01", tmp_path / "k.mekit")
    assert not (tmp_path / "k.mekit").exists()



@pytest.mark.plain_sqlite
def test_a_laptop_with_an_altered_audit_trail_says_where_and_makes_no_package(tmp_path, capsys):
    import sqlite3

    from evaluator.cli import main
    from evaluator.errors import EvaluatorError

    key_dir = tmp_path / "keys"
    tiny_office(tmp_path, key_dir)
    field = tmp_path / "tiny-field.sqlite3"
    con = sqlite3.connect(field)
    victim = con.execute("SELECT id FROM audit_event WHERE action = 'score' ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE audit_event SET new = json_set(new, '$.level', 'tampered') WHERE id = ?", (victim,))
    con.commit()
    con.close()
    assert main(["audit", "verify", "--db", url(field)]) == 5
    assert f"BROKEN at entry {victim}" in capsys.readouterr().out
    with Store(url(field)) as fld:
        with pytest.raises(EvaluatorError, match="audit trail of this field database is broken"):
            fld.packages.export_package(tmp_path / "p.mepkg", passphrase=PASS, key_dir=key_dir)
    assert not (tmp_path / "p.mepkg").exists()


def test_a_package_with_no_evaluations_yet_is_written_with_a_warning(office, tmp_path, monkeypatch, capsys):
    from evaluator.cli import main

    field = tmp_path / "field.sqlite3"
    import_kit(office[3]["EV02"].path, url(field))
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    assert main(["keys", "init", "--db", str(field)]) == 0
    capsys.readouterr()
    assert main(["package", "export", "--out", str(tmp_path / "empty.mepkg"), "--db", str(field)]) == 0
    out, err = capsys.readouterr()
    assert "0 evaluations" in out and "holds no evaluations yet" in err
    with Store(url(field)) as fld:  # one score saved: no warning any more
        app = fld.packages.kit_info().applications[0]
        fld.scoring.save_score(app, "EV02", fld.programs.rubric(fld.applications.get(app).track).criteria[0].code, level="우")
    assert main(["package", "export", "--out", str(tmp_path / "one.mepkg"), "--db", str(field)]) == 0
    out, err = capsys.readouterr()
    assert "1 evaluation (" in out and "no evaluations" not in err
