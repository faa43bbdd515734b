"""Photos on follow-up monitoring visits (docs/follow-up.md): attached on the field laptop to the
visitor's own visit → carried in the signed package (``monitoring_photos``, the bytes under
``attachments/SHA256``) → merged at the office → printed as thumbnails in the follow-up dossier and
on the filled visit sheet (read back with pypdf); never mixed with the evaluations' photos; a
package whose photo names another visitor's visit is refused with nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from evaluator.errors import ValidationError
from evaluator.services.attachments import MAX_ATTACHMENT
from evaluator.store import Store
from evaluator.workflows import import_kit

from .awards_fixtures import OFFICE_PASS, signed_off, signed_off_template  # noqa: F401 - fixtures
from .packages_fixtures import PASS, db_checksum, repack, url
from .test_monitoring_field import FIELD_PASS, _visit

VISITORS = ("EV01", "EV02")


def _png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> Path:
    Image.new("RGB", size, colour).save(path, "PNG")
    return path


def _images(pdf: Path) -> list[tuple[int, int]]:
    """The size of every image drawn in the PDF."""
    out = []
    for page in PdfReader(str(pdf)).pages:
        for im in page.images:
            out.append(Image.open(io.BytesIO(im.data)).size)
    return out


def _text(pdf: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)


@pytest.fixture
def photo_cycle(signed_off, tmp_path):
    """The office after plan and assignment to two visitors; EV01 records (and finalises) visit 1 of
    its first award on the laptop with two photos, removes a third, and exports its package."""
    db, keys = signed_off
    packages, apps = {}, {}
    with Store(url(db)) as office:
        for a in office.awards.list():
            office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                              reason="협약 체결")
        office.monitoring.set_plan()
        office.monitoring.assign(list(VISITORS))
        for ev in VISITORS:
            kit = office.packages.export_kit(ev, tmp_path / f"{ev}.mekit").value
            field = tmp_path / f"field-{ev}.sqlite3"
            import_kit(kit.path, url(field), passphrase=FIELD_PASS)
            with Store(url(field), passphrase=FIELD_PASS) as fld:
                fld.keys.ensure(PASS, key_dir=keys)
                app = apps[ev] = sorted({v.application_id for v in fld.monitoring.visits(evaluator=ev)})[0]
                if ev == "EV01":
                    _visit(fld, app, 1, "2012-10-02", finalise=False)
                    fld.monitoring.add_photo(app, 1, _png(tmp_path / "space.png", (200, 30, 30)), caption="공간 입구")
                    fld.monitoring.add_photo(app, 1, _png(tmp_path / "board.png", (30, 30, 200), (240, 320)).read_bytes(),
                                             filename="board.png", caption="게시판")
                    wrong = fld.monitoring.add_photo(app, 1, _png(tmp_path / "wrong.png", (0, 0, 0))).value
                    fld.monitoring.remove_photo(wrong.uuid)
                    _visit(fld, app, 1, "2012-10-02")
                else:
                    _visit(fld, app, 1, "2012-10-03")
                packages[ev] = Path(fld.packages.export_package(tmp_path / f"{ev}.mepkg", key_dir=keys).value.path)
                office.keys.register_evaluator(ev, fld.keys.identity(key_dir=keys).signing_public)
    return db, keys, packages, apps


def test_photos_travel_from_the_laptop_to_the_follow_up_dossier(photo_cycle, tmp_path):
    db, keys, packages, apps = photo_cycle
    app = apps["EV01"]
    with Store(url(db)) as office:
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged"
        assert r.counts["monitoring_photos"] == {"added": 3, "updated": 0, "unchanged": 0}
        photos = office.monitoring.photos(app)
        assert [(p.sequence, p.filename, p.caption, p.evaluator) for p in photos] == [
            (1, "space.png", "공간 입구", "EV01"), (1, "board.png", "게시판", "EV01")]
        assert Image.open(io.BytesIO(office.monitoring.photo_data(photos[0].uuid))).getpixel((5, 5)) == (200, 30, 30)
        assert office.scoring.attachments(app) == []  # an evaluation's photos stay apart
        assert office.verify_audit().ok
        dossier = office.monitoring.follow_up_dossier(tmp_path / "dossier.pdf", application_id=app, lang="en")
        sheets = office.monitoring.visit_sheets(tmp_path / "sheets.pdf", application_ids=[app], lang="en")
        again = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert again[0].status == "unchanged"
    # the thumbnails keep each photo's shape (landscape and portrait), the removed one is not printed
    for pdf in (dossier, sheets):
        sizes = _images(pdf)
        assert len(sizes) == 2, pdf
        assert sorted(w > h for w, h in sizes) == [False, True]
        text = _text(pdf)
        assert "space.png" in text and "board.png" in text and "wrong.png" not in text
        assert "Photos" in text


def test_a_photo_on_a_finalised_visit_or_too_big_is_refused_on_the_laptop(photo_cycle, tmp_path):
    db, keys, packages, apps = photo_cycle
    with Store(url(tmp_path / "field-EV01.sqlite3"), passphrase=FIELD_PASS) as fld:
        app = apps["EV01"]
        photo = _png(tmp_path / "late.png", (10, 200, 10))
        before = fld.monitoring.photos(app)
        with pytest.raises(ValidationError, match=f"Monitoring visit 1 of application {app} is finalised"):
            fld.monitoring.add_photo(app, 1, photo)
        with pytest.raises(ValidationError, match="is finalised"):
            fld.monitoring.remove_photo(before[0].uuid)
        with pytest.raises(ValidationError, match="larger than 50 MB"):
            fld.monitoring.add_photo(app, 2, b"\0" * (MAX_ATTACHMENT + 1), filename="huge.jpg")
        # nor by the scoring form's way round: a scoring photo's removal does not take a visit's photo
        with pytest.raises(ValidationError, match="belongs to a follow-up monitoring visit"):
            fld.scoring.remove_attachment(before[0].uuid)
        assert fld.monitoring.photos(app) == before


def test_a_package_whose_photo_names_another_visitors_visit_is_refused_and_nothing_changes(photo_cycle, tmp_path):
    db, keys, packages, apps = photo_cycle
    with Store(url(db)) as office:
        theirs = office.monitoring.visits(application_id=apps["EV02"], evaluator="EV02")[0]

    def steal(mem: dict[str, bytes]) -> None:
        data = json.loads(mem["data.json"])
        data["monitoring_photos"][0].update(visit=theirs.uuid, application=theirs.application_id)
        mem["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")

    forged = repack(packages["EV01"], tmp_path / "forged.mepkg", key_dir=keys, owner="EV01", members=steal)
    before = db_checksum(url(db))
    with Store(url(db)) as office:
        [r] = office.packages.merge([forged], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "rejected"
    assert (f"carries a photo of monitoring visit {theirs.sequence} of {theirs.application_id}, which at the office "
            "is another evaluator's") in r.reason
    assert "nothing of it was merged" in r.reason
    assert db_checksum(url(db)) == before


def test_a_photo_dated_ahead_of_the_office_clock_or_with_a_zone_refuses_the_package(photo_cycle, tmp_path):
    """A monitoring photo's ``created_at`` is kept and orders it, so it is checked like an
    evaluation photo's: in UTC without a zone, and not later than this computer's clock allows (a
    laptop clock set ahead); the package is refused naming the photo, nothing is written."""
    from datetime import datetime, timedelta

    db, keys, packages, apps = photo_cycle
    ahead = (datetime.utcnow() + timedelta(days=2)).isoformat(timespec="microseconds")
    cases = [(ahead, f"monitoring_photos[1].created_at is {ahead[:16]}"),
             ("2012-10-02T10:00:00+09:00", "data.json monitoring_photos[1].created_at must be in UTC without a time zone"),
             ("2 Oct 2012", "data.json monitoring_photos[1].created_at is not a date and time")]
    before = db_checksum(url(db))
    for n, (when, said) in enumerate(cases):
        def stamp(mem: dict[str, bytes], when: str = when) -> None:
            data = json.loads(mem["data.json"])
            data["monitoring_photos"][1]["created_at"] = when
            mem["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")

        forged = repack(packages["EV01"], tmp_path / f"dated{n}.mepkg", key_dir=keys, owner="EV01", members=stamp)
        with Store(url(db)) as office:
            [r] = office.packages.merge([forged], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "rejected" and said in r.reason, r.reason
        assert db_checksum(url(db)) == before
    with Store(url(db)) as office:  # the honest package still merges, its photos dated as the laptop dated them
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged" and r.counts["monitoring_photos"]["added"] == 3


def test_a_photo_removed_on_the_laptop_after_a_merge_is_removed_at_the_office(photo_cycle, tmp_path):
    """The visitor removes a photo before finalising in a later package: the office forgets its
    bytes too (removal travels; a re-merge never brings it back)."""
    db, keys, packages, apps = photo_cycle
    app = apps["EV02"]
    with Store(url(tmp_path / "field-EV02.sqlite3"), passphrase=FIELD_PASS) as fld:
        fld.keys.ensure(PASS, key_dir=keys)
        v = fld.monitoring.visits(application_id=app, evaluator="EV02")[0]
        assert v.state == "finalised"
        extra = fld.monitoring.add_visit(app, "EV02").value
        _visit(fld, app, extra.sequence, "2012-12-20", finalise=False)
        p = fld.monitoring.add_photo(app, extra.sequence, _png(tmp_path / "a.png", (1, 2, 3))).value
        first = Path(fld.packages.export_package(tmp_path / "EV02-1.mepkg", key_dir=keys).value.path)
        fld.monitoring.remove_photo(p.uuid)
        second = Path(fld.packages.export_package(tmp_path / "EV02-2.mepkg", key_dir=keys).value.path)
    with Store(url(db)) as office:
        office.packages.merge([first], passphrase=OFFICE_PASS, key_dir=keys)
        assert [x.uuid for x in office.monitoring.photos(app)] == [p.uuid]
        [r] = office.packages.merge([second], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.counts["monitoring_photos"] == {"added": 0, "updated": 1, "unchanged": 0}
        assert office.monitoring.photos(app) == []
        assert office.verify_audit().ok


@pytest.mark.plain_sqlite
def test_a_visits_photos_are_personal_data_exported_and_destroyed_with_their_subject(photo_cycle, tmp_path):
    """As an evaluation's photos are: the subject's export lists them (with their visit), and
    deleting the subject's data destroys their bytes (none left in the database file), their file
    names and captions, and their records in the kept evidence of the merged package."""
    from datetime import date

    from evaluator.audit.personal import TOMBSTONE

    db, keys, packages, apps = photo_cycle
    app = apps["EV01"]
    body = (tmp_path / "space.png").read_bytes()
    with Store(url(db)) as office:
        office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys)
        out = office.privacy.subject_export(app, tmp_path / "subject.json", reason="정보주체 열람 요청")
        doc = json.loads(Path(out).read_text(encoding="utf-8"))
        listed = [(p["monitoring_visit"], p["filename"], p["caption"]) for p in doc["photos"] if not p["deleted"]]
        assert listed == [(1, "space.png", "공간 입구"), (1, "board.png", "게시판")]
        office.privacy.set_retention(signed_off_on="2012-05-01", project_ends_on="2012-12-31")  # (it runs from here)
        office.privacy.subject_delete(app, reason="정보주체 삭제 요청", today=date(2040, 1, 1))
        assert office.monitoring.photos(app) == []
        assert office.verify_audit().ok
    assert body not in db.read_bytes()
    with Store(url(db)) as office:
        out = office.privacy.subject_export(app, tmp_path / "after.json", reason="삭제 확인")
        after = json.loads(Path(out).read_text(encoding="utf-8"))["photos"]
    assert after and all(p["deleted"] and p["data_base64"] is None and p["filename"] == TOMBSTONE for p in after)
    assert "space.png" not in json.dumps(after, ensure_ascii=False)
    import sqlite3

    from evaluator.packages.archive import unstore

    with sqlite3.connect(db) as c:
        kept = [json.loads(unstore(m, bytes(d))) for m, d in c.execute("SELECT data_method, data FROM package_evidence")]
    photos = [p for data in kept for p in data.get("monitoring_photos", [])]
    assert len(photos) == 3 and all(p["filename"] == TOMBSTONE for p in photos)
    assert all(v["findings"] == TOMBSTONE for data in kept for v in data.get("monitoring_visits", []))
