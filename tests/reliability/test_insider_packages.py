"""Attacks on the merge: an insider holding a legitimately registered evaluator key, anyone holding
the office's public key (it is in every kit), crafted contents and damaged members.

Every package here is made with the project's own modules (``tests.core.packages_fixtures.repack``:
open a real package with the office key, change it, sign it again with a registered evaluator's key,
seal it to the office).  Each attack must be refused with one sentence naming the file — the office
database byte-for-byte as it was (canonical dump) — or handled as documented; never an exit 70, a
traceback, or a write to another evaluator's records.

1. Cross-evaluator writes: EV01's signed package naming EV02's photo, evaluation (with its
   abstention), score, site visit (visit log, checklist answers); records of applications EV01
   does not hold; EV01's own records moved to another application or criterion; a uuid twice.
   Plus a hypothesis property: a package signed by A never changes any row owned by B.
2. Parsing before verifying: manifests, data and audit members nested 100,000+ deep or holding
   millions of values, an unsigned deep manifest, a deep envelope header; evidence kept before
   the fix that ``packages --verify`` must still report instead of crashing on.
3. Integers out of range: sequence 2^63, 2^64, 2^63 − 1, …, counts and versions out of range or not
   what the package holds; a sequence far ahead of the last one merged.
4. One bad package among good ones: refused or crashing, it never keeps the others from merging.
5. Times from the future: refused; an office correction is never silently overridden.
"""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.cli import main as cli_main
from evaluator.db.models import utcnow
from evaluator.packages import formats as F
from evaluator.packages import incoming
from evaluator.packages import plan as plan_module
from evaluator.packages.envelope import seal
from evaluator.workflows import import_kit
from evaluator.packages.results import MERGED
from evaluator.rubric import parse_rubric
from evaluator.services.programs import TrackSpec
from evaluator.store import Store

from ..core.packages_fixtures import PASS, as_version_1, copy_db, enter_scores, repack, url, zip_bytes
from ..core.rubric_samples import small_rubric
from .support import dump_checksum, full_run, raw_connect, record, seeded

EVALUATORS = ("EV01", "EV02")
#: EV01 holds T-1 and T-2, EV02 holds T-2 and T-3 (both evaluate T-2)
HOLDS = {"EV01": ("T-1", "T-2"), "EV02": ("T-2", "T-3")}
FORGED = "위조된 설명"


@dataclass
class World:
    root: Path
    key_dir: Path
    unmerged: Path  # office with both keys registered, nothing merged
    ev02_only: Path  # EV02's package merged (EV01's records are new there)
    merged: Path  # both packages merged
    fields: dict[str, Path] = field(default_factory=dict)
    packages: dict[str, Path] = field(default_factory=dict)
    kits: dict[str, Path] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    """Two evaluators sharing one application, each with scores, a finalised evaluation, a site
    visit with its checklist answered and a photo per application; the office before and after."""
    root = tmp_path_factory.mktemp("insider")
    key_dir = root / "keys"
    unmerged = root / "unmerged.sqlite3"
    w = World(root, key_dir, unmerged, root / "ev02-only.sqlite3", root / "merged.sqlite3")
    rd = parse_rubric(small_rubric(), "mini.toml")
    with Store(url(unmerged)) as office:
        office.programs.create(code="tiny", name_ko="작은 사업",
                              tracks=[TrackSpec("activity", "활동", "Activity", rd, quota=2)])
        for ev in EVALUATORS:
            office.people.put_evaluator(ev, f"가상평가 {ev}")
        for i, app in enumerate(("T-1", "T-2", "T-3"), 1):
            office.applications.put({"id": app, "track": "activity", "title": f"작은 마을 {i}", "group_name": "모임",
                                    "district": "종로구", "members": 5, "submitted_on": date(2012, 4, i)})
        for ev, apps in HOLDS.items():
            for app in apps:
                office.people.assign(app, ev)
        office.keys.ensure(PASS, key_dir=key_dir)
        for ev in EVALUATORS:
            kit = office.packages.export_kit(ev, root / f"{ev}.mekit").value
            w.kits[ev] = Path(kit.path)
            fpath = w.fields[ev] = root / f"field-{ev}.sqlite3"
            import_kit(kit.path, url(fpath))
            with Store(url(fpath)) as fld:
                fld.keys.ensure(PASS, key_dir=key_dir)
                enter_scores(fld, ev)
                for app in HOLDS[ev]:
                    fld.scoring.add_attachment(app, ev, f"{ev} {app} photo".encode(), filename=f"{app}.jpg",
                                       criterion="b", caption=f"{ev}의 {app} 사진")
                w.packages[ev] = Path(fld.packages.export_package(root / f"{ev}-1.mepkg", key_dir=key_dir).value.path)
                office.keys.register_evaluator(ev, fld.keys.identity(key_dir=key_dir).signing_public)
    copy_db(unmerged, w.ev02_only)
    with Store(url(w.ev02_only)) as office:
        office.keys.unlock(PASS, key_dir=key_dir)
        assert office.packages.merge([w.packages["EV02"]]).value[0].status == MERGED
    copy_db(w.ev02_only, w.merged)
    with Store(url(w.merged)) as office:
        office.keys.unlock(PASS, key_dir=key_dir)
        assert office.packages.merge([w.packages["EV01"]]).value[0].status == MERGED
    return w


class Office:
    """A copy of one of the world's offices, open and unlocked."""

    def __init__(self, src: Path, dst: Path, key_dir: Path) -> None:
        self.path = copy_db(src, dst)
        self.store = Store(url(self.path))
        self.store.keys.unlock(PASS, key_dir=key_dir)

    def merge(self, *paths: Path):
        return self.store.packages.merge(list(paths)).value

    def dump(self) -> str:
        return dump_checksum(self.path)

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def office(world, tmp_path):
    o = Office(world.merged, tmp_path / "office.sqlite3", world.key_dir)
    yield o
    o.close()


def craft(world: World, dst: Path, *, owner: str = "EV01", sequence: int | None = 2, data=None, manifest=None,
          audit=None, src: Path | None = None) -> Path:
    """``owner``'s package changed by ``data(doc)`` / ``manifest(doc)`` / ``audit(bytes) -> bytes``, its
    hashes and counts made right again, signed with ``owner``'s registered key, sealed to the office."""

    def members(m):
        if data is not None:
            doc = json.loads(m["data.json"])
            data(doc)
            m["data.json"] = F.dumps(doc)
        if audit is not None:
            m["audit.json"] = audit(m["audit.json"])

    def edit_manifest(m):
        if sequence is not None:
            m["sequence"] = sequence
        if manifest is not None:
            manifest(m)

    return repack(src or world.packages[owner], dst, key_dir=world.key_dir, owner=owner, members=members,
                  manifest=edit_manifest)


