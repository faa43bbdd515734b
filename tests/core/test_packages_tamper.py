"""A package that was changed in any way — one flipped byte, a forged member, a hostile archive —
is rejected with a reason and the office database is left exactly as it was."""

from __future__ import annotations

import json
import stat
import zipfile

import pytest

from evaluator.packages import keys as K
from evaluator.packages.envelope import seal
from evaluator.packages.results import MERGED
from evaluator.store import Store

from .packages_fixtures import (  # noqa: F401 (tiny, office: fixtures)
    PASS, db_checksum, edit_data, office, patch_declared_size, repack, tiny, tiny_office, zip_bytes,
)


def merge_one(store: Store, path) -> object:
    [r] = store.packages.merge([path]).value
    return r


def test_flipping_any_single_byte_of_a_package_is_rejected_and_writes_nothing(tiny, office, tmp_path):
    _, _, _, pkg = tiny
    blob = pkg.read_bytes()
    assert len(blob) < 6000, "keep the package small: every byte is tried"
    before = db_checksum(office.url)
    chunk = 400
    for start in range(0, len(blob), chunk):
        paths = []
        for i in range(start, min(start + chunk, len(blob))):
            flipped = bytearray(blob)
            flipped[i] ^= 0xFF
            p = tmp_path / f"flip-{i}.mepkg"
            p.write_bytes(bytes(flipped))
            paths.append(p)
        reports = office.packages.merge(paths).value
        bad = [(r.path, r.status) for r in reports if not r.rejected]
        assert not bad, bad
        assert all(r.reason for r in reports)
        assert db_checksum(office.url) == before
        for p in paths:
            p.unlink()
    # truncated and extended files too
    for cut in (blob[:-1], blob[:40], blob + b"\0"):
        p = tmp_path / "cut.mepkg"
        p.write_bytes(cut)
        assert merge_one(office, p).rejected
    assert db_checksum(office.url) == before
    # and the untouched package still merges
    r = merge_one(office, pkg)
    assert r.status == MERGED and r.counts["evaluations"]["added"] == 1


def _hostile(tiny, tmp_path, build) -> object:
    _, key_dir, _, pkg = tiny
    return repack(pkg, tmp_path / "hostile.mepkg", key_dir=key_dir, owner="EV01", raw_zip=build)


