"""Privacy's sentences in both languages (issue 21): a data subject's deletion refused while the
retention duty holds says so in Korean and in English, with the date; nothing is destroyed."""

from __future__ import annotations

from datetime import date

import pytest

from evaluator.cli import main
from evaluator.errors import PermissionDenied
from evaluator.messages import using

from .privacy_fixtures import plant


def test_a_deletion_refused_by_the_retention_duty_in_korean_and_in_english(demo_store):
    st = demo_store
    app = plant(st).application
    phone = st.applications.get(app).phone
    with pytest.raises(PermissionDenied) as caught:
        st.privacy.subject_delete(app, reason="삭제 요청", today=date(2012, 12, 1))
    err = caught.value
    assert err.code == "privacy.kept_until"
    with using("ko"):
        assert str(err).startswith(f"신청 {app}은(는) 2013-05-01 전에는 삭제할 수 없습니다: 그때까지 기록을 "
                                   "보존해야 합니다(")
    with using("en"):
        assert str(err).startswith(f"Application {app} cannot be deleted before 2013-05-01: its records must be "
                                   "kept until then (")
    assert st.applications.get(app).phone == phone  # nothing was destroyed


def test_the_command_line_asks_for_the_reason_in_the_language_asked_for(demo_store, tmp_path, capsys):
    app = plant(demo_store).application
    out = tmp_path / "subject.json"
    assert main(["--lang", "ko", "subject", "export", app, "--out", str(out), "--reason", " ", "--db", demo_store.url]) != 0
    err = capsys.readouterr().err
    assert f"신청 {app}에 관해 보유한 모든 정보의 내보내기에는 신청자의 연락처가 담깁니다. 사유를 입력하세요" in err
    assert main(["--lang", "en", "subject", "export", app, "--out", str(out), "--reason", " ", "--db", demo_store.url]) != 0
    err = capsys.readouterr().err
    assert f"The export of everything held about {app} carries applicants' contact data: give the reason" in err
    assert not out.exists()