def rows_owned_by(path: Path, evaluator: str) -> dict[str, list[tuple]]:
    """Every row that belongs to ``evaluator`` at the office, with every column."""
    conn = raw_connect(path)
    try:
        ev_id = conn.execute("SELECT id FROM evaluator WHERE code = ?", (evaluator,)).fetchone()[0]
        q = {
            "assignment": "SELECT * FROM assignment WHERE evaluator_id = ? ORDER BY id",
            "evaluation": "SELECT e.* FROM evaluation e JOIN assignment a ON a.id = e.assignment_id "
                          "WHERE a.evaluator_id = ? ORDER BY e.id",
            "score": "SELECT s.* FROM score s JOIN evaluation e ON e.id = s.evaluation_id "
                     "JOIN assignment a ON a.id = e.assignment_id WHERE a.evaluator_id = ? ORDER BY s.id",
            "site_visit": "SELECT * FROM site_visit WHERE evaluator_id = ? ORDER BY id",
            "attachment": "SELECT * FROM attachment WHERE evaluator_id = ? ORDER BY id",
            "merge_lineage": "SELECT * FROM merge_lineage WHERE evaluator_id = ? ORDER BY id",
        }
        return {name: conn.execute(sql, (ev_id,)).fetchall() for name, sql in q.items()}
    finally:
        conn.close()


@dataclass
class Ids:
    """The uuids of one evaluator's records at the office."""

    evaluation: dict[str, str]  # application -> uuid
    score: dict[tuple[str, str], str]  # (application, criterion) -> uuid
    site_visit: dict[str, str]
    attachment: dict[str, str]

    def every(self) -> list[str]:
        return [*self.evaluation.values(), *self.score.values(), *self.site_visit.values(),
                *self.attachment.values()]


def ids_of(path: Path, evaluator: str) -> Ids:
    conn = raw_connect(path)
    try:
        def pairs(sql):
            return conn.execute(sql, (evaluator,)).fetchall()

        join = "JOIN evaluator ev ON ev.id = a.evaluator_id JOIN application app ON app.id = a.application_id"
        return Ids(
            evaluation=dict(pairs(f"SELECT app.external_id, e.uuid FROM evaluation e JOIN assignment a "
                                  f"ON a.id = e.assignment_id {join} WHERE ev.code = ?")),
            score={(app, crit): u for app, crit, u in pairs(
                f"SELECT app.external_id, c.code, s.uuid FROM score s JOIN criterion c ON c.id = s.criterion_id "
                f"JOIN evaluation e ON e.id = s.evaluation_id JOIN assignment a ON a.id = e.assignment_id {join} "
                "WHERE ev.code = ?")},
            site_visit=dict(pairs("SELECT app.external_id, v.uuid FROM site_visit v JOIN evaluator ev ON "
                                  "ev.id = v.evaluator_id JOIN application app ON app.id = v.application_id "
                                  "WHERE ev.code = ?")),
            attachment=dict(pairs("SELECT app.external_id, t.uuid FROM attachment t JOIN evaluator ev ON "
                                  "ev.id = t.evaluator_id JOIN application app ON app.id = t.application_id "
                                  "WHERE ev.code = ?")),
        )
    finally:
        conn.close()


def _of(records: list[dict], app: str) -> dict:
    return next(r for r in records if r["application"] == app)


def _refused(office: Office, path: Path, before: str, *why: str) -> str:
    [r] = office.merge(path)
    assert r.rejected, (r.status, r.counts)
    assert path.name in r.reason and "Traceback" not in r.reason, r.reason
    for w in why:
        assert w in r.reason, r.reason
    assert office.dump() == before, "a refused package changed the office database"
    return r.reason


# --- 1. every record a package touches belongs to the evaluator who signed it ------------------------
def _photo(x: Ids, me: Ids):
    def attack(d):  # EV02's photo of the application both hold: deleted, with a new caption
        d["attachments"][0].update(uuid=x.attachment["T-2"], application="T-2", deleted=True, caption=FORGED)
    return attack


def _photo_elsewhere(x: Ids, me: Ids):
    def attack(d):  # EV02's photo of an application EV01 does not hold
        d["attachments"][0].update(uuid=x.attachment["T-3"], application="T-3", deleted=True, caption=FORGED)
    return attack


def _new_photo(x: Ids, me: Ids):
    def attack(d):  # a record added to the package under EV02's photo id
        d["attachments"].append(dict(d["attachments"][0], uuid=x.attachment["T-2"], application="T-2",
                                     caption=FORGED))
    return attack


def _evaluation(x: Ids, me: Ids):
    def attack(d):
        _of(d["evaluations"], "T-1").update(uuid=x.evaluation["T-2"], comment=FORGED)
    return attack


def _abstention(x: Ids, me: Ids):
    def attack(d):
        _of(d["evaluations"], "T-2").update(uuid=x.evaluation["T-2"], abstained=True, abstain_reason=FORGED)
    return attack


def _score(x: Ids, me: Ids):
    def attack(d):
        sc = _of(d["evaluations"], "T-2")["scores"][0]
        sc[0], sc[2], sc[3], sc[4] = x.score[("T-2", sc[1])], "ga", 12.0, FORGED
    return attack


def _visit_log(x: Ids, me: Ids):
    def attack(d):
        _of(d["site_visits"], "T-2").update(uuid=x.site_visit["T-2"], notes=FORGED, attendees=FORGED)
    return attack


def _checklist(x: Ids, me: Ids):
    def attack(d):
        _of(d["site_visits"], "T-2").update(uuid=x.site_visit["T-2"], checklist={"met": False})
    return attack


def _evaluation_elsewhere(x: Ids, me: Ids):
    def attack(d):
        e = json.loads(json.dumps(_of(d["evaluations"], "T-1")))
        for i, sc in enumerate(e["scores"]):
            sc[0] = f"00000000-0000-4000-8000-{i:012d}"
        d["evaluations"].append(dict(e, uuid=x.evaluation["T-3"], application="T-3"))
    return attack


def _visit_elsewhere(x: Ids, me: Ids):
    def attack(d):
        d["site_visits"].append(dict(_of(d["site_visits"], "T-1"), uuid=x.site_visit["T-3"], application="T-3"))
    return attack


def _own_photo_moved(x: Ids, me: Ids):
    def attack(d):  # EV01's own photo of T-1, said to be of T-2
        photo = next(a for a in d["attachments"] if a["uuid"] == me.attachment["T-1"])
        photo.update(application="T-2", caption=FORGED)
    return attack


