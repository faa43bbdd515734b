"""Helpers and fixtures for the kit / package / merge tests.

The expensive part — a demo office, five field kits, five field databases that score and finalise
every assignment through the Store façade, five result packages — is built once per module
(:func:`build_cycle`) and copied per test.  Keys live in an explicit ``key_dir`` so module-scoped
fixtures do not depend on the per-test data directory.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from evaluator.packages import formats as F
from evaluator.packages import keys as K
from evaluator.packages.archive import deflate
from evaluator.packages.envelope import seal
from evaluator.workflows import import_kit
from evaluator.packages.merge import unseal
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from .rubric_samples import small_rubric

PASS = "correct horse battery staple"
EVALUATORS = ("EV01", "EV02", "EV03", "EV04", "EV05")
#: assignments each laptop scores in the round trip (the rest stay "not started" on both sides)
SCORED = 10


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_db(src: Path, dst: Path) -> Path:
    """Copy an SQLite database file consistently (online backup, WAL included).  An encrypted one
    (``make test-encrypted``) is copied as files: the backup API cannot copy SQLCipher files."""
    from evaluator.db.encryption import is_plain_sqlite

    if not is_plain_sqlite(src):
        for extra in ("", "-wal"):
            if Path(f"{src}{extra}").exists():
                shutil.copyfile(f"{src}{extra}", f"{dst}{extra}")
        return dst
    a = sqlite3.connect(str(src))
    b = sqlite3.connect(str(dst))
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()
    return dst


def score_plan(app_id: str, evaluator: str, rubric) -> dict[str, dict[str, Any]]:
    """Deterministic scores for one evaluation (the same on the laptop and in direct entry)."""
    rng = random.Random(f"{app_id}/{evaluator}")
    plan = {}
    for c in rubric.criteria:
        if c.scoring == "levels":
            plan[c.code] = {"level": rng.choice([lv.key for lv in rubric.levels]),
                            "comment": rng.choice(["", "", "주민 참여 활발", "O<Brien & <b>A</b> =SUM(A1)"])}
        else:
            plan[c.code] = {"points": float(rng.randint(0, int(c.max_points))), "comment": ""}
    return plan


def enter_scores(store: Store, evaluator: str, *, finalise: bool = True, visit: bool = True,
                 abstain: set[str] = frozenset(), via_facade: int | None = None, limit: int | None = None) -> None:
    """Score (and visit, and finalise) every open assignment of ``evaluator``.

    The first ``via_facade`` assignments (all when None) go through the façade's autosave methods
    one keystroke at a time, exactly as the app does; the rest are typed in one unit of work
    through the same services (each autosave commits with an fsync, so the whole demo keystroke by
    keystroke would make the tests slow without testing anything more)."""
    todo = [a for a in store.people.assignments(evaluator=evaluator) if a.conflict_type is None][:limit]
    n = len(todo) if via_facade is None else via_facade
    for a in todo[:n]:
        app = store.applications.get(a.application_id)
        rd = store.programs.rubric(app.track)
        if a.application_id in abstain:
            store.scoring.abstain(a.application_id, evaluator, "이해관계가 있어 기권함")
        else:
            for code, v in score_plan(a.application_id, evaluator, rd).items():
                store.scoring.save_score(a.application_id, evaluator, code, **v)
        if visit:
            store.scoring.save_visit(a.application_id, evaluator, **VISIT, checklist={c.code: True for c in rd.checklist})
        if finalise:
            store.scoring.finalise(a.application_id, evaluator)
    if not todo[n:]:
        return
    from evaluator.services import scoring
    from evaluator.services.common import application_by_id, current_program, evaluator_by_code, rubric_def

    with store.uow.write() as s:
        ev = evaluator_by_code(s, evaluator)
        who = dict(actor=store.actor, device=store.device)
        for a in todo[n:]:
            app = application_by_id(s, a.application_id, current_program(s))
            rd = rubric_def(app.track)
            if a.application_id in abstain:
                scoring.abstain(s, app, ev, "이해관계가 있어 기권함", **who)
            else:
                for code, v in score_plan(a.application_id, evaluator, rd).items():
                    scoring.save_score(s, app, ev, code, **v, **who)
            if visit:
                scoring.save_site_visit(s, app, ev, **VISIT, checklist={c.code: True for c in rd.checklist}, **who)
            if finalise:
                scoring.finalise(s, app, ev, **who)


VISIT = {"visited_at": datetime(2012, 4, 20, 10, 30), "attendees": "대표자 외 3명", "notes": "현장 확인"}


def db_checksum(db_url: str) -> tuple:
    """A cheap fingerprint of everything a merge could write."""
    with Store(db_url) as st, st.uow.read() as s:
        from sqlalchemy import text

        return tuple(s.execute(text(
            "SELECT (SELECT count(*) FROM evaluation), (SELECT coalesce(sum(version), 0) FROM evaluation), "
            "(SELECT count(*) FROM score), (SELECT coalesce(sum(version), 0) FROM score), "
            "(SELECT count(*) FROM site_visit), (SELECT count(*) FROM attachment), "
            "(SELECT count(*) FROM package_receipt), (SELECT count(*) FROM merge_lineage), "
            "(SELECT count(*) FROM merge_conflict), (SELECT max(id) FROM audit_event), "
            "(SELECT count(*) FROM monitoring_visit), (SELECT coalesce(sum(version), 0) FROM monitoring_visit)"
        )).one())


def evaluation_totals(store: Store) -> dict[tuple[str, str], tuple[str, bool, float | None]]:
    out = {}
    for a in store.people.assignments():
        info = store.scoring.evaluation(a.application_id, a.evaluator) if a.conflict_type is None else None
        if info is not None:
            out[(a.application_id, a.evaluator)] = (info.state, info.abstained,
                                                    None if info.total is None else round(info.total, 9))
    return out


@dataclass
class Cycle:
    root: Path
    key_dir: Path
    office: Path  # office database before any merge (keys registered)
    fields: dict[str, Path] = field(default_factory=dict)
    packages: dict[str, Path] = field(default_factory=dict)
    kits: dict[str, Path] = field(default_factory=dict)
    abstain: dict[str, set[str]] = field(default_factory=dict)

    def office_copy(self, dst: Path) -> Path:
        return copy_db(self.office, dst)


def build_cycle(root: Path, template: Path) -> Cycle:
    """Demo office (before visits) → 5 kits → 5 field databases scored and finalised → 5 packages."""
    key_dir = root / "keys"
    office_path = copy_db(template, root / "office.sqlite3")
    cyc = Cycle(root=root, key_dir=key_dir, office=office_path)
    with Store(url(office_path)) as office:
        office.keys.ensure(PASS, key_dir=key_dir)
        for i, ev in enumerate(EVALUATORS):
            kit = office.packages.export_kit(ev, root / f"{ev}.mekit").value
            cyc.kits[ev] = Path(kit.path)
            fpath = root / f"field-{ev}.sqlite3"
            import_kit(kit.path, url(fpath))
            with Store(url(fpath)) as fld:
                fld.keys.ensure(PASS, key_dir=key_dir)
                fld.keys.export_public(root / f"{ev}.pub", key_dir=key_dir)
                abstain = {kit.applications[0]} if i == 2 else set()
                cyc.abstain[ev] = abstain
                enter_scores(fld, ev, abstain=abstain, via_facade=3, limit=SCORED)
                if i == 0:
                    fld.scoring.add_attachment(kit.applications[0], ev, b"\xff\xd8\xff\xe0 fake jpeg bytes", filename="현장.jpg",
                                       criterion="field_check", caption="입구 사진")
                pkg = fld.packages.export_package(root / f"{ev}-1.mepkg", key_dir=key_dir).value
                cyc.packages[ev] = Path(pkg.path)
            cyc.fields[ev] = fpath
            office.keys.register_evaluator(ev, root / f"{ev}.pub")
    return cyc


def direct_entry_office(template: Path, dst: Path, cyc: Cycle) -> Path:
    """The same scores typed straight into an office database (no kits, no packages)."""
    path = copy_db(template, dst)
    with Store(url(path)) as st:
        for ev in EVALUATORS:
            enter_scores(st, ev, abstain=cyc.abstain[ev], via_facade=0, limit=SCORED)
    return path


# --- a tiny program (for byte-flip tests: the smaller the package, the faster) --------------------
def tiny_office(root: Path, key_dir: Path, office_url: str | None = None) -> tuple[Path, Path]:
    """An office with one application and one evaluator, its kit imported into a field database
    that scored and finalised it; returns (office path, package path)."""
    office_path = root / "tiny-office.sqlite3"
    field_path = root / "tiny-field.sqlite3"
    rd = parse_rubric(small_rubric(), "mini.toml")
    with Store(office_url or url(office_path)) as office:
        office.programs.create(code="tiny", name_ko="작은 사업", tracks=[TrackSpec("activity", "활동", "Activity", rd, quota=1)])
        office.people.put_evaluator("EV01", "가상평가")
        office.applications.put({"id": "T-1", "track": "activity", "title": "작은 마을", "group_name": "모임",
                                "district": "종로구", "members": 5, "submitted_on": date(2012, 4, 1)})
        office.people.assign("T-1", "EV01")
        office.keys.ensure(PASS, key_dir=key_dir)
        kit = office.packages.export_kit("EV01", root / "tiny.mekit").value
        import_kit(kit.path, url(field_path))
        with Store(url(field_path)) as fld:
            fld.keys.ensure(PASS, key_dir=key_dir)
            enter_scores(fld, "EV01", visit=False)
            pkg = fld.packages.export_package(root / "tiny.mepkg", key_dir=key_dir).value
            office.keys.register_evaluator("EV01", fld.keys.identity(key_dir=key_dir).signing_public)
    return office_path, Path(pkg.path)


# --- crafting packages ----------------------------------------------------------------------------
def repack(src: Path, dst: Path, *, key_dir: Path, owner: str,
           manifest: Callable[[dict], None] | None = None,
           members: Callable[[dict[str, bytes]], None] | None = None,
           resign: bool = True, rehash: bool = True,
           raw_zip: Callable[[dict[str, bytes]], bytes] | None = None) -> Path:
    """Open a real package with the office key, change it, and seal it again to the office.

    ``members`` edits the member dict (data.json etc.); with ``rehash`` the manifest's hashes (and
    its counts, as the laptop counts them) are updated, with ``resign`` it is signed again with
    ``owner``'s key — so a test can make exactly one thing wrong.  ``raw_zip`` builds the inner
    archive bytes itself (for hostile archives)."""
    office = K.load_identity(key_dir, PASS, owner="office")
    m, mbytes, sig, mem = unseal(src.read_bytes(), office, "test")
    mem = {k: v for k, v in mem.items() if k not in ("manifest.json", "manifest.sig")}
    if members:
        members(mem)
    if rehash:
        m["members"] = {name: {"sha256": F.sha256(body), "size": len(body)} for name, body in mem.items()}
        if m.get("format_version") == 2 and "audit.json" in mem:  # (the trail also as zip_bytes stores it)
            stored = deflate(mem["audit.json"])
            m["members"]["audit.json"]["stored"] = {"sha256": F.sha256(stored), "size": len(stored)}
        m["counts"] = recount(mem, m["counts"])
    if manifest:
        manifest(m)
    mbytes = F.dumps(m)
    if resign:
        sig = K.load_identity(key_dir, PASS, owner=owner).sign(F.SIGNING_CONTEXT + mbytes)
    all_members = {"manifest.json": mbytes, "manifest.sig": sig, **mem}
    inner = raw_zip(all_members) if raw_zip else zip_bytes(list(all_members.items()))
    office_info = office.info
    dst.write_bytes(seal(inner, office_info))
    return dst


def as_version_1(m: dict) -> None:
    """A ``repack`` manifest editor: the package as a laptop wrote it before format version 2 (no
    member listed as stored)."""
    m["format_version"] = 1
    for entry in m["members"].values():
        entry.pop("stored", None)


def recount(members: dict[str, bytes], counts: dict[str, Any]) -> dict[str, Any]:
    """The manifest counts of these members, as the laptop counts them (``counts`` unchanged
    where a member is too damaged to count)."""
    import json

    out = dict(counts)
    try:
        data = json.loads(members["data.json"])
        evaluations = data["evaluations"]
        out.update(evaluations=len(evaluations), finalised=sum(1 for e in evaluations if e["state"] == "finalised"),
                   scores=sum(1 for e in evaluations for sc in e["scores"] if sc[3] is not None),
                   site_visits=len(data["site_visits"]), attachments=len(data["attachments"]))
    except (KeyError, TypeError, ValueError, IndexError, RecursionError):
        pass
    try:
        out["audit_entries"] = len(json.loads(members["audit.json"]))
    except (KeyError, TypeError, ValueError, RecursionError):
        pass
    return out


def zip_bytes(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in members:
                zf.writestr(name, body)
    return buf.getvalue()


def patch_declared_size(blob: bytes, member: str, size: int, compressed: int | None = None) -> bytes:
    """Rewrite the (uncompressed, and optionally compressed) size a ZIP's central directory
    declares for ``member``."""
    data = bytearray(blob)
    start = 0
    needle = member.encode()
    while True:
        i = data.find(b"PK\x01\x02", start)
        if i < 0:
            raise AssertionError(f"{member} not in the central directory")
        name_len = int.from_bytes(data[i + 28:i + 30], "little")
        if bytes(data[i + 46:i + 46 + name_len]) == needle:
            data[i + 24:i + 28] = size.to_bytes(4, "little")
            if compressed is not None:
                data[i + 20:i + 24] = compressed.to_bytes(4, "little")
            return bytes(data)
        start = i + 4


def copy_file(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


# --- one tiny office and its package, shared by the tests that tamper with it --------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(root, key folder, office database, a valid result package), made once per test module."""
    root = tmp_path_factory.mktemp("tiny")
    key_dir = root / "keys"
    office, pkg = tiny_office(root, key_dir)
    return root, key_dir, office, pkg


@pytest.fixture
def office(tiny, tmp_path):
    """A fresh copy of the tiny office, its key unlocked."""
    _, key_dir, src, _ = tiny
    path = copy_db(src, tmp_path / "office.sqlite3")
    st = Store(url(path))
    st.keys.unlock(PASS, key_dir=key_dir)
    yield st
    st.close()


def edit_data(fn: Callable[[dict], Any]) -> Callable[[dict], None]:
    """A ``repack`` members editor that applies ``fn`` to the decoded ``data.json``."""
    def members(m):
        doc = json.loads(m["data.json"])
        fn(doc)
        m["data.json"] = json.dumps(doc).encode()
    return members
