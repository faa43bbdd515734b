"""The audit check's sentences in both languages (issue 21): a laptop whose audit trail was edited
behind the trail's back refuses to make a result package, and says so — with the entry — in the
language in effect."""

from __future__ import annotations

import sqlite3

import pytest

from evaluator.errors import EvaluatorError
from evaluator.messages import using
from evaluator.store import Store

from .packages_fixtures import PASS, tiny_office, url


@pytest.mark.plain_sqlite
def test_an_altered_audit_trail_is_reported_in_korean_and_in_english(tmp_path):
    key_dir = tmp_path / "keys"
    tiny_office(tmp_path, key_dir)
    field = tmp_path / "tiny-field.sqlite3"
    con = sqlite3.connect(field)
    victim, actor = con.execute("SELECT id, actor FROM audit_event WHERE action = 'score' ORDER BY id LIMIT 1").fetchone()
    con.execute("UPDATE audit_event SET new = json_set(new, '$.level', 'tampered') WHERE id = ?", (victim,))
    con.commit()
    con.close()
    out = tmp_path / "p.mepkg"
    said = {}
    for lang in ("ko", "en"):
        with using(lang), Store(url(field)) as fld:
            with pytest.raises(EvaluatorError) as caught:
                fld.packages.export_package(out, passphrase=PASS, key_dir=key_dir)
            said[lang] = str(caught.value)
    assert said["ko"] == (f"이 현장 데이터베이스의 감사 기록이 손상되었습니다(항목 {victim}({actor}의 score)이(가) "
                          "변조되었습니다). 패키지를 만들지 않았습니다. 사무국에 알리세요.")
    assert said["en"] == (f"The audit trail of this field database is broken (entry {victim} (score by {actor}) was "
                          "altered); no package was made. Tell the office.")
    assert not out.exists()