def _own_score_moved(x: Ids, me: Ids):
    def attack(d):  # EV01's own scores of T-1 swap their ids (each now names the other criterion's row)
        a, b = _of(d["evaluations"], "T-1")["scores"][:2]
        a[0], b[0] = b[0], a[0]
    return attack


def _named_twice(x: Ids, me: Ids):
    def attack(d):
        scores = _of(d["evaluations"], "T-1")["scores"]
        scores[1][0] = scores[0][0]
    return attack


#: attacks on EV01's own records at the office: where EV01 has none yet they are just new records
ONLY_WHERE_MERGED = {"own photo moved to another application", "own score moved to another criterion"}
ATTACKS = {
    # kind: (attack, what the reason says)
    "photo (deleted, new caption)": (_photo, ("names photo", "EV02's", "EV01")),
    "photo added under another's id": (_new_photo, ("names photo", "EV02's")),
    "photo of an application not held": (_photo_elsewhere, ("not assigned to EV01",)),
    "evaluation": (_evaluation, ("names evaluation", "EV02's")),
    "abstention": (_abstention, ("names evaluation", "EV02's")),
    "score": (_score, ("names score", "EV02's")),
    "site visit log": (_visit_log, ("names site visit", "EV02's")),
    "checklist answers": (_checklist, ("names site visit", "EV02's")),
    "evaluation of an application not held": (_evaluation_elsewhere, ("not assigned to EV01",)),
    "site visit of an application not held": (_visit_elsewhere, ("not assigned to EV01",)),
    "own photo moved to another application": (_own_photo_moved, ("another application",)),
    "own score moved to another criterion": (_own_score_moved, ("another criterion",)),
    "one id named twice": (_named_twice, ("twice",)),
}
_outcomes: dict[str, int] = {}


@pytest.mark.parametrize("where", ["merged", "first merge"])
@pytest.mark.parametrize("kind", sorted(ATTACKS))
def test_a_signed_package_may_change_only_its_own_evaluators_records(world, tmp_path, kind, where):
    """EV01's correctly signed package naming EV02's records (or records EV01 does not hold) is
    refused whole, with the reason, before anything is written; EV01's next honest package merges."""
    src = world.merged if where == "merged" else world.ev02_only
    office = Office(src, tmp_path / "office.sqlite3", world.key_dir)
    try:
        sequence = 2 if where == "merged" else 1
        attack, why = ATTACKS[kind]
        theirs, mine = ids_of(world.merged, "EV02"), ids_of(world.merged, "EV01")
        victim_before = rows_owned_by(office.path, "EV02")
        before = office.dump()
        bad = craft(world, tmp_path / "attack.mepkg", sequence=sequence, data=attack(theirs, mine))
        if where == "first merge" and kind in ONLY_WHERE_MERGED:
            [r] = office.merge(bad)  # (EV01's records are new here: nothing of the office's is named)
            assert r.status == MERGED and rows_owned_by(office.path, "EV02") == victim_before, r.reason
            return
        _refused(office, bad, before, *why)
        assert rows_owned_by(office.path, "EV02") == victim_before
        # the refusal used up nothing: the honest package with the same number merges
        [ok] = office.merge(craft(world, tmp_path / "honest.mepkg", sequence=sequence))
        assert ok.status == MERGED, ok.reason
        assert rows_owned_by(office.path, "EV02") == victim_before
        assert office.store.verify_audit().ok
        _outcomes[kind] = _outcomes.get(kind, 0) + 1
    finally:
        office.close()


def test_the_photo_attack_as_reported(world, office, tmp_path):
    """The finding as reported: EV01's package names EV02's photo with deleted: true and a new
    caption; it used to merge as "1 updated"."""
    theirs = ids_of(world.merged, "EV02")
    photo = theirs.attachment["T-2"]
    [before_photo] = [a for a in office.store.scoring.attachments(evaluator="EV02") if a.uuid == photo]
    bad = craft(world, tmp_path / "photo.mepkg", data=_photo(theirs, theirs))
    reason = _refused(office, bad, office.dump(), f"names photo {photo}", "EV02's")
    assert "nothing of it was merged" in reason
    [after_photo] = [a for a in office.store.scoring.attachments(evaluator="EV02") if a.uuid == photo]
    assert after_photo == before_photo and after_photo.caption != FORGED


def test_ownership_figures():
    record("ownership: a signed package naming another evaluator's records (refused whole)",
           trials=sum(_outcomes.values()), inputs=len(_outcomes), kinds=len(ATTACKS))


# --- the property: a package signed by A never changes a row owned by B ------------------------------
_property = {"merged": 0, "refused": 0}
_sequences: dict[str, itertools.count] = {}
_KIND_FIELDS = {"evaluation": ("evaluations", None), "score": ("evaluations", "scores"),
                "site_visit": ("site_visits", None), "attachment": ("attachments", None)}


@pytest.fixture(scope="module")
def property_office(world, tmp_path_factory):
    o = Office(world.merged, tmp_path_factory.mktemp("property") / "office.sqlite3", world.key_dir)
    yield o
    o.close()


@st.composite
def _mutations(draw, signer_ids: Ids, victim_ids: Ids):
    """1–4 changes to the signer's data.json, each naming an id (the victim's, mostly) and maybe
    another application, for a random kind of record."""
    pool = victim_ids.every() + signer_ids.every() + ["00000000-0000-4000-8000-000000000000"]
    out = []
    for _ in range(draw(st.integers(1, 4))):
        out.append((draw(st.sampled_from(sorted(_KIND_FIELDS))), draw(st.integers(0, 5)), draw(st.sampled_from(pool)),
                    draw(st.sampled_from([None, "T-1", "T-2", "T-3"])), draw(st.booleans()), draw(st.booleans())))
    return out


def _apply(doc: dict, mutations: list[tuple]) -> None:
    for kind, index, uuid, app, add, flag in mutations:
        key, inner = _KIND_FIELDS[kind]
        records = doc[key]
        if not records:
            continue
        rec = records[index % len(records)]
        if add:  # a new record beside the real ones
            rec = json.loads(json.dumps(rec))
            records.append(rec)
        if inner is not None:
            sc = rec[inner][index % len(rec[inner])]
            sc[0] = uuid
            if flag:
                sc[2], sc[3] = "ga", None
            continue
        rec["uuid"] = uuid
        if app is not None:
            rec["application"] = app
        if flag:
            rec.update({"evaluations": {"abstained": True, "abstain_reason": FORGED},
                        "site_visits": {"checklist": {"met": False}, "notes": FORGED},
                        "attachments": {"deleted": True, "caption": FORGED}}[key])


