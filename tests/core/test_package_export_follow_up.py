"""A follow-up visitor's laptop says what its result package carries: the monitoring visits and
their photos are counted on the export line as the office's merge line counts them
(docs/follow-up.md), and a package of monitoring visits alone is not "empty"."""

from __future__ import annotations

import json
from pathlib import Path

from evaluator.cli import main
from evaluator.store import Store

from .awards_fixtures import OFFICE_PASS, signed_off, signed_off_template  # noqa: F401 - fixtures
from .packages_fixtures import PASS, url
from .test_monitoring_field import FIELD_PASS
from .test_monitoring_photos import photo_cycle  # noqa: F401 - fixture


def _export(field: Path, out: Path, keys: Path, monkeypatch, capsys, *extra: str) -> tuple[str, str]:
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    monkeypatch.setenv("EVALUATOR_DB_PASSPHRASE", FIELD_PASS)
    capsys.readouterr()
    assert main(["package", "export", "--out", str(out), "--db", url(field), "--key-dir", str(keys), *extra]) == 0
    return capsys.readouterr()


def test_the_export_line_counts_monitoring_visits_and_photos_as_the_merge_does(photo_cycle, tmp_path,  # noqa: F811
                                                                               monkeypatch, capsys):
    db, keys, _, _ = photo_cycle
    # EV01 recorded visit 1 with two photos and removed a third (the removal travels as its record)
    out, err = _export(tmp_path / "field-EV01.sqlite3", tmp_path / "EV01-2.mepkg", keys, monkeypatch, capsys)
    assert "0 evaluations (0 finalised)" in out
    assert "1 monitoring visit, 3 monitoring photos." in out
    assert "holds no evaluations yet" not in err  # its monitoring visit is what it brings back
    doc, _ = _export(tmp_path / "field-EV01.sqlite3", tmp_path / "EV01-3.mepkg", keys, monkeypatch, capsys, "--json")
    info = json.loads(doc)
    assert (info["monitoring_visits"], info["monitoring_photos"]) == (1, 3)
    # the office's merge of the same package says the same numbers
    with Store(url(db)) as office:
        [r] = office.packages.merge([tmp_path / "EV01-2.mepkg"], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "merged" and r.counts["monitoring_photos"]["added"] == 3
    assert sum(r.counts["monitoring_visits"].values()) == 1
    # EV02 recorded its visit without photos
    out, _ = _export(tmp_path / "field-EV02.sqlite3", tmp_path / "EV02-2.mepkg", keys, monkeypatch, capsys)
    assert "1 monitoring visit, 0 monitoring photos." in out