def _member(name: str, body: bytes = b"x", mode: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    if mode is not None:
        info.external_attr = mode << 16
    return info


@pytest.mark.parametrize("name, why", [
    ("../../evil.txt", "'..'"),
    ("attachments/../../../etc/cron.d/x", "'..'"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/evil.dll", "drive letter"),
    ("c:evil", "drive letter"),
    ("attachments\\..\\evil", "backslash"),
    ("attachments//x", "empty or '.'"),
    ("./data.json", "empty or '.'"),
    ("notes.txt", "not part of this format"),
    ("attachments/", "directory"),
    ("evil\x07name", "control characters"),
])
def test_hostile_member_names_are_rejected_before_anything_is_written(tiny, office, tmp_path, name, why):
    before = db_checksum(office.url)
    path = _hostile(tiny, tmp_path, lambda m: zip_bytes(list(m.items()) + [(name, b"payload")]))
    r = merge_one(office, path)
    assert r.rejected and why in r.reason, r.reason
    assert db_checksum(office.url) == before


def test_links_duplicates_bombs_and_oversized_members_are_rejected(tiny, office, tmp_path):
    before = db_checksum(office.url)
    link = _member("attachments/" + "a" * 64, mode=stat.S_IFLNK | 0o777)
    cases = [
        (lambda m: zip_bytes(list(m.items()) + [(link, b"/etc/passwd")]), "is a link"),
        (lambda m: zip_bytes(list(m.items()) + [("data.json", m["data.json"])]), "appears twice"),
        (lambda m: zip_bytes(list(m.items()) + [("DATA.JSON", b"{}")]), "appears twice"),
        # 60 MB of zeros squeezed into ~60 KB
        (lambda m: zip_bytes(list(m.items()) + [("attachments/" + "b" * 64, bytes(60_000_000))]), "bomb"),
        (lambda m: patch_declared_size(zip_bytes(list(m.items())), "data.json", 300 * 1024 * 1024),
         "at most 268,435,456"),
        (lambda m: _too_much_in_total(m), "more than 1,073,741,824 bytes"),
    ]
    for build, why in cases:
        r = merge_one(office, _hostile(tiny, tmp_path, build))
        assert r.rejected and why in r.reason, (why, r.reason)
    assert db_checksum(office.url) == before


def _too_much_in_total(m: dict[str, bytes]) -> bytes:
    """Five stored members, each declaring 250 MiB (under the member cap, but 1.25 GiB together)."""
    names = ["attachments/" + c * 64 for c in "cdef0"]
    blob = zip_bytes(list(m.items()) + [(n, b"z") for n in names])
    for n in names:
        blob = patch_declared_size(blob, n, 250 * 1024 * 1024, compressed=250 * 1024 * 1024)
    return blob


def _edit_audit(m):
    trail = json.loads(m["audit.json"])
    trail[1]["actor"] = "somebody else"
    m["audit.json"] = json.dumps(trail).encode()


@pytest.mark.parametrize("change, why", [
    # a member changed after signing (manifest hashes not updated)
    (dict(members=edit_data(lambda d: d["evaluations"][0].__setitem__("comment", "forged")),
          rehash=False, resign=False), "does not match its hash"),
    # member hashes updated, but the manifest no longer matches its signature
    (dict(members=edit_data(lambda d: d["evaluations"][0].__setitem__("comment", "forged")),
          resign=False), "not signed by the key registered"),
    # a member removed from the archive and the manifest, re-signed by the evaluator's own key: fine
    # cryptographically, but the package is incomplete
    (dict(members=lambda m: m.pop("audit.json")), "no audit.json"),
    (dict(manifest=lambda m: m["rubrics"].__setitem__("mini", "0" * 64)), "rubric 'mini' version 000000000000"),
    (dict(manifest=lambda m: m["program"].__setitem__("uuid", "00000000-0000-0000-0000-000000000000")),
     "is for program"),
    (dict(manifest=lambda m: m.__setitem__("format_version", 99)), "format version 99"),
])
def test_forged_or_incomplete_packages_are_rejected(tiny, office, tmp_path, change, why):
    _, key_dir, _, pkg = tiny
    before = db_checksum(office.url)
    path = repack(pkg, tmp_path / "forged.mepkg", key_dir=key_dir, owner="EV01", **change)
    r = merge_one(office, path)
    assert r.rejected and why in r.reason, r.reason
    assert db_checksum(office.url) == before


@pytest.mark.parametrize("members, why", [
    (edit_data(lambda d: d["evaluations"][0]["scores"][0].__setitem__(3, 59.0)), "do not match its level"),
    (edit_data(lambda d: d["evaluations"][0]["scores"][0].__setitem__(1, "zz")), "criterion 'zz'"),
    (edit_data(lambda d: d["evaluations"][0]["scores"][0].__setitem__(2, "A+")), "unknown level 'A+'"),
    (edit_data(lambda d: d["evaluations"][0]["scores"][0].__setitem__(6, "yesterday")), "not a date and time"),
    (edit_data(lambda d: d["evaluations"][0]["scores"][0].append("extra")), "is not a score"),
    (edit_data(lambda d: d.__setitem__("score_columns", ["uuid"])), "score_columns"),
    (edit_data(lambda d: d["evaluations"][0].__setitem__("application", "T-9")), "not assigned to EV01"),
    (edit_data(lambda d: d["evaluations"][0].__setitem__("state", "approved")), "draft or finalised"),
    (edit_data(lambda d: d["evaluations"][0].__setitem__("version", "1")), "not a whole number"),
    (edit_data(lambda d: d["evaluations"].append(dict(d["evaluations"][0]))), "appears twice"),
    (edit_data(lambda d: d["evaluations"][0].__setitem__("scores", [])), "misses required scores"),
])
def test_malformed_contents_signed_by_the_evaluator_are_still_rejected(tiny, office, tmp_path, members, why):
    _, key_dir, _, pkg = tiny
    before = db_checksum(office.url)
    r = merge_one(office, repack(pkg, tmp_path / "bad.mepkg", key_dir=key_dir, owner="EV01", members=members))
    assert r.rejected and why in r.reason, r.reason
    assert db_checksum(office.url) == before


def test_a_laptop_trail_altered_before_signing_is_caught_when_the_office_checks_its_evidence(tiny, office, tmp_path):
    """The merge keeps the laptop's audit trail as it came (its hash is signed); its chain is
    checked again, with everything else kept, by ``verify_package_evidence``."""
    _, key_dir, _, pkg = tiny
    r = merge_one(office, repack(pkg, tmp_path / "trail.mepkg", key_dir=key_dir, owner="EV01", members=_edit_audit))
    assert r.status == MERGED
    [check] = office.packages.verify_evidence()
    assert not check.ok and "audit trail is broken" in check.problem and "was altered" in check.problem


def test_the_evidence_of_a_clean_merge_verifies_and_tampering_with_it_is_found(tiny, office):
    _, _, _, pkg = tiny
    assert merge_one(office, pkg).status == MERGED
    [check] = office.packages.verify_evidence()
    assert check.ok and check.audit_entries > 3
    from sqlalchemy import update

    from evaluator.packages.models import PackageEvidence

    with office.uow.write() as s:
        s.execute(update(PackageEvidence).values(data=b"forged"))
    [check] = office.packages.verify_evidence()
    assert not check.ok and "unreadable" in check.problem


def test_a_package_signed_with_another_key_is_rejected(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    other = tmp_path / "other-keys"
    K.generate_identity(other, PASS, owner="EV01")  # an impostor's key with the same name
    # the office key is needed to re-seal: copy it beside the impostor's
    [office_key] = K.office_key_files(key_dir)
    (other / office_key.name).write_bytes(office_key.read_bytes())
    r = merge_one(office, repack(pkg, tmp_path / "impostor.mepkg", key_dir=other, owner="EV01"))
    assert r.rejected and "not signed by the key registered for EV01" in r.reason


def test_a_package_for_another_office_or_not_a_package_at_all_is_rejected(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    other_office = K.generate_identity(tmp_path / "k2", PASS, owner="office")
    p = tmp_path / "other.mepkg"
    p.write_bytes(seal(b"anything", other_office.info))
    r = merge_one(office, p)
    assert r.rejected and "another office key" in r.reason
    for junk, why in [(b"PK\x03\x04 not a package", "not a Maeul Evaluator result package"),
                      (b"", "not a Maeul Evaluator result package")]:
        p.write_bytes(junk)
        r = merge_one(office, p)
        assert r.rejected and why in r.reason
    r = merge_one(office, tmp_path / "missing.mepkg")
    assert r.rejected and "The package file" in r.reason and "does not exist" in r.reason