@settings(max_examples=300 if full_run() else 12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_a_package_signed_by_A_never_changes_a_row_owned_by_B(world, property_office, tmp_path_factory, data):
    office = property_office
    signer = data.draw(st.sampled_from(EVALUATORS))
    victim = next(ev for ev in EVALUATORS if ev != signer)
    mutations = data.draw(_mutations(ids_of(office.path, signer), ids_of(office.path, victim)))
    seq = _sequences.setdefault(signer, itertools.count(2))
    victim_before = rows_owned_by(office.path, victim)
    before = office.dump()
    p = craft(world, tmp_path_factory.getbasetemp() / "property.mepkg", owner=signer, sequence=next(seq),
              data=lambda d: _apply(d, mutations))
    [r] = office.merge(p)
    assert rows_owned_by(office.path, victim) == victim_before, (signer, mutations, r.status, r.reason)
    if r.rejected:
        assert "property.mepkg" in r.reason and office.dump() == before, r.reason
        _property["refused"] += 1
    else:
        _property["merged"] += 1


def test_property_figures():
    record("ownership property (hypothesis): a package signed by A never changes a row owned by B",
           trials=sum(_property.values()), **_property)


# --- 2. the signature is verified before the manifest is parsed; every JSON member is bounded -------
def _seal_inner(world: World, members: dict[str, bytes], dst: Path) -> Path:
    from evaluator.packages import keys as K

    office = K.load_identity(world.key_dir, PASS, owner="office")
    dst.write_bytes(seal(zip_bytes(list(members.items())), office.info))
    return dst


def _real_members(world: World, owner: str = "EV01") -> dict[str, bytes]:
    from evaluator.packages import keys as K
    from evaluator.packages.merge import unseal

    office = K.load_identity(world.key_dir, PASS, owner="office")
    return unseal(world.packages[owner].read_bytes(), office, "test")[3]


def _deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


_bounded: dict[str, int] = {}


def _cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = cli_main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name, manifest", [
    ("a manifest nested 200,000 deep, not signed", _deep(200_000)),
    ("a manifest naming EV01, nested 200,000 deep, not signed",
     b'{"evaluator":{"code":"EV01"},"x":' + _deep(200_000) + b"}"),
    ("a manifest of 5 MB", b'{"evaluator":{"code":"EV01"},"x":"' + b"a" * 5_000_000 + b'"}'),
])
def test_anyone_with_the_office_key_cannot_make_the_merge_parse_an_unsigned_manifest(world, office, tmp_path, capsys,
                                                                                    name, manifest):
    members = _real_members(world)
    members["manifest.json"] = manifest
    members["manifest.sig"] = os.urandom(64)
    bad = _seal_inner(world, members, tmp_path / "unsigned.mepkg")
    _refused(office, bad, office.dump())
    code, out, err = _cli(["merge", str(bad), "--db", str(office.path), "--key-dir", str(world.key_dir),
                           "--passphrase-file", str(_passfile(tmp_path))], capsys)
    assert code == 2 and "unexpected" not in err and "Traceback" not in err + out, (code, err)
    _bounded[name] = 1


def _passfile(tmp_path: Path) -> Path:
    p = tmp_path / "pass.txt"
    p.write_text(PASS + "\n")
    return p


@pytest.mark.parametrize("name, change, why", [
    ("signed manifest nested 50 deep in an extra key", dict(manifest=lambda m: m.update(extra=json.loads(_deep(50)))),
     "nested more than 8 levels"),
    ("signed manifest with 200,000 values", dict(manifest=lambda m: m.update(extra=[0] * 200_000)),
     "at most 100,000"),
    ("signed manifest of 5 MB", dict(manifest=lambda m: m.update(extra=os.urandom(2_500_000).hex())),
     "at most 4,194,304"),
    ("data.json nested 100,000 deep", dict(data_bytes=_deep(100_000)), "nested more than 16 levels"),
    ("data.json with 6,000,000 values", dict(data_bytes=lambda: _many_digits(6_000_000)), "at most 5,000,000"),
    # (a package of format version 1: the merge checks its trail; version 2's is checked by
    # packages --verify, below)
    ("audit.json nested 100,000 deep", dict(audit=lambda _b: _deep(100_000), version=1),
     "nested more than 32 levels"),
    ("audit entry nested 1,000 deep", dict(audit=lambda b: _deep_entry(b, 1000), version=1),
     "nested more than 32 levels"),
    ("audit.json that is not a list of entries", dict(audit=lambda _b: b'{"a": 1}', version=1),
     "not a list of audit entries"),
    ("audit.json not ending at the signed head", dict(audit=lambda b: _drop_last_entry(b), version=1), "audit_head"),
])
def test_every_json_member_is_bounded_before_it_is_parsed(world, office, tmp_path, name, change, why):
    p = _craft_bytes(world, tmp_path / "deep.mepkg", **change)
    _refused(office, p, office.dump(), why)
    assert all(c.ok for c in office.store.packages.verify_evidence())
    _bounded[name] = 1


BAD_TRAILS = [
    ("audit.json nested 100,000 deep", dict(audit=lambda _b: _deep(100_000)), "nested more than 32 levels"),
    ("audit entry nested 1,000 deep", dict(audit=lambda b: _deep_entry(b, 1000)), "nested more than 32 levels"),
    ("audit.json that is not a list of entries", dict(audit=lambda _b: b'{"a": 1}'), "unreadable"),
    ("audit.json not ending at the signed head", dict(audit=lambda b: _drop_last_entry(b)),
     "does not end where the manifest says"),
    ("counts.audit_entries one more than present", dict(manifest=lambda m: m["counts"].update(
        audit_entries=m["counts"]["audit_entries"] + 1)), "the manifest says"),
]


@pytest.mark.parametrize("name, change, why", BAD_TRAILS, ids=[n for n, _, _ in BAD_TRAILS])
def test_a_version_2_trail_signed_as_stored_is_kept_unread_and_packages_verify_names_what_is_wrong(
        world, office, tmp_path, capsys, name, change, why):
    """Format version 2 signs the laptop's trail as stored: the merge checks those bytes and keeps
    them without inflating or parsing them (docs/package-format.md, step 8); the evaluator who
    signed a trail that is not a bounded list of entries ending at the signed head is found by
    ``packages --verify``, which names the package."""
    p = _craft_bytes(world, tmp_path / "trail.mepkg", **change)
    [r] = office.merge(p)
    assert r.status == MERGED, r.reason
    checks = office.store.packages.verify_evidence()
    bad = [c for c in checks if not c.ok]
    assert len(bad) == 1 and bad[0].evaluator == "EV01" and bad[0].sequence == 2 and why in bad[0].problem, checks
    code, out, err = _cli(["packages", "--verify", "--db", str(office.path)], capsys)
    assert code == 5 and "FAILED" in out and "unexpected" not in err, (code, out, err)
    _bounded[f"{name} (format 2: packages --verify)"] = 1


