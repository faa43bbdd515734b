"""The reports' sentences in both languages (issue 21): asking for a document of an application
the program does not have says so in Korean and in English, and writes nothing."""

from __future__ import annotations

import pytest

from evaluator.errors import NotFound, ValidationError
from evaluator.messages import using


def test_a_report_of_an_unknown_application_or_language_is_refused_in_both_languages(demo_before_visits_store,
                                                                                       tmp_path):
    store = demo_before_visits_store
    program = store.programs.get().code
    out = tmp_path / "sheets.pdf"
    with pytest.raises(NotFound) as caught:
        store.reports.blank_sheets(out, application_ids=["NOPE-1"])
    with using("ko"):
        assert str(caught.value) == f"공모 '{program}'에 신청 'NOPE-1'이(가) 없습니다."
    with using("en"):
        assert str(caught.value) == f"There is no application 'NOPE-1' in program '{program}'."
    with pytest.raises(ValidationError) as caught:
        store.reports.blank_sheets(out, lang="fr")
    with using("ko"):
        assert str(caught.value) == "알 수 없는 보고서 언어 'fr'입니다. ko, en 중 하나를 쓰세요."
    assert not out.exists()
