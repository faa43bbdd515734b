"""A file that is not a result package at all is refused as such before anything asks for the
office key's passphrase or makes a key (an office database with no key yet is where it showed)."""

from __future__ import annotations

import getpass
import io
import sys
import zipfile

import pytest

from evaluator.cli import main
from evaluator.packages import keys as K
from evaluator.store import Store

from .packages_fixtures import url


@pytest.fixture
def no_key_office(demo_path, monkeypatch):
    """The demo office (no office key yet), with a terminal that records every passphrase asked for."""
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda self: True})())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": asked.append(str(prompt)) or "a new passphrase")
    with Store(url(demo_path)) as st:
        assert st.keys.identity() is None
    return demo_path, asked


def _junk(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("회의 메모: 이것은 결과 패키지가 아닙니다.\n", encoding="utf-8")
    zipped = tmp_path / "junk.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("photo-list.txt", "nothing to merge here")
    return text, zipped


def test_merging_junk_says_it_is_not_a_package_and_asks_for_no_passphrase(no_key_office, tmp_path, capsys):
    path, asked = no_key_office
    for junk in _junk(tmp_path):
        assert main(["merge", str(junk), "--db", url(path)]) == 2
        out = capsys.readouterr().out
        assert f"Package {junk.name} is not a Maeul Evaluator result package." in out and "REJECTED" in out
    assert asked == []
    with Store(url(path)) as st:
        assert st.keys.identity() is None
        assert st.packages.merged() == []
    keys = K.default_key_dir()
    assert not keys.exists() or not any(keys.iterdir())


def test_the_core_refuses_junk_without_the_key_too(no_key_office, tmp_path):
    path, _ = no_key_office
    text, zipped = _junk(tmp_path)
    missing = tmp_path / "gone.mepkg"
    with Store(url(path)) as st:
        reports = st.packages.merge([text, zipped, missing]).value  # no passphrase, no key: no KeyProblem
        assert [r.status for r in reports] == ["rejected"] * 3
        assert "does not exist" in reports[2].reason
        assert st.keys.identity() is None