def _many_digits(n: int) -> bytes:
    """A JSON array of ``n`` random digits (random, so that it does not compress like a bomb)."""
    text = bytearray(b"," * (2 * n + 1))
    text[1::2] = os.urandom(n).translate(bytes(48 + b % 10 for b in range(256)))
    text[0:1], text[-1:] = b"[", b"]"
    return bytes(text)


def _craft_bytes(world: World, dst: Path, *, data_bytes=None, manifest=None, audit=None, version=2) -> Path:
    def members(m):
        if data_bytes is not None:
            m["data.json"] = data_bytes() if callable(data_bytes) else data_bytes
        if audit is not None:
            m["audit.json"] = audit(m["audit.json"])

    def edit(m):
        m["sequence"] = 2
        if version == 1:
            as_version_1(m)
        if manifest is not None:
            manifest(m)

    return repack(world.packages["EV01"], dst, key_dir=world.key_dir, owner="EV01", members=members, manifest=edit)


def _deep_entry(trail: bytes, depth: int) -> bytes:
    entries = json.loads(trail)
    text = json.dumps(entries[:-1])[:-1] + ("," if len(entries) > 1 else "")
    last = dict(entries[-1], new="@@")
    return (text + json.dumps(last).replace('"@@"', _deep(depth).decode()) + "]").encode()


def _drop_last_entry(trail: bytes) -> bytes:
    return json.dumps(json.loads(trail)[:-1]).encode()


def test_a_deep_envelope_header_is_refused(world, office, tmp_path):
    from evaluator.packages.envelope import MAGIC, VERSION

    header = _deep(2000)
    p = tmp_path / "header.mepkg"
    p.write_bytes(MAGIC + bytes([VERSION]) + len(header).to_bytes(4, "big") + header + os.urandom(64))
    _refused(office, p, office.dump(), "damaged")
    _bounded["envelope header nested 2,000 deep"] = 1


@pytest.mark.plain_sqlite
def test_packages_verify_reports_a_kept_trail_nested_too_deep_instead_of_crashing(world, office, tmp_path, capsys):
    """Evidence a merge kept before the bounds existed: a signed package whose audit trail is nested
    100,000 deep.  ``packages --verify`` names it as failed and checks the others (exit 5, not 70)."""
    deep = _deep(100_000)
    sneaky = _craft_bytes(world, tmp_path / "kept.mepkg", audit=lambda _b: deep)
    from evaluator.packages import keys as K
    from evaluator.packages.merge import unseal

    key = K.load_identity(world.key_dir, PASS, owner="office")
    _, mbytes, sig, _ = unseal(sneaky.read_bytes(), key, "kept")
    conn = raw_connect(office.path)
    try:  # what the merge of that package kept, before the fix
        conn.execute("UPDATE package_evidence SET manifest = ?, signature = ?, audit_method = 0, audit_trail = ?, "
                     "audit_entries = 0 WHERE receipt_id = (SELECT r.id FROM package_receipt r JOIN evaluator e "
                     "ON e.id = r.evaluator_id WHERE e.code = 'EV01')", (mbytes, sig, deep))
    finally:
        conn.close()
    checks = office.store.packages.verify_evidence()
    bad = [c for c in checks if not c.ok]
    assert len(bad) == 1 and "nested" in bad[0].problem and len(checks) == 2, checks
    code, out, err = _cli(["packages", "--verify", "--db", str(office.path)], capsys)
    assert code == 5 and "FAILED" in out and "unexpected" not in err, (code, out, err)
    _bounded["packages --verify on kept evidence nested 100,000 deep"] = 1


def test_bounded_json_figures():
    record("bounded JSON: deep, huge or unsigned members refused before they are parsed", trials=len(_bounded))


# --- 3. every number in the manifest and the data is within its documented range ---------------------
def _set(path: str, value):
    def edit(m):
        *parents, last = path.split(".")
        for p in parents:
            m = m[p]
        m[last] = value
    return edit


def _version(value):
    def edit(d):
        d["evaluations"][0]["version"] = value
    return edit


NUMBERS = [
    ("sequence 2^63", dict(sequence=2**63), "manifest sequence"),
    ("sequence 2^64", dict(sequence=2**64), "manifest sequence"),
    ("sequence 2^63 - 1", dict(sequence=2**63 - 1), "manifest sequence"),
    ("sequence 0", dict(sequence=0), "manifest sequence"),
    ("sequence -1", dict(sequence=-1), "manifest sequence"),
    ("sequence 2.0", dict(sequence=2.0), "manifest sequence"),
    ("sequence '2'", dict(sequence="2"), "manifest sequence"),
    ("sequence true", dict(sequence=True), "manifest sequence"),
    ("sequence 10^100", dict(sequence=10**100), "a 101-digit number"),
    ("sequence 1,002 after 1", dict(sequence=1002), "more than 1,000 ahead"),
    ("kit_sequence 2^64", dict(manifest=_set("kit_sequence", 2**64)), "manifest kit_sequence"),
    ("kit_sequence -1", dict(manifest=_set("kit_sequence", -1)), "manifest kit_sequence"),
    ("counts.audit_entries 2^63", dict(manifest=_set("counts.audit_entries", 2**63)), "counts.audit_entries"),
    ("counts.audit_entries -1", dict(manifest=_set("counts.audit_entries", -1)), "counts.audit_entries"),
    ("counts.audit_entries one more than present (format 1)", dict(manifest=lambda m: (as_version_1(m), m[
        "counts"].update(audit_entries=m["counts"]["audit_entries"] + 1))), "counts.audit_entries"),
    ("counts.scores one fewer than present", dict(manifest=lambda m: m["counts"].update(
        scores=m["counts"]["scores"] - 1)), "counts.scores"),
    ("counts.finalised 2^31", dict(manifest=_set("counts.finalised", 2**31)), "counts.finalised"),
    ("a member's size not its size", dict(manifest=lambda m: m["members"]["data.json"].update(size=1)),
     "does not match"),
    ("a member's size 2^64", dict(manifest=lambda m: m["members"]["data.json"].update(size=2**64)), "size"),
    ("evaluation version 2^31", dict(data=_version(2**31)), "not a whole number"),
    ("evaluation version 2^63", dict(data=_version(2**63)), "not a whole number"),
    ("evaluation version -1", dict(data=_version(-1)), "not a whole number"),
    ("score version 2^64", dict(data=lambda d: d["evaluations"][0]["scores"][0].__setitem__(5, 2**64)),
     "version is not a whole number"),
    ("visit version 2^31", dict(data=lambda d: d["site_visits"][0].__setitem__("version", 2**31)),
     "not a whole number"),
    ("photo size 2^63", dict(data=lambda d: d["attachments"][0].__setitem__("size", 2**63)), "wrong size"),
    ("score points 1e308", dict(data=lambda d: d["evaluations"][0]["scores"][0].__setitem__(3, 1e308)),
     "do not match its level"),
]
_numbers: dict[str, int] = {}


