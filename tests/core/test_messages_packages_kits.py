"""The kits' and keys' sentences in both languages (issue 21): a real kit refused on import is
explained in Korean with its file name and the fingerprints in it, and in English as before; the
error is rendered in the language in effect when it is read."""

from __future__ import annotations

import pytest

from evaluator.messages import using
from evaluator.packages import keys as K
from evaluator.packages.errors import KeyProblem, KitRejected
from evaluator.packages.kitseal import KitLocked
from evaluator.store import Store
from evaluator.workflows import import_kit

from .packages_fixtures import PASS, copy_db, url


@pytest.fixture(scope="module")
def kits(tmp_path_factory, demo_before_visits_template):
    root = tmp_path_factory.mktemp("kits-ko")
    key_dir = root / "keys"
    path = copy_db(demo_before_visits_template, root / "office.sqlite3")
    with Store(url(path)) as st:
        office = st.keys.ensure(PASS, key_dir=key_dir).value
        plain = st.packages.export_kit("EV02", root / "EV02.mekit").value
        sealed = st.packages.export_kit("EV05", root / "EV05.mekit", include_personal=True,
                                        kit_passphrase="kit passphrase 1").value
    return office, plain, sealed


def test_a_kit_with_another_office_key_than_told_is_refused_in_korean_and_in_english(kits, tmp_path):
    office, plain, _ = kits
    field = tmp_path / "field.sqlite3"
    with pytest.raises(KitRejected) as caught:
        import_kit(plain.path, url(field), expected_office_fingerprint="aaaa bbbb cccc dddd")
    err = caught.value
    with using("ko"):
        assert str(err) == (f"키트 EV02.mekit에 담긴 사무국 키는 {office.fingerprint}이며, 안내받은 "
                            "AAAA-BBBB-CCCC-DDDD이(가) 아닙니다. 이 키트를 쓰지 말고 사무국에 문의하세요.")
    with using("en"):
        assert str(err) == (f"The kit EV02.mekit carries office key {office.fingerprint}, not the "
                            "AAAA-BBBB-CCCC-DDDD you were told; do not use it and ask the office.")
    assert err.code == "kit.office_key_not_told"
    assert not field.exists()


def test_a_locked_kit_names_itself_in_the_language_of_the_sentence(kits, tmp_path):
    _, _, sealed = kits
    with pytest.raises(KitLocked) as caught:
        import_kit(sealed.path, url(tmp_path / "field.sqlite3"))
    with using("ko"):
        ko = str(caught.value)
    with using("en"):
        en = str(caught.value)
    assert ko.startswith("키트 EV05.mekit에는 신청 단체 연락처가 담겨 있어 사무국이 정한 암호 문구로 암호화되어 있습니다.")
    assert ko.endswith("아무것도 바꾸지 않았습니다.") and "The kit" not in ko
    assert en.startswith("The kit EV05.mekit carries applicants' contact data and is encrypted with a passphrase "
                         "the office set") and en.endswith("nothing was changed.")


def test_a_key_file_that_is_not_one_is_explained_in_korean(tmp_path):
    bad = tmp_path / "keys" / "evaluator-EV01.key"
    bad.parent.mkdir()
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(KeyProblem) as caught:
        K.load_identity(tmp_path / "keys", PASS, owner="EV01")
    with using("ko"):
        assert str(caught.value) == f"{bad}은(는) 마을 평가 도우미 키 파일이 아닙니다."
    with using("en"):
        assert str(caught.value) == f"{bad} is not a Maeul Evaluator key file."
