"""Files handed to the app: ``evaluator-gui FILE`` (and the file manager, through the registered
types) opens a field kit in the kit import, merges a result package, loads an intake workbook in the
import screen; an encrypted kit asks its passphrase (again after a wrong one); File → Connect to
server… keeps the password out of the settings, and Open recent keeps the server connection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evaluator.store import Store
from ui.settings import Settings

from .conftest import OFFICE_PASSPHRASE
from .test_office_flow import GOOD, write_intake

KIT_PASSPHRASE = "kit passphrase 42"


@pytest.fixture(scope="module")
def sealed_kit(kit_world, tmp_path_factory):
    """EV01's kit with the applicants' contact data, sealed with a kit passphrase the office set."""
    root = tmp_path_factory.mktemp("sealed")
    office = root / "office.sqlite3"
    shutil.copyfile(kit_world["office"], office)
    shutil.copytree(kit_world["keys"], root / "keys")
    with Store(f"sqlite:///{office}") as st:
        st.keys.ensure(OFFICE_PASSPHRASE, key_dir=root / "keys")
        st.packages.export_kit("EV01", root / "kit-EV01-sealed.mekit", include_personal=True,
                               kit_passphrase=KIT_PASSPHRASE)
    return root / "kit-EV01-sealed.mekit"


def _unprotected_field_database(dlg):
    dlg.fields.encrypt.setChecked(False)
    return True


def test_an_encrypted_kit_asks_its_passphrase_and_again_after_a_wrong_one(demo_store, make_window, sealed_kit,
                                                                         tmp_path, dialogs):
    w = make_window(demo_store)
    field = tmp_path / "laptop.sqlite3"
    typed = iter(["not it", KIT_PASSPHRASE])
    texts = []

    def unlock(dlg):
        texts.append(dlg.findChild(type(dlg.secret).__mro__[0], "kitSecret") is dlg.secret)
        assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()  # nothing typed yet
        dlg.secret.setText(next(typed))
        return True

    dialogs.on_exec["kitUnlockDialog"] = unlock
    dialogs.on_exec["newDatabasePassphraseDialog"] = _unprotected_field_database
    dialogs.files.append(field)
    w.open_file(sealed_kit)
    assert texts == [True, True]  # asked twice: the first passphrase did not open the kit
    assert w.ctx.is_field and w.ctx.evaluator == "EV01"
    app_id = w.screens["today"].model.record(0).application_id
    assert w.store.applications.get(app_id).phone  # the contact data came with the kit


def test_a_wrong_kit_passphrase_three_times_changes_nothing(demo_store, make_window, sealed_kit, tmp_path, dialogs):
    w = make_window(demo_store)
    field = tmp_path / "laptop.sqlite3"
    shown = []

    def unlock(dlg):
        from PySide6.QtWidgets import QLabel

        shown.append(dlg.findChild(QLabel, "kitUnlockText").text())
        dlg.secret.setText("wrong every time")
        return True

    dialogs.on_exec["kitUnlockDialog"] = unlock
    dialogs.on_exec["newDatabasePassphraseDialog"] = _unprotected_field_database
    dialogs.expect_error()
    dialogs.files.append(field)
    w.open_file(sealed_kit)
    assert len(shown) == 3 and len(dialogs.errors) == 1
    assert "암호 문구로 키트" in dialogs.errors[0]  # the core's own sentence, in the UI's language
    assert not field.exists() and not w.ctx.is_field  # no field database was made; the office stays open
    assert "--kit-passphrase-file" not in "".join(shown + dialogs.errors)  # the desktop never speaks CLI flags


def test_the_gui_opens_a_package_or_a_workbook_given_on_the_command_line(demo_store, demo_path, make_window,
                                                                         tmp_path, dialogs):
    from ui.app import parse_args, start

    w = make_window(demo_store)
    book = write_intake(tmp_path / "접수현황.xlsx", GOOD)
    start(w, parse_args([str(book), "--db", str(demo_path)]))
    assert w.current_screen() is w.screens["import"] and w.screens["import"].pages.currentIndex() == 1
    assert w.screens["import"].preview.would_add == 2
    # a result package is merged (this one is not a package at all: the merge report says so)
    junk = tmp_path / "result-EV09.mepkg"
    junk.write_bytes(b"not a package")
    start(w, parse_args([str(junk), "--db", str(demo_path)]))  # (no passphrase asked for it)
    kits = w.screens["kits"]
    assert w.current_screen() is kits and "result-EV09.mepkg" in kits.report.toPlainText()
    assert kits.last_reports and kits.last_reports[0].status == "rejected"


def test_a_file_that_needs_the_office_database_says_so_in_a_field_database(field_store, make_window, tmp_path,
                                                                         dialogs):
    w = make_window(field_store)
    w.open_file(write_intake(tmp_path / "접수현황.xlsx", GOOD))
    assert dialogs.shown and "접수현황.xlsx" in dialogs.shown[-1][1]
    assert w.ctx.is_field


def test_gui_arguments():
    from ui.app import parse_args

    a = parse_args(["kit-EV01.mekit"])
    assert a.file == "kit-EV01.mekit" and a.db is None
    a = parse_args(["--db", "x.sqlite3"])
    assert a.file is None and a.db == "x.sqlite3"


# --- the office server ------------------------------------------------------------------------------
def test_connect_to_server_never_writes_the_password_and_open_recent_asks_for_it(demo_store, make_window,
                                                                               dialogs, monkeypatch):
    import ui.main_window as mw

    w = make_window(demo_store)
    opened = []

    class FakeStore:
        def __init__(self, url):
            opened.append(url)
            raise_first = len(opened) == 1
            if raise_first:
                from evaluator.errors import DatabaseUnavailable

                raise DatabaseUnavailable("Cannot connect to the database server db.office.local: password "
                                          "authentication failed.")

    monkeypatch.setattr(mw, "open_store", lambda url, passphrase=None: FakeStore(url))
    answers = iter([("wrong", True), ("right secret", False)])

    def fill(dlg):
        password, fresh = next(answers)
        if fresh:
            dlg.host.setText("db.office.local")
            dlg.database.setText("evaluator")
            dlg.user.setText("office")
        else:  # asked again after the failure: the connection is filled in, only the password is asked
            assert (dlg.host.text(), dlg.database.text(), dlg.user.text(), dlg.port.value()) == \
                ("db.office.local", "evaluator", "office", 5432)
            assert dlg.password.text() == ""
        dlg.password.setText(password)
        return True

    dialogs.on_exec["serverDialog"] = fill
    dialogs.expect_error()
    monkeypatch.setattr(w, "set_store", lambda st: None)  # (a fake store: nothing to show)
    w.connect_to_server()
    assert len(dialogs.errors) == 1 and "password authentication failed" in dialogs.errors[0]
    from sqlalchemy.engine import make_url

    urls = [make_url(u) for u in opened]
    assert [(u.host, u.port, u.database, u.username, u.password) for u in urls] == [
        ("db.office.local", 5432, "evaluator", "office", "wrong"),
        ("db.office.local", 5432, "evaluator", "office", "right secret")]
    # the password is never written to the settings file
    Settings().sync()
    from ui.settings import _qsettings

    assert "secret" not in Path(_qsettings().fileName()).read_text(encoding="utf-8", errors="replace")


def test_open_recent_keeps_a_server_connection_and_asks_its_password(demo_store, make_window, dialogs):
    s = Settings()
    s.add_recent("postgresql+psycopg://office@db.office.local:5432/evaluator")
    w = make_window(demo_store)
    menu = w.findChild(type(w.menuBar().actions()[0].menu()), "menuRecent")
    labels = [a.text() for a in menu.actions()]
    assert "postgresql+psycopg://office@db.office.local:5432/evaluator" in labels
    asked = []

    def cancel(dlg):
        asked.append((dlg.host.text(), dlg.user.text()))
        return False

    dialogs.on_exec["serverDialog"] = cancel
    next(a for a in menu.actions() if a.text().startswith("postgresql")).trigger()
    assert asked == [("db.office.local", "office")]


def test_a_server_database_is_remembered_without_its_password(demo_store):
    """What load_meta gives Open recent for a server database: its URL with the password taken out."""
    from ui.main_window import load_meta

    class ServerStore:  # the store's answers load_meta uses, for a server database
        role, display_url, sqlite_path = "office", "postgresql+psycopg://office:***@db/evaluator", None
        url = "postgresql+psycopg://office:s3cret@db.office.local:5432/evaluator"
        programs, people = demo_store.programs, demo_store.people
        keys, identity = demo_store.keys, demo_store.identity

    meta = load_meta(ServerStore())
    assert meta["server_url"] == "postgresql+psycopg://office@db.office.local:5432/evaluator"


def test_a_file_opened_from_the_finder_arrives_as_an_event(demo_store, make_window, tmp_path, qapp):
    """macOS hands a double-clicked file over as Qt's file-open event, not as an argument."""
    from PySide6.QtGui import QFileOpenEvent

    from ui.app import FileOpener

    w = make_window(demo_store)
    opener = FileOpener(w, qapp)
    book = write_intake(tmp_path / "접수현황.xlsx", GOOD)
    assert opener.eventFilter(qapp, QFileOpenEvent(str(book)))
    assert w.current_screen() is w.screens["import"] and w.screens["import"].preview.would_add == 2
    opener.deleteLater()