@pytest.mark.parametrize("name, change, why", NUMBERS, ids=[n for n, _, _ in NUMBERS])
def test_every_number_is_within_its_range_and_a_refusal_is_no_replay(world, office, tmp_path, name, change, why):
    change = dict(change)
    p = craft(world, tmp_path / "numbers.mepkg", sequence=change.pop("sequence", 2), **change)
    _refused(office, p, office.dump(), why)
    # the laptop's next honest package is not mistaken for a replay
    [ok] = office.merge(craft(world, tmp_path / "next.mepkg", sequence=2))
    assert ok.status == MERGED, ok.reason
    _numbers[name] = 1


def test_a_sequence_may_grow_by_up_to_a_thousand(world, office, tmp_path):
    [r] = office.merge(craft(world, tmp_path / "far.mepkg", sequence=1 + incoming.SEQUENCE_STEP))
    assert r.status == MERGED, r.reason
    before = office.dump()
    _refused(office, craft(world, tmp_path / "farther.mepkg", sequence=2 + 2 * incoming.SEQUENCE_STEP), before,
             "more than 1,000 ahead")
    _numbers["sequence 1,001 after 1 (merged), then 2,002 (refused)"] = 1


def test_number_figures():
    record("numbers out of range in the manifest and data (refused; no replay after)", trials=len(_numbers))


# --- 4. one bad package never keeps the others from merging ---------------------------------------
def _unmerged(world: World, tmp_path: Path) -> Office:
    return Office(world.unmerged, tmp_path / "fresh.sqlite3", world.key_dir)


_isolation: dict[str, int] = {}


@pytest.mark.parametrize("order", ["good bad", "bad good"])
def test_merge_good_and_bad_on_the_command_line(world, tmp_path, capsys, order):
    """The finding as reported: in ``merge GOOD BAD`` a crash on BAD left GOOD unmerged."""
    office = _unmerged(world, tmp_path)
    try:
        good = world.packages["EV02"]
        bad = craft(world, tmp_path / "bad.mepkg", sequence=2**63)
        files = [good, bad] if order == "good bad" else [bad, good]
        code, out, err = _cli(["merge", *map(str, files), "--db", str(office.path), "--key-dir", str(world.key_dir),
                               "--passphrase-file", str(_passfile(tmp_path)), "--json"], capsys)
        assert code == 2 and "unexpected" not in err, (code, err)
        doc = json.loads(out)
        status = {Path(r["path"]).name: r["status"] for r in doc["packages"]}
        assert status == {"EV02-1.mepkg": "merged", "bad.mepkg": "rejected"}, status
        assert doc["ok"] is False and doc["merged"] == 1 and doc["refused"] == 1
        assert len(rows_owned_by(office.path, "EV02")["score"]) > 0
        assert rows_owned_by(office.path, "EV01")["evaluation"] == []
        _isolation[f"command line, {order}"] = 1
    finally:
        office.close()


@pytest.mark.parametrize("stage", ["opening", "deciding"])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_a_package_that_crashes_the_merge_is_refused_and_the_others_merge(world, tmp_path, monkeypatch, stage,
                                                                         position):
    """A bug met on one package (simulated: an exception where the merge reads or decides on that
    package's contents) refuses that package only; the others in the same call merge."""
    office = _unmerged(world, tmp_path)
    try:
        marker = "이 꾸러미에서 멈춤"
        bad = craft(world, tmp_path / "crash.mepkg", sequence=1,
                    data=lambda d: d["site_visits"][0].update(notes=marker))
        target = incoming if stage == "opening" else plan_module
        name = "check_times" if stage == "opening" else "site_visits"
        real = getattr(target, name)

        def crashing(*args, **kw):
            visits = args[1].site_visits if stage == "opening" else [v for v, _ in args[1]]
            if any(v["notes"] == marker for v in visits):
                raise ZeroDivisionError("a bug")
            return real(*args, **kw)

        monkeypatch.setattr(target, name, crashing)
        files: list[Path] = [world.packages["EV02"]]
        files.insert(position, bad)
        reports = office.merge(*files)
        by_name = {Path(r.path).name: r for r in reports}
        assert by_name["crash.mepkg"].rejected and "ZeroDivisionError" in by_name["crash.mepkg"].reason
        assert "other packages are not affected" in by_name["crash.mepkg"].reason
        assert by_name["EV02-1.mepkg"].status == MERGED
        assert rows_owned_by(office.path, "EV01")["evaluation"] == []
        assert office.store.verify_audit().ok
        _isolation[f"crash while {stage}, bad package at position {position}"] = 1
    finally:
        office.close()


def test_isolation_figures():
    record("one bad package among good ones (refused or crashing; the others merge)", trials=len(_isolation))


# --- 5. times from the future; office corrections ---------------------------------------------------
def _far(value: datetime):
    text = F.iso(value)

    def edit(d):
        e = _of(d["evaluations"], "T-1")
        e["updated_at"] = text
        for sc in e["scores"]:
            sc[6] = text
    return edit


FUTURE = [
    ("evaluation updated_at", lambda t: lambda d: _of(d["evaluations"], "T-1").update(updated_at=t)),
    ("evaluation finalised_at", lambda t: lambda d: _of(d["evaluations"], "T-1").update(finalised_at=t)),
    ("score updated_at", lambda t: lambda d: _of(d["evaluations"], "T-1")["scores"][0].__setitem__(6, t)),
    ("site visit updated_at", lambda t: lambda d: _of(d["site_visits"], "T-1").update(updated_at=t)),
    ("photo created_at", lambda t: lambda d: d["attachments"][0].update(created_at=t)),
]
_future: dict[str, int] = {}


@pytest.mark.parametrize("field_name, edit", FUTURE, ids=[f for f, _ in FUTURE])
@pytest.mark.parametrize("ahead", [timedelta(hours=2), timedelta(days=365 * 7000)])
def test_a_time_later_than_the_office_clock_allows_is_refused(world, office, tmp_path, field_name, edit, ahead):
    when = F.iso(min(utcnow() + ahead, datetime(9999, 12, 31)))
    p = craft(world, tmp_path / "future.mepkg", data=edit(when))
    _refused(office, p, office.dump(), "later than this computer's clock", "clocks")
    _future[f"{field_name}, {ahead.days} days ahead" if ahead.days else f"{field_name}, 2 hours ahead"] = 1


