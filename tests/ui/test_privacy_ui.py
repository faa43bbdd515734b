"""Personal data in the desktop app: who is acting (chosen at start, shown in the header), contact
data withheld until shown (and that view logged), a reason asked before contact data is printed or
exported, and a key file that is not the database's said in Korean."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from ui.main_window import MainWindow


@pytest.fixture
def office(demo_store, make_window):
    return make_window(demo_store)


def test_the_header_names_who_is_acting_and_the_app_asks_at_start(demo_store, qtbot, sync_tasks, dialogs):
    account = demo_store.identity.account

    def new_person(dlg):
        assert dlg.person.currentData() != "" and dlg.is_new  # nobody registered yet: someone new
        dlg.name.setText("김민지")
        dlg.role.setCurrentIndex(dlg.role.findData("coordinator"))
        return True

    dialogs.on_exec["actorDialog"] = new_person
    w = MainWindow(demo_store, tasks=sync_tasks, ask_identity=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: demo_store.identity.name == "김민지", timeout=3000)
    badge = w.findChild(QLabel, "actorBadge")
    assert "김민지" in badge.text() and account in badge.text() and "사무국 담당자" in badge.text()
    assert [p.name for p in demo_store.privacy.people()] == ["김민지"]
    # what the person does is recorded under their name and account
    demo_store.ranking.override("2012-A-001", "selected", "위원회 의결")
    assert demo_store.ranking.overrides()[0]["by"] == f"김민지 ({account})"
    # someone else takes over from the header
    demo_store.privacy.add_person("이서연", "chair")

    def choose(dlg):
        dlg.person.setCurrentIndex(dlg.person.findData("이서연"))
        assert not dlg.is_new
        return True

    dialogs.on_exec["actorDialog"] = choose
    w.findChild(QPushButton, "changeActor").click()
    assert demo_store.identity.name == "이서연" and demo_store.identity.role == "chair"
    assert "이서연" in badge.text() and "심사위원장" in badge.text()
    w.close()


def test_contact_data_is_withheld_until_shown_and_the_view_is_logged(office, demo_store, qtbot):
    screen = office.show_screen("applications")
    qtbot.waitUntil(lambda: screen._current is not None, timeout=3000)
    app = demo_store.applications.get(screen._current)
    html = screen.detail.toPlainText()
    assert app.representative not in html and app.phone not in html and "(비공개: 개인정보)" in html
    assert demo_store.privacy.access_log() == []
    screen.show_contact.click()
    html = screen.detail.toPlainText()
    assert app.representative in html and app.phone in html and not screen.show_contact.isEnabled()
    [e] = demo_store.privacy.access_log()
    assert (e.action, e.subjects, e.what) == ("view", (app.id,), "application detail")
    assert {"representative", "phone"} <= set(e.fields)


def test_a_reason_is_asked_before_contact_data_is_printed(office, demo_store, tmp_path, dialogs):
    screen = office.show_screen("outputs")
    screen.refresh()
    screen.application.setCurrentIndex(screen.application.findData("2012-A-001"))
    screen.open_folder.setChecked(False)
    screen.include_personal.setChecked(True)
    # no reason given: nothing is asked further, nothing is written
    dialogs.texts.append(None)
    screen.buttons["report_dossier"].click()
    assert list(tmp_path.glob("*.pdf")) == [] and demo_store.privacy.access_log() == []
    dialogs.files.append(tmp_path / "dossier.pdf")
    dialogs.texts.append("선정위원회 회의 자료")
    screen.buttons["report_dossier"].click()
    assert (tmp_path / "dossier.pdf").exists()
    [e] = demo_store.privacy.access_log()
    assert e.reason == "선정위원회 회의 자료" and "phone" in e.fields and e.what == "dossier"
    # outputs that never carry contact data do not ask
    dialogs.files.append(tmp_path / "progress.xlsx")
    screen.buttons["export_progress"].click()
    assert demo_store.privacy.access_log()[-1].fields == () and not dialogs.texts


def test_a_key_file_that_is_not_the_databases_is_said_in_korean(tmp_path):
    from evaluator.packages.keys import KeyMismatch
    from ui.errors import describe

    exc = KeyMismatch("This database uses office key AAAA-BBBB-CCCC-DDDD, but the key folder /k holds no key file for "
                      "it; use the right key folder (--key-dir), or share a key on purpose with 'evaluator keys use "
                      "FILE'.", fingerprint="AAAA-BBBB-CCCC-DDDD", folder=str(tmp_path), others="")
    what, _todo, _details = describe(exc)
    assert "AAAA-BBBB-CCCC-DDDD" in what and str(tmp_path) in what and "키 폴더" in what
    assert "key folder" not in what
    assert what.count(". ") == 0  # one sentence
