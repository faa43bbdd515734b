"""The command line's monitoring photo verbs (docs/follow-up.md, docs/cli.md) on a visitor's real
encrypted field database: ``monitoring photo add APP VISIT FILE`` attaches a real JPEG (its bytes
and type kept), ``photo list`` shows it (its JSON valid against docs/schemas), ``photo remove PHOTO
--reason`` takes it off with the reason in the audit trail; and every refusal — a missing file, a
file that is not a photo, a visit that does not exist, a finalised visit — says so in one sentence
(in Korean with --lang ko) and leaves the database exactly as it was."""

from __future__ import annotations

import pytest
from PIL import Image
from sqlalchemy import text

from evaluator.cli import main
from evaluator.store import Store

from .awards_fixtures import signed_off, signed_off_template  # noqa: F401 - fixtures
from .packages_fixtures import url
from .test_cli_schemas import Cli
from .test_monitoring_field import FIELD_PASS
from .test_monitoring_photos import photo_cycle  # noqa: F401 - fixture


@pytest.fixture
def laptop(photo_cycle, tmp_path, monkeypatch):  # noqa: F811 - the fixture imported above
    """EV01's field database (visit 1 of its first award finalised with two photos, visit 2 still
    to make), opened by the command line with its passphrase, and that award's application ID."""
    _db, _keys, _packages, apps = photo_cycle
    monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", FIELD_PASS)
    return tmp_path / "field-EV01.sqlite3", apps["EV01"]


def _state(field) -> tuple:
    """Everything a photo verb could write: the attachments (removed ones too) and the audit trail."""
    with Store(url(field), passphrase=FIELD_PASS) as st, st.uow.read() as s:
        rows = s.execute(text("SELECT uuid, deleted, caption, sha256, length(data) FROM attachment ORDER BY id")).all()
        return [tuple(r) for r in rows], s.execute(text("SELECT max(id) FROM audit_event")).scalar()


def test_a_photo_is_attached_listed_and_removed_from_the_command_line(laptop, tmp_path, capsys):
    field, app = laptop
    db = ["--db", str(field)]
    jpeg = tmp_path / "입구.jpg"
    Image.new("RGB", (640, 480), (180, 60, 40)).save(jpeg, "JPEG", quality=85)
    cli = Cli(capsys)
    doc = cli("monitoring", "photo", "add", app, "2", str(jpeg), "--caption", "공간 입구 안내문", *db)
    assert (doc["application_id"], doc["sequence"], doc["filename"], doc["media_type"], doc["caption"],
            doc["evaluator"], doc["size"]) == (app, 2, "입구.jpg", "image/jpeg", "공간 입구 안내문", "EV01",
                                               jpeg.stat().st_size)
    with Store(url(field), passphrase=FIELD_PASS) as st:
        assert st.monitoring.photo_data(doc["uuid"]) == jpeg.read_bytes()
        [visit2] = [v.uuid for v in st.monitoring.visits(app) if v.sequence == 2]
    assert doc["visit_uuid"] == visit2
    # the table names it by the first characters of its id; the JSON lists the visit's photos only
    assert main(["monitoring", "photo", "list", app, *db]) == 0
    out = capsys.readouterr().out
    assert doc["uuid"][:8] in out and "입구.jpg" in out and "image/jpeg" in out and "space.png" in out
    listed = cli("monitoring", "photo", "list", app, "2", *db)["items"]
    assert [p["uuid"] for p in listed] == [doc["uuid"]]
    # removed by the short id, with the reason kept in the audit trail
    removed = cli("monitoring", "photo", "remove", doc["uuid"][:8], "--reason", "다른 단체 사진을 잘못 첨부", *db)
    assert removed["uuid"] == doc["uuid"]
    with Store(url(field), passphrase=FIELD_PASS) as st:
        assert st.monitoring.photos(app, 2) == []
        with st.uow.read() as s:
            entries = s.execute(text("SELECT action, reason FROM audit_event WHERE entity_uuid = :u ORDER BY id"),
                                {"u": doc["uuid"]}).all()
        assert [tuple(e) for e in entries] == [("monitoring_photo", ""),
                                               ("remove_monitoring_photo", "다른 단체 사진을 잘못 첨부")]
        assert st.verify_audit().ok
    assert {"monitoring-photo-add", "monitoring-photo-list", "monitoring-photo-remove"} <= cli.seen


def test_a_photo_of_a_visit_not_recorded_yet_says_when_it_travels(laptop, tmp_path, capsys):
    """A result package carries the photos of recorded visits only: a photo added to a planned
    visit says it stays on the laptop until the visit is recorded, in Korean too."""
    field, app = laptop
    db = ["--db", str(field)]
    jpeg = tmp_path / "간판.jpg"
    Image.new("RGB", (320, 240), (10, 120, 60)).save(jpeg, "JPEG")
    assert main(["monitoring", "photo", "add", app, "2", str(jpeg), *db]) == 0
    out = capsys.readouterr().out
    assert "is attached to monitoring visit 2" in out
    assert "The visit is not recorded yet: the photo stays on this laptop and travels in your result package " \
           "once the visit is recorded ('evaluator monitoring record')." in out
    assert main(["monitoring", "photo", "add", app, "2", str(jpeg), "--lang", "ko", *db]) == 0
    assert "아직 기록되지 않은 방문입니다." in capsys.readouterr().out


def test_each_refusal_names_what_is_wrong_and_writes_nothing(laptop, tmp_path, capsys):
    field, app = laptop
    db = ["--db", str(field)]
    png = tmp_path / "board.png"
    Image.new("RGB", (200, 150), (20, 90, 200)).save(png, "PNG")
    notes = tmp_path / "notes.jpg"  # named as a photo, but a text
    notes.write_text("현장 메모: 영수증 철 확인", encoding="utf-8")
    before = _state(field)
    cases = [
        ([app, "2", str(tmp_path / "missing.jpg")], 2, f"The file {tmp_path / 'missing.jpg'} does not exist."),
        ([app, "2", str(notes)], 2, "notes.jpg is not a photo (JPEG, PNG, HEIC, WebP, GIF, BMP or TIFF)"),
        ([app, "9", str(png)], 4, f"Application {app} has no monitoring visit 9."),
        ([app, "1", str(png)], 2, f"Monitoring visit 1 of application {app} is finalised; its photos are kept"),
    ]
    for args, code, sentence in cases:
        assert main(["monitoring", "photo", "add", *args, *db]) == code, args
        err = capsys.readouterr().err
        assert sentence in err, err
        assert _state(field) == before, args
    # removing: an id that is no photo's, a photo of a finalised visit, no reason
    with Store(url(field), passphrase=FIELD_PASS) as st:
        kept = st.monitoring.photos(app, 1)[0]
    for args, code, sentence in (
            (["0000dead", "--reason", "x"], 4, "There is no monitoring visit photo 0000dead."),
            ([kept.uuid, "--reason", "잘못 첨부"], 2, f"Monitoring visit 1 of application {app} is finalised"),
            ([kept.uuid, "--reason", "  "], 2, "Say why the photo is removed")):
        assert main(["monitoring", "photo", "remove", *args, *db]) == code, args
        assert sentence in capsys.readouterr().err
        assert _state(field) == before, args
    # in Korean, with the file's name in the sentence
    assert main(["monitoring", "photo", "add", app, "2", str(notes), "--lang", "ko", *db]) == 2
    assert "notes.jpg은(는) 사진(JPEG, PNG, HEIC, WebP, GIF, BMP, TIFF)이 아닙니다" in capsys.readouterr().err
    assert _state(field) == before