def test_a_manifest_created_in_the_future_is_refused(world, office, tmp_path):
    p = craft(world, tmp_path / "future.mepkg", manifest=_set("created_at", "9999-12-31T00:00:00.000000"))
    _refused(office, p, office.dump(), "manifest created_at", "later than this computer's clock")
    _future["manifest created_at"] = 1


def test_a_time_within_the_tolerance_merges(world, office, tmp_path):
    when = F.iso(utcnow() + incoming.FUTURE_TOLERANCE - timedelta(minutes=5))
    [r] = office.merge(craft(world, tmp_path / "soon.mepkg", data=_far(datetime.fromisoformat(when))))
    assert r.status == MERGED, r.reason
    _future["within the tolerance (merged)"] = 1


def _second_laptop(world: World, tmp_path: Path) -> Store:
    path = tmp_path / "laptop-b.sqlite3"
    import_kit(world.kits["EV01"], url(path))
    fld = Store(url(path))
    fld.keys.ensure(PASS, key_dir=world.key_dir)
    return fld


def _levels(store: Store, app: str = "T-1", ev: str = "EV01") -> tuple:
    e = store.scoring.evaluation(app, ev)
    return (e.state,) + tuple(s.level for s in e.scores)


def test_a_forged_far_future_time_neither_overrides_an_office_correction_nor_beats_later_packages(world, office,
                                                                                                tmp_path):
    """The finding as reported: a "second laptop" package with updated_at 9999-12-31 overrode an
    earlier office correction, then beat a later honest package forever."""
    st_ = office.store
    st_.scoring.reopen("T-1", "EV01", "서면 평가표와 대조")
    st_.scoring.save_score("T-1", "EV01", "a", level="mi")
    st_.scoring.finalise("T-1", "EV01")
    corrected = _levels(st_)
    laptop_b = _second_laptop(world, tmp_path)
    try:
        enter_scores(laptop_b, "EV01", visit=False)
        real = Path(laptop_b.packages.export_package(tmp_path / "b.mepkg", key_dir=world.key_dir).value.path)
    finally:
        laptop_b.close()
    forged = craft(world, tmp_path / "b-forged.mepkg", src=real, sequence=None,
                   data=_far(datetime(9999, 12, 31)))
    _refused(office, forged, office.dump(), "9999-12-31", "later than this computer's clock")
    assert _levels(st_) == corrected
    # laptop A changes T-1 later, not having seen the office's correction: a conflict for the office,
    # never a silent override; and nothing from the future stands in its way
    with Store(url(copy_db(world.fields["EV01"], tmp_path / "laptop-a.sqlite3"))) as laptop_a:
        laptop_a.scoring.reopen("T-1", "EV01", "재방문")
        laptop_a.scoring.save_score("T-1", "EV01", "a", level="su")
        laptop_a.scoring.finalise("T-1", "EV01")
        later = Path(laptop_a.packages.export_package(tmp_path / "a2.mepkg", passphrase=PASS, key_dir=world.key_dir).value.path)
    [r] = office.merge(later)
    assert r.status == MERGED and len(r.conflicts) == 1, (r.status, r.reason, r.conflicts)
    c = r.conflicts[0]
    assert c.kept_from == "package" and c.other.values["scores"]["a"]["level"] == "mi"  # the correction, kept aside
    assert [x.id for x in st_.packages.conflicts()] == [c.id]
    assert _levels(st_)[1] == "su"
    _future["far-future second laptop after an office correction"] = 1


def test_an_office_change_to_a_visit_is_not_silently_overridden(world, office, tmp_path):
    office.store.scoring.save_visit("T-1", "EV01", notes="사무국 정정")
    with Store(url(copy_db(world.fields["EV01"], tmp_path / "laptop-a.sqlite3"))) as laptop_a:
        laptop_a.scoring.save_visit("T-1", "EV01", notes="현장에서 고침")
        p = Path(laptop_a.packages.export_package(tmp_path / "a2.mepkg", passphrase=PASS, key_dir=world.key_dir).value.path)
    [r] = office.merge(p)
    assert r.status == MERGED and [c.record for c in r.conflicts] == ["site_visit"]
    assert r.conflicts[0].other.values["notes"] == "사무국 정정"
    _future["office visit correction, later laptop change (conflict)"] = 1


def test_a_photo_the_office_deleted_stays_deleted(world, office, tmp_path):
    """The laptop that sends its photo again has not seen the office delete it: the deletion stands."""
    photo = ids_of(world.merged, "EV01").attachment["T-1"]
    office.store.scoring.remove_attachment(photo)
    with Store(url(copy_db(world.fields["EV01"], tmp_path / "laptop-a.sqlite3"))) as laptop_a:
        p = Path(laptop_a.packages.export_package(tmp_path / "a2.mepkg", passphrase=PASS, key_dir=world.key_dir).value.path)
    [r] = office.merge(p)
    assert r.status == MERGED and r.counts["attachments"]["updated"] == 0, r.counts
    assert photo not in {a.uuid for a in office.store.scoring.attachments(evaluator="EV01")}
    _future["office photo deletion, laptop sends the photo again (stays deleted)"] = 1


def test_future_figures():
    record("times from the future (refused) and office corrections (never silently overridden)",
           trials=len(_future))


# --- the bounds themselves: json_shape agrees with the parser ----------------------------------------
_json = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                               st.text(alphabet=st.characters(), max_size=8),
                               st.sampled_from(['"', "\\", '\\"', "[", "]", "{", "}", ",", '"[{,', "\\\\\""])),
                     lambda inner: st.one_of(st.lists(inner, max_size=4),
                                             st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                     max_leaves=40)


def _depth_and_values(o) -> tuple[int, int]:
    if isinstance(o, (list, dict)):
        inner = [_depth_and_values(v) for v in (o.values() if isinstance(o, dict) else o)]
        return 1 + max((d for d, _ in inner), default=0), 1 + sum(n for _, n in inner)
    return 0, 1


_shapes = {"documents": 0}


@settings(max_examples=3000 if full_run() else 200, deadline=None, database=None)
@given(doc=_json, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 1]))
def test_json_shape_measures_depth_exactly_and_never_undercounts_values(doc, ensure_ascii, indent):
    raw = json.dumps(doc, ensure_ascii=ensure_ascii, indent=indent).encode("utf-8", "surrogatepass")
    depth, values = F.json_shape(raw)
    want_depth, want_values = _depth_and_values(doc)
    assert depth == want_depth == F.json_depth(raw), (raw, depth, want_depth)
    assert values >= want_values, (raw, values, want_values)
    _shapes["documents"] += 1


