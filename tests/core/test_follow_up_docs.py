"""docs/follow-up.md works exactly as written: its shell blocks run in order, in one folder, through
the real command line (the office and a visitor's encrypted laptop); the outputs it quotes are
what the commands print, the database ends as the page says, the PDFs it writes read back as it
says, and the screenshots it shows exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from evaluator.paths import resource
from evaluator.store import Store

from .doc_runner import blocks, expected_exit, run_line
from .reports_fixtures import read_pdf, squash

DOC = Path(resource()).parent / "docs" / "follow-up.md"


@pytest.mark.plain_sqlite
def test_the_follow_up_document_runs_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    doc_blocks = blocks(text)
    assert sum(b.kind == "sh" for b in doc_blocks) == 8
    printed: list[str] = []
    for block in doc_blocks:
        for line in block.lines:
            code, out, err = run_line(line, tmp_path, capsys, monkeypatch)
            assert code == expected_exit(line), f"{line}\n{out}\n{err}"
            printed.append(out + err)
    everything = "\n".join(printed)
    quoted = re.findall(r"^```text output\n(.*?)^```", text, re.S | re.M)
    assert len(quoted) == 3
    for q in quoted:
        assert q.strip() in everything, q
    assert "would exceed its award" in everything and "before the agreement (2012-06-20)" in everything
    with Store(f"sqlite:///{tmp_path / 'office.sqlite3'}") as st:
        a = st.awards.get("2012-A-001")
        assert (a.amount, a.disbursed, a.balance, a.status, a.settlement, a.support_sessions) == (
            4_000_000, 4_000_000, 0, "in_progress", "submitted", 1)
        assert st.awards.get("2012-A-005").amount == 7_500_000
        assert st.awards.get("2012-A-023").stepped_in_for == "2012-A-024"
        [first] = [v for v in st.monitoring.visits("2012-A-001") if v.sequence == 1]
        assert first.state == "finalised" and first.actions[0].text == "영수증 철 정리"
        # the photo attached with the command line on the laptop came with the package, bytes and all
        [photo] = st.monitoring.photos("2012-A-001")
        assert (photo.sequence, photo.visit_uuid, photo.filename, photo.caption, photo.media_type) == (
            1, first.uuid, "entrance.png", "입구 안내문", "image/png")
        assert st.monitoring.photo_data(photo.uuid) == (tmp_path / "entrance.png").read_bytes()
        assert st.verify_audit().ok
    for name in ("follow-up.xlsx", "follow-up.pdf", "follow-up-en.pdf"):
        assert (tmp_path / name).stat().st_size > 0
    blank = squash(read_pdf(tmp_path / "EV01-visit-sheets.pdf").text)
    assert squash("사후관리 점검표 (현장용)") in blank and "2012-A-001" in blank
    assert "is finalised; its photos are kept as they are" in everything
    assert everything.count("entrance.png") >= 2  # listed on the laptop and, after the merge, at the office
    filled_pdf = read_pdf(tmp_path / "2012-A-001-visits.pdf")
    filled = squash(filled_pdf.text)
    assert "entrance.png" in filled and sum(len(p.images) for p in PdfReader(tmp_path / "2012-A-001-visits.pdf")
                                            .pages) == 1  # the visit's photo, printed after its actions
    assert squash("새 참여 주민 2명, 장부 정리 미흡") in filled and squash("영수증 철 정리") in filled
    assert squash("비공개 (개인정보)") in filled  # attendees withheld without --include-personal
    dossier = squash(read_pdf(tmp_path / "2012-A-001-follow-up.pdf").text)
    assert squash("사후관리 기록부") in dossier and squash("회계 교육") in dossier and "3,000,000" in dossier
    assert "Follow-up dossier" in read_pdf(tmp_path / "2012-A-001-follow-up-en.pdf").text
    for image in re.findall(r"\]\((images/[^)]+\.png)\)", text):
        assert (DOC.parent / image).is_file(), image
    assert {"images/gui-awards.png", "images/gui-monitoring.png", "images/gui-monitoring-visit.png",
            "images/gui-monitoring-visit-photos.png"} <= set(
        re.findall(r"\]\((images/[^)]+\.png)\)", text))
