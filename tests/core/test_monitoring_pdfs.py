"""Monitoring visit sheets and the follow-up dossier (docs/follow-up.md), read back with pypdf: blank
sheets for paper and sheets filled from recorded visits (checklist, each criterion's levels with
their descriptions, findings, actions, a signature line), a project's dossier (award, visits,
actions, tranches, support log); Korean by default, English on request, Hangul embedded, the
applicant's and visitor's text printed literally, attendees only with a reason, every output in the
access log."""

from __future__ import annotations

import pytest

from evaluator.cli import main
from evaluator.errors import NotFound, ValidationError

from .awards_fixtures import office, signed_off, signed_off_template  # noqa: F401 - fixtures
from .reports_fixtures import fonts, read_pdf, squash

FINDINGS = "회계 장부 <b>미정리</b> & 영수증 일부 누락"
ATTENDEES = "대표 김가상 외 3명"


@pytest.fixture
def followed(office):
    """Awards with their terms, the plan, visits assigned to two visitors; on the first award
    visit 1 finalised and visit 2 a draft; a tranche and a support session."""
    for a in office.awards.list():
        office.awards.set(a.application_id, agreed_on="2012-06-20", starts_on="2012-07-01", ends_on="2012-12-31",
                          reason="협약 체결")
    office.monitoring.set_plan()
    office.monitoring.assign(["EV01", "EV02"])
    app = next(a for a in office.awards.list() if a.track == "activity").application_id
    office.monitoring.record(app, 1, visited_at="2012-10-02 10:00", attendees=ATTENDEES,
                             checklist={"activity_held": True, "beyond_core": False, "receipts_kept": True},
                             ratings={"as_planned": "good", "participation": "partly", "spending": "poor"},
                             findings=FINDINGS, actions=[{"text": "영수증 정리 <i>", "due_on": "2012-10-31"}],
                             finalise=True)
    office.monitoring.record(app, 2, visited_at="2012-12-20 14:00", attendees="대표", findings="진행 중")
    office.awards.disburse(app, 2_000_000, paid_on="2012-07-05", note="1차 지급")
    office.awards.add_support(app, held_on="2012-07-10", kind="training", topic="회계 교육 & 증빙",
                              given_by="마을지원센터", attendees=12)
    return office, app


def _hangul_embedded(path) -> bool:
    found = fonts(path)
    return bool(found) and all(found.values())


def test_filled_sheets_print_what_was_recorded_and_withhold_attendees(followed, tmp_path):
    st, app = followed
    path = st.monitoring.visit_sheets(tmp_path / "filled.pdf")
    pdf = read_pdf(path)
    assert len(pdf) >= 2  # visit 1 (finalised) and visit 2 (draft), one sheet each at least
    text = squash(pdf.text)
    assert squash("사후관리 점검표") in text and app in text
    assert squash(FINDINGS) in text  # markup printed literally, not interpreted
    assert squash("영수증 정리 <i>") in text and "2012-10-31" in text
    assert squash("계획한 활동이 일정대로 진행되고 기록이 남아 있음") in text  # a level's description
    assert squash("비공개 (개인정보)") in text and squash(ATTENDEES) not in text
    assert "DRAFT" in pdf.text  # the draft visit is marked
    assert _hangul_embedded(path)
    [logged] = [e for e in st.privacy.access_log(subject=app) if e.what == "monitoring visit sheets"]
    assert logged.action == "print" and logged.fields == () and logged.fingerprint


def test_attendees_are_printed_only_with_a_reason_and_the_reason_is_logged(followed, tmp_path):
    st, app = followed
    with pytest.raises(ValidationError, match="give the reason"):
        st.monitoring.visit_sheets(tmp_path / "p.pdf", include_personal=True)
    assert not (tmp_path / "p.pdf").exists()
    path = st.monitoring.visit_sheets(tmp_path / "p.pdf", application_ids=[app], include_personal=True,
                                      reason="점검 결과 통보")
    assert squash(ATTENDEES) in squash(read_pdf(path).text)
    [logged] = [e for e in st.privacy.access_log(subject=app) if e.reason == "점검 결과 통보"]
    assert logged.fields == ("attendees",)


def test_blank_sheets_for_paper_in_english(followed, tmp_path):
    st, app = followed
    path = st.monitoring.visit_sheets(tmp_path / "blank.pdf", blank=True, evaluator="EV01", lang="en")
    pdf = read_pdf(path)
    open_visits = [v for v in st.monitoring.visits(evaluator="EV01") if v.state != "finalised"]
    assert len(pdf) >= len(open_visits) > 0
    first = pdf.page(0)
    assert "Monitoring visit sheet (for paper)" in first
    assert "Signature" in pdf.text and "Group's representative" in pdf.text
    text = squash(pdf.text)
    assert squash("Planned activities take place on schedule and are recorded") in text
    assert squash("The activity takes place as planned (required)") in text
    assert squash(FINDINGS) not in text  # blank: nothing recorded is printed
    with pytest.raises(NotFound, match="No monitoring visit recorded for EV02"):
        st.monitoring.visit_sheets(tmp_path / "none.pdf", evaluator="EV02")
    assert not (tmp_path / "none.pdf").exists()


def test_the_follow_up_dossier_in_korean_and_english(followed, tmp_path):
    st, app = followed
    ko = st.monitoring.follow_up_dossier(tmp_path / "ko.pdf", application_id=app)
    text = squash(read_pdf(ko).text)
    assert squash("사후관리 기록부") in text and app in text
    assert squash(FINDINGS) in text and squash("영수증 정리 <i>") in text
    assert "2,000,000" in text and squash("1차 지급") in text  # the tranche
    assert squash("회계 교육 & 증빙") in text and squash("마을지원센터") in text  # the support log
    assert squash(ATTENDEES) not in text
    assert _hangul_embedded(ko)
    en = st.monitoring.follow_up_dossier(tmp_path / "en.pdf", application_id=app, lang="en")
    text = read_pdf(en).text
    assert "Follow-up dossier" in text and "Support log" in text and "Disbursements and settlement" in text
    assert _hangul_embedded(en)  # the group's Korean name still prints
    assert [e.what for e in st.privacy.access_log(subject=app)].count("follow-up dossier") == 2
    with pytest.raises(NotFound):
        st.monitoring.follow_up_dossier(tmp_path / "x.pdf", application_id="NO-SUCH-APP")


def test_the_command_line_writes_both(followed, signed_off, tmp_path, capsys):
    st, app = followed
    db = ["--db", f"sqlite:///{signed_off[0]}"]
    assert main(["report", "monitoring-sheets", "--blank", "--out", str(tmp_path / "b.pdf"), *db]) == 0
    assert "Wrote the monitoring-sheets PDF" in capsys.readouterr().out
    assert main(["report", "follow-up-dossier", "--application", app, "--lang", "en",
                 "--out", str(tmp_path / "d.pdf"), *db]) == 0
    assert "Follow-up dossier" in read_pdf(tmp_path / "d.pdf").text
    assert main(["report", "monitoring-sheets", "--include-personal", "--out", str(tmp_path / "p.pdf"), *db]) != 0
    assert "reason" in capsys.readouterr().err and not (tmp_path / "p.pdf").exists()
