"""Monitoring visit photos through the whole field cycle with a PostgreSQL office (issue 19: "the
same on PostgreSQL"): the signed-off demo built on a real PostgreSQL server → plan → kits for two
visitors → encrypted SQLite laptops where photos are attached (a JPEG and a PNG on two visits, one
removed again) → signed packages → merged into PostgreSQL.  Read back there: the bytes equal to the
files, each photo on the right visit, the removed one without its bytes, a re-merge unchanged, the
filled visit sheet printing the thumbnails (pypdf), and a package whose photo names another
visitor's visit refused with the office database exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import text

from evaluator.store import Store
from evaluator.workflows import import_kit

from .awards_fixtures import OFFICE_PASS, signed_off, signed_off_template, signed_off_url  # noqa: F401 - fixtures
from .packages_fixtures import PASS, db_checksum, repack, url
from .test_monitoring_field import FIELD_PASS, _visit


@pytest.mark.parametrize("signed_off_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_monitoring_photos_merge_into_a_postgresql_office(signed_off_url, tmp_path):
    db, keys = signed_off_url
    assert db.startswith("postgresql")
    files, apps, packages = {}, {}, {}
    with Store(db) as office:
        for a in office.awards.list():
            office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                              reason="협약 체결")
        office.monitoring.set_plan()
        office.monitoring.assign(["EV01", "EV02"])
        for ev in ("EV01", "EV02"):
            kit = office.packages.export_kit(ev, tmp_path / f"{ev}.mekit").value
            field = tmp_path / f"field-{ev}.sqlite3"
            import_kit(kit.path, url(field), passphrase=FIELD_PASS)
            with Store(url(field), passphrase=FIELD_PASS) as fld:
                fld.keys.ensure(PASS, key_dir=keys)
                app = apps[ev] = sorted({v.application_id for v in fld.monitoring.visits(evaluator=ev)})[0]
                if ev == "EV01":
                    jpeg, png, wrong = tmp_path / "입구.jpg", tmp_path / "장부.png", tmp_path / "wrong.png"
                    Image.new("RGB", (640, 480), (180, 60, 40)).save(jpeg, "JPEG", quality=85)
                    Image.new("RGB", (240, 320), (30, 30, 200)).save(png, "PNG")
                    Image.new("RGB", (64, 48), (0, 0, 0)).save(wrong, "PNG")
                    files["EV01-1"] = fld.monitoring.add_photo(app, 1, jpeg, caption="입구 안내문").value, jpeg
                    removed = fld.monitoring.add_photo(app, 1, wrong).value
                    fld.monitoring.remove_photo(removed.uuid, reason="잘못 찍음")
                    _visit(fld, app, 1, "2012-10-02")
                    _visit(fld, app, 2, "2012-12-28", finalise=False)
                    files["EV01-2"] = fld.monitoring.add_photo(app, 2, png, caption="장부").value, png
                else:
                    other = tmp_path / "other.png"
                    Image.new("RGB", (320, 240), (10, 160, 10)).save(other, "PNG")
                    files["EV02-1"] = fld.monitoring.add_photo(app, 1, other).value, other
                    _visit(fld, app, 1, "2012-10-03")
                packages[ev] = Path(fld.packages.export_package(tmp_path / f"{ev}.mepkg", key_dir=keys).value.path)
                office.keys.register_evaluator(ev, fld.keys.identity(key_dir=keys).signing_public)

        # a forged package: EV01's first photo moved onto EV02's visit — refused, nothing written
        theirs = next(v for v in office.monitoring.visits(apps["EV02"]) if v.sequence == 1)

        def steal(mem: dict[str, bytes]) -> None:
            data = json.loads(mem["data.json"])
            data["monitoring_photos"][0].update(visit=theirs.uuid, application=theirs.application_id)
            mem["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")

        forged = repack(packages["EV01"], tmp_path / "forged.mepkg", key_dir=keys, owner="EV01", members=steal)
        before = db_checksum(db)
        [r] = office.packages.merge([forged], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "rejected" and "which at the office is another evaluator's" in r.reason
        assert db_checksum(db) == before

        reports = office.packages.merge([packages["EV01"], packages["EV02"]], passphrase=OFFICE_PASS,
                                        key_dir=keys).value
        assert [r.status for r in reports] == ["merged", "merged"]
        assert reports[0].counts["monitoring_photos"] == {"added": 3, "updated": 0, "unchanged": 0}
        visits = {(v.application_id, v.sequence): v for v in office.monitoring.visits()}
        for key, (sent, path) in files.items():
            ev, seq = key.split("-")
            [got] = [p for p in office.monitoring.photos(apps[ev], int(seq)) if p.uuid == sent.uuid]
            assert got.visit_uuid == visits[(apps[ev], int(seq))].uuid == sent.visit_uuid
            assert (got.evaluator, got.filename, got.caption, got.sha256) == (ev, sent.filename, sent.caption,
                                                                              sent.sha256)
            assert office.monitoring.photo_data(got.uuid) == path.read_bytes()
        assert [p.uuid for p in office.monitoring.photos(apps["EV01"])] == [files["EV01-1"][0].uuid,
                                                                            files["EV01-2"][0].uuid]
        with office.uow.read() as s:  # the removed photo travelled as its record only
            row = s.execute(text("SELECT deleted, data IS NULL FROM attachment WHERE uuid = :u"),
                            {"u": removed.uuid}).one()
        assert tuple(row) == (True, True)
        assert office.verify_audit().ok
        again = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert again[0].status == "unchanged"
        sheets = office.monitoring.visit_sheets(tmp_path / "sheets.pdf", application_ids=[apps["EV01"]], lang="en")
    reader = PdfReader(str(sheets))
    assert sum(len(p.images) for p in reader.pages) == 2  # the JPEG on visit 1, the PNG on the draft visit 2
    words = "".join(p.extract_text() or "" for p in reader.pages).replace(" ", "")
    assert "입구.jpg" in words and "장부.png" in words and "wrong.png" not in words