def test_json_shape_figures():
    record("json_shape (hypothesis): depth exact, values never undercounted", trials=_shapes["documents"])


# --- the parser: what loads reads is what the standard library reads --------------------------------
def _standard(raw: bytes) -> tuple:
    """What ``formats.loads`` read before it used orjson: the standard library's parser (``NaN`` and
    ``Infinity`` refused), and no unpaired surrogate in a text."""
    def refuse(name: str) -> None:
        raise ValueError(name)

    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=refuse)
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):
        return ("refused",)
    return ("read", repr(doc))  # (repr tells 1 from 1.0, -0.0 from 0.0 and an int from a float)


def _loaded(raw: bytes) -> tuple:
    try:
        return ("read", repr(F.loads(raw, "data.json", F.DATA_LIMITS)))
    except F.Invalid:
        return ("refused",)


_parsed = {"documents": 0}


@settings(max_examples=3000 if full_run() else 300, deadline=None, database=None)
@given(doc=_json, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 1]),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
       spliced=st.sampled_from([b"", b"NaN", b"1E400", b"-0", b"18446744073709551616", b"-9223372036854775809",
                                b"123456789012345678", b'"\\ud800"', b'"\\ud83d\\ude00"', b"\xef\xbb\xbf", b"\xff",
                                b"01", b"1.", b"[1,]", b"\x00"]))
def test_loads_reads_every_document_as_the_standard_library_does(doc, ensure_ascii, indent, cut, spliced):
    """orjson parses a package's members where it reads them exactly as the standard library did
    (same values, same types, same refusals): random documents, whole, truncated, or with a number
    or a byte spliced in that the two parsers read differently or not at all."""
    raw = json.dumps(doc, ensure_ascii=ensure_ascii, indent=indent).encode("utf-8", "surrogatepass")
    if spliced:
        at = (cut or 0) % (len(raw) + 1)
        raw = raw[:at] + spliced + raw[at:]
    elif cut is not None:
        raw = raw[:cut]
    assert _loaded(raw) == _standard(raw), raw
    _parsed["documents"] += 1


def test_loads_reads_numbers_beyond_64_bits_and_refuses_what_the_standard_library_refuses():
    assert F.loads(b'{"n": 18446744073709551616, "m": -9223372036854775809}', "x") == \
        {"n": 18446744073709551616, "m": -9223372036854775809}
    assert type(F.loads(b"[123456789012345678901234567890]", "x")[0]) is int
    assert F.loads(b"1E400", "x") == float("inf")  # (as json reads it)
    for raw, said in ((b"[NaN]", "NaN is not a number JSON allows"), (b'"\\ud800"', "not valid Unicode"),
                      (b"[1,]", "is not valid JSON (Expecting value"), (b"\xff", "is not UTF-8 text")):
        with pytest.raises(F.Invalid) as ei:
            F.loads(raw, "x")
        assert said in str(ei.value), (raw, str(ei.value))


def test_the_compact_json_a_merge_writes_reads_back_as_the_same_values():
    from evaluator.packages.bulk import Bulk

    text = Bulk.compact_json_text()
    for v in ({"activity_held": True, "note": "대표 외 3명"}, [{"text": "영수증 \"정리\"", "due_on": None}], [],
              {"n": 18446744073709551616, "x": 0.1, "e": 1e-7}):
        assert json.loads(text(v)) == v and type(text(v)) is str


def test_loads_figures():
    record("loads (hypothesis): read exactly as the standard library reads", trials=_parsed["documents"])


def test_random_truncations_of_members_are_refused_by_name(world, office, tmp_path):
    """Damaged members (a broken disk, a cut copy), re-signed so the damage reaches the parsers."""
    rng, seed = seeded("member-cuts")
    members = _real_members(world)
    before = office.dump()
    n = 60 if full_run() else 8
    for trial in range(n):
        name = rng.choice(["data.json", "audit.json"])
        body = members[name]
        cut = body[:rng.randrange(1, len(body))]  # (a strict prefix of a JSON array or object is never JSON)

        def change(m, name=name, cut=cut):
            m[name] = cut

        def edit(m):
            m["sequence"] = 2
            if name == "audit.json":  # (format version 1: the merge reads the trail; see the version 2 test above)
                as_version_1(m)

        p = repack(world.packages["EV01"], tmp_path / "cut.mepkg", key_dir=world.key_dir, owner="EV01",
                   members=change, manifest=edit)
        [r] = office.merge(p)
        assert r.rejected and "cut.mepkg" in r.reason and "unexpectedly" not in r.reason, (seed, trial, r.reason)
        assert office.dump() == before, (seed, trial)
    record("damaged data.json / audit.json, re-signed (refused by name)", trials=n)


@pytest.mark.parametrize("unreadable", [
    pytest.param(lambda b: b[:-2] + b"\x00garbage", id="garbage"),
    pytest.param(lambda b: b"[" * 100_000 + b + b"]" * 100_000, id="nested-too-deep"),  # (RecursionError)
])
def test_a_kept_trail_that_cannot_be_read_is_destroyed_whole_when_its_subject_is_deleted(world, office, tmp_path,
                                                                                        unreadable):
    """A format 2 merge keeps the laptop's trail unread. When it cannot be parsed (not JSON, or
    nested deeper than the parser goes), a purge cannot pick the subject's entries out of it, so
    the subject's deletion destroys the whole trail rather than leave their values in it. The
    purge records the hash of what it wrote, and `packages --verify` holds."""
    from datetime import date

    from sqlalchemy import select

    from evaluator.packages.archive import unstore
    from evaluator.packages.models import PackageEvidence

    p = _craft_bytes(world, tmp_path / "unreadable.mepkg", audit=unreadable)
    [r] = office.merge(p)
    assert r.status == MERGED, r.reason

    def kept_trail() -> bytes:  # (the package just merged: the newest evidence)
        with office.store.uow.read() as s:
            e = s.execute(select(PackageEvidence).order_by(PackageEvidence.id.desc()).limit(1)).scalar_one()
            return unstore(e.audit_method, bytes(e.audit_trail))

    assert b"T-1" in kept_trail()  # the laptop's entries, with the application they are about
    office.store.privacy.set_retention(signed_off_on="2012-05-01", project_ends_on="2012-12-31")
    office.store.privacy.subject_delete("T-1", reason="삭제 요청 (가상)", today=date(2018, 1, 2))
    assert kept_trail() == F.dumps([])
    assert all(c.ok for c in office.store.packages.verify_evidence())
