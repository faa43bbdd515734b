"""Shared fixtures of the after-selection tests: the demo with its round signed off (19 awards)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evaluator.store import Store

from .packages_fixtures import PASS as OFFICE_PASS  # (repack opens packages with the office key under PASS)


@pytest.fixture(scope="session")
def signed_off_template(demo_template, tmp_path_factory) -> tuple[Path, Path]:
    """The finalised demo, its office key made and round 1 signed off: (database, key folder)."""
    folder = tmp_path_factory.mktemp("signed_off")
    db, keys = folder / "office.sqlite3", folder / "keys"
    shutil.copyfile(demo_template, db)
    with Store(f"sqlite:///{db}") as st:
        _sign_off(st, keys)
    return db, keys


def _sign_off(st: Store, keys: Path) -> None:
    st.keys.ensure(OFFICE_PASS, key_dir=keys)
    st.rounds.sign_off("1", by="위원장", note="선정 의결", key_dir=keys)


@pytest.fixture
def signed_off(signed_off_template, tmp_path) -> tuple[Path, Path]:
    db, keys = signed_off_template
    shutil.copyfile(db, tmp_path / db.name)
    shutil.copytree(keys, tmp_path / "keys")
    return tmp_path / db.name, tmp_path / "keys"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def signed_off_url(request, tmp_path) -> tuple[str, Path]:
    """The same signed-off demo as an office database URL and its key folder, once on SQLite (a copy
    of the template) and once on a fresh PostgreSQL database (the demo built there and signed off
    the same way, once per run, and copied per test)."""
    if request.param == "sqlite":
        db, keys = request.getfixturevalue("signed_off")
        return f"sqlite:///{db}", keys
    from evaluator.demo import build_demo
    from tests.support.pg_pytest import pg_clone

    def build(url: str) -> Path:
        made_keys = request.getfixturevalue("tmp_path_factory").mktemp("signed_off_pg") / "keys"
        with Store(url) as st:
            build_demo(st)
            _sign_off(st, made_keys)
        return made_keys

    url, made = pg_clone(request, "signed_off_demo", build)
    shutil.copytree(made, tmp_path / "keys")
    return url, tmp_path / "keys"


@pytest.fixture
def office(signed_off):
    with Store(f"sqlite:///{signed_off[0]}") as st:
        yield st
