"""A result package the office refuses says why in the language in effect (issue 21): a real
package, changed in one way and merged into a real office database, is refused in Korean under
Korean and in English under English, with the package's name and the values in the sentence, and
the database is left exactly as it was."""

from __future__ import annotations

import pytest

from evaluator.messages import using
from evaluator.packages import keys as K
from evaluator.packages.errors import PackageRejected
from evaluator.packages.merge import open_archive, read_package_file
from evaluator.packages.results import MERGED
from evaluator.store import Store

from .packages_fixtures import PASS, db_checksum, edit_data, office, repack, tiny, zip_bytes  # noqa: F401 (fixtures)


def _merge_in(lang: str, office: Store, path) -> str:
    with using(lang):
        [r] = office.packages.merge([path]).value
    assert r.rejected
    return r.reason


def test_a_score_with_a_level_the_rubric_lacks_is_refused_in_korean_and_in_english(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    path = repack(pkg, tmp_path / "levels.mepkg", key_dir=key_dir, owner="EV01",
                  members=edit_data(lambda d: d["evaluations"][0]["scores"][0].__setitem__(2, "A+")))
    before = db_checksum(office.url)
    ko = _merge_in("ko", office, path)
    assert ko.startswith("결과 패키지 levels.mepkg: 신청 T-1의 평가에서 평가 항목 '"), ko
    assert "알 수 없는 등급('A+')을 주었습니다." in ko, ko
    en = _merge_in("en", office, path)
    assert en.startswith("Package levels.mepkg: the evaluation of T-1 gives criterion '"), en
    assert en.endswith("the unknown level 'A+'."), en
    assert db_checksum(office.url) == before


def test_a_malformed_data_member_quotes_the_located_problem_in_the_same_language(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    path = repack(pkg, tmp_path / "state.mepkg", key_dir=key_dir, owner="EV01",
                  members=edit_data(lambda d: d["evaluations"][0].__setitem__("state", "approved")))
    before = db_checksum(office.url)
    assert _merge_in("ko", office, path) == \
        "결과 패키지 state.mepkg의 형식이 잘못되었습니다: evaluations[0].state가 draft 또는 finalised가 아닙니다."
    assert _merge_in("en", office, path) == \
        "Package state.mepkg is malformed: evaluations[0].state is not draft or finalised."
    assert db_checksum(office.url) == before


def test_a_hostile_archive_member_is_named_in_either_language(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    path = repack(pkg, tmp_path / "hostile.mepkg", key_dir=key_dir, owner="EV01",
                  raw_zip=lambda m: zip_bytes(list(m.items()) + [("../../evil.txt", b"payload")]))
    before = db_checksum(office.url)
    assert _merge_in("ko", office, path) == ("결과 패키지 hostile.mepkg: 구성 파일 '../../evil.txt': 이름에 '..' 경로가 "
                                             "있습니다(경로 조작). 아카이브를 거부했습니다.")
    assert _merge_in("en", office, path) == ("Package hostile.mepkg: member '../../evil.txt' contains '..' (path "
                                             "traversal); the archive was rejected.")
    assert db_checksum(office.url) == before


def test_a_refusal_is_rendered_in_the_language_in_effect_when_it_is_read(tiny, tmp_path):
    """The error is raised once; the office reads it in Korean, the log in English."""
    _, key_dir, _, pkg = tiny
    path = repack(pkg, tmp_path / "cut.mepkg", key_dir=key_dir, owner="EV01",
                  members=lambda m: m.pop("audit.json"))
    office_key = K.load_identity(key_dir, PASS, owner="office")
    with using("en"), pytest.raises(PackageRejected) as caught:
        open_archive(read_package_file(path), office_key, "cut.mepkg")
    err = caught.value
    assert err.code == "packages.incomplete"
    with using("ko"):
        assert str(err) == "cut.mepkg: 패키지가 완전하지 않습니다. audit.json 파일이 없습니다."
    assert str(err) == "cut.mepkg is incomplete: it has no audit.json."


def test_a_record_left_out_is_reported_in_korean_and_kept_in_english_in_the_receipt(tiny, office):
    """The report speaks the user's language; the receipt and the audit entry keep one text."""
    from sqlalchemy import select

    from evaluator.db.models import PackageReceipt

    _, _, _, pkg = tiny
    office.people.declare_conflict("T-1", "EV01", "personal", "가족이 신청 단체 회원")
    with using("ko"):
        [r] = office.packages.merge([pkg]).value
    assert r.status == MERGED
    assert r.skipped == ("신청 T-1의 평가: 평가위원 EV01에게 이 신청에 대해 신고된 이해충돌(personal)이 있어 "
                         "제외했습니다",)
    with office.uow.read() as s:
        receipt = s.execute(select(PackageReceipt.report)).scalar_one()
    assert receipt["skipped"] == ["an evaluation of T-1: EV01 has a declared personal conflict of interest with "
                                  "it; left out"]
