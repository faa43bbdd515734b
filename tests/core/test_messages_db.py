"""The database's sentences in both languages (issue 21): a SQLite file cut short is refused with
the Korean sentence under Korean and the English one under English, naming the file and what to do."""

from __future__ import annotations

import os

import pytest

from evaluator.errors import DatabaseDamaged, InvalidDatabaseURL
from evaluator.messages import using
from evaluator.store import Store


@pytest.mark.plain_sqlite
def test_a_database_file_cut_short_is_refused_in_korean_and_in_english(tmp_path):
    path = tmp_path / "office.sqlite3"
    Store(f"sqlite:///{path}").close()
    assert not (tmp_path / "office.sqlite3-wal").exists() or os.path.getsize(tmp_path / "office.sqlite3-wal") == 0
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged) as caught:
        Store(f"sqlite:///{path}")
    err = caught.value
    assert err.code == "db.damaged"
    with using("ko"):
        said = str(err)
        assert said.startswith(f"데이터베이스 파일 {path}이(가) 손상되었습니다(파일 크기는 {size // 2:,}바이트인데 "
                               f"헤더에는 {size:,}바이트로 되어 있음: 파일이 잘렸습니다). 아무것도 바꾸지 않았습니다.")
        assert "백업에서 복원하시고" in said
    with using("en"):
        said = str(err)
        assert said.startswith(f"The database file {path} is damaged (the file holds {size // 2:,} bytes but its "
                               f"header says {size:,}: it was cut short); nothing was changed.")
        assert "for example the copy made with 'Back up…'" in said
    assert path.read_bytes() == before  # the damaged file was not written to


def test_a_database_url_that_is_not_one_is_refused_in_the_language_read(tmp_path):
    with pytest.raises(InvalidDatabaseURL) as caught:
        Store("sqlite:///:memory:")
    with using("ko"):
        assert str(caught.value) == ("'sqlite:///:memory:'은(는) 메모리 안의 SQLite 데이터베이스입니다. 아무것도 잃지 "
                                     "않도록 파일 경로(sqlite:///PATH)를 입력하세요.")
    with using("en"):
        assert str(caught.value) == ("'sqlite:///:memory:' is an in-memory SQLite database; give a file path "
                                     "(sqlite:///PATH) so nothing is lost.")
