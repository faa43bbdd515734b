"""Result packages of format version 2 (docs/package-format.md): the signed manifest names the
laptop's trail also as the archive stores it, so the office merges without inflating the trail
(its chain, bounds, count and head are checked by ``packages --verify``); packages a laptop wrote
in format version 1 still merge exactly as before, their trail checked at merge."""

from __future__ import annotations

import json
import zipfile

import pytest

from evaluator.packages import formats as F
from evaluator.packages import incoming as I
from evaluator.packages import keys as K
from evaluator.packages.archive import read_archive
from evaluator.packages.envelope import open_envelope
from evaluator.packages.results import MERGED

from .packages_fixtures import (  # noqa: F401 (tiny, office: fixtures)
    PASS, Store, as_version_1, copy_db, db_checksum, evaluation_totals, office, repack, tiny, url, zip_bytes,
)


def _merge(store, path):
    [r] = store.packages.merge([path]).value
    return r


@pytest.fixture
def trail_reads(monkeypatch):
    """How many times a merge read a laptop's trail (outline and last entry, or parsed whole)."""
    calls = []
    real = I.trail_entries

    def counted(data, m):  # noqa: ANN001, ANN202
        calls.append(len(data))
        return real(data, m)

    monkeypatch.setattr(I, "trail_entries", counted)
    return calls


def test_the_laptop_writes_format_2_signing_the_trail_as_the_archive_stores_it(tiny):
    _, key_dir, _, pkg = tiny
    office_key = K.load_identity(key_dir, PASS, owner="office")
    raw: dict = {}
    members = read_archive(open_envelope(pkg.read_bytes(), office_key, what="t"), what="t", allowed=lambda _n: True,
                           raw=raw)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 2
    entry = manifest["members"]["audit.json"]
    method, stored = raw["audit.json"]
    assert method == zipfile.ZIP_DEFLATED and len(stored) < len(members["audit.json"])
    assert entry["stored"] == {"sha256": F.sha256(stored), "size": len(stored)}
    assert entry["sha256"] == F.sha256(members["audit.json"]) and entry["size"] == len(members["audit.json"])


def test_a_format_1_package_merges_as_before_and_gives_the_same_results_as_format_2(tiny, office, tmp_path,
                                                                                       trail_reads):
    _, key_dir, src, pkg = tiny
    old = repack(pkg, tmp_path / "v1.mepkg", key_dir=key_dir, owner="EV01", manifest=as_version_1)
    r1 = _merge(office, old)
    assert r1.status == MERGED, r1.reason
    assert len(trail_reads) == 1  # the merge read the format 1 trail (its outline and head), as before
    [check] = office.packages.verify_evidence()
    assert check.ok, check.problem

    with Store(url(copy_db(src, tmp_path / "office2.sqlite3"))) as other:
        other.keys.unlock(PASS, key_dir=key_dir)
        r2 = _merge(other, pkg)
        assert r2.status == MERGED, r2.reason
        assert len(trail_reads) == 1  # … and not the format 2 trail
        assert r2.counts == r1.counts and (r2.added, r2.updated, r2.unchanged) == (r1.added, r1.updated, r1.unchanged)
        assert evaluation_totals(other) == evaluation_totals(office)
        [check] = other.packages.verify_evidence()
        assert check.ok and check.audit_entries > 3, check.problem


def test_a_format_1_trail_not_ending_at_the_signed_head_is_still_refused_at_merge(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny

    def drop_last(m):
        m["audit.json"] = F.dumps(json.loads(m["audit.json"])[:-1])

    before = db_checksum(office.url)
    r = _merge(office, repack(pkg, tmp_path / "v1-head.mepkg", key_dir=key_dir, owner="EV01", members=drop_last,
                              manifest=as_version_1))
    assert r.rejected and "audit.json does not end at the audit_head of the manifest" in r.reason, r.reason
    assert db_checksum(office.url) == before


def _edit_trail(m):
    trail = json.loads(m["audit.json"])
    trail[1]["actor"] = "somebody else"
    m["audit.json"] = F.dumps(trail)


@pytest.mark.parametrize("change", [
    # the trail changed after signing
    dict(members=_edit_trail, rehash=False, resign=False),
    # the same trail, stored otherwise than signed (uncompressed): its stored bytes are not the signed ones
    dict(raw_zip=lambda m: _stored_plainly(m)),
], ids=["trail edited", "trail stored otherwise"])
def test_a_format_2_trail_that_is_not_the_signed_one_is_refused_without_being_read(tiny, office, tmp_path, change,
                                                                                     trail_reads):
    _, key_dir, _, pkg = tiny
    before = db_checksum(office.url)
    r = _merge(office, repack(pkg, tmp_path / "forged.mepkg", key_dir=key_dir, owner="EV01", **change))
    assert r.rejected and "audit.json does not match its hash in the signed manifest" in r.reason, r.reason
    assert db_checksum(office.url) == before and not trail_reads


def _stored_plainly(members: dict[str, bytes]) -> bytes:
    infos = []
    for name, body in members.items():
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_STORED if name == "audit.json" else zipfile.ZIP_DEFLATED
        infos.append((info, body))
    return zip_bytes(infos)


def test_a_format_2_manifest_must_name_the_stored_trail(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    before = db_checksum(office.url)
    r = _merge(office, repack(pkg, tmp_path / "nostored.mepkg", key_dir=key_dir, owner="EV01",
                              manifest=lambda m: m["members"]["audit.json"].pop("stored")))
    assert r.rejected and "manifest members['audit.json'] has no 'stored'" in r.reason, r.reason
    assert db_checksum(office.url) == before


def test_another_format_version_is_refused_naming_the_versions_read(tiny, office, tmp_path):
    _, key_dir, _, pkg = tiny
    r = _merge(office, repack(pkg, tmp_path / "v3.mepkg", key_dir=key_dir, owner="EV01",
                              manifest=lambda m: m.__setitem__("format_version", 3)))
    assert r.rejected and "has format version 3; this version reads version 1–2" in r.reason, r.reason


def test_a_format_1_manifest_whose_bytes_look_like_format_2_still_has_its_trail_read(tiny, office, tmp_path,
                                                                                    trail_reads, monkeypatch):
    """The merge guesses the version from the manifest's raw bytes to leave the trail deflated; the
    verified, parsed manifest decides: a format 1 trail kept deflated is inflated and checked then."""
    _, key_dir, _, pkg = tiny

    def looks_like_2(m):
        as_version_1(m)
        m["decoy"] = {"format": F.PACKAGE_FORMAT, "format_version": 2}  # (sorted before "format")

    from evaluator.packages import merge as M

    late = []
    real = M.inflate_member
    monkeypatch.setattr(M, "inflate_member", lambda *a: late.append(a[1]) or real(*a))
    r = _merge(office, repack(pkg, tmp_path / "decoy.mepkg", key_dir=key_dir, owner="EV01", manifest=looks_like_2))
    assert r.status == MERGED, r.reason
    assert late == ["audit.json"] and len(trail_reads) == 1
