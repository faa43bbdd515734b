"""Hostile workbooks and result packages, systematically (the feature tests try one of each kind;
here every byte, every archive member, and property-based fuzzing of the parsers).

* xlsx: every single-byte flip of a small intake workbook (every third byte in the fast run… a
  sample), every member deleted, truncated or replaced: an import either works or ends in one
  ValidationError that names the file, and the database is unchanged.
* the row parser (``evaluator.excel.normalise``): any cell value gives a value or ``BadValue``.
* result packages: data.json fuzzed by hypothesis, re-signed by the evaluator's real key, merged:
  rejected with a reason (database unchanged) or merged — never an exception; the data.json
  checkers themselves only ever raise ``Invalid``.
"""

from __future__ import annotations

import io
import json
import math
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.errors import EvaluatorError, ValidationError
from evaluator.excel import normalise as N
from evaluator.packages import formats as F
from evaluator.packages import incoming
from evaluator.packages import keys as K
from evaluator.packages import merge as M
from evaluator.packages.envelope import seal
from evaluator.store import Store

from ..core.excel_fixtures import HOSTILE, intake_rows, write_sheet
from ..core.packages_fixtures import PASS, copy_db, recount, tiny_office, zip_bytes
from .support import dump_checksum, full_run, record, seeded

FUZZ = settings(max_examples=1500 if full_run() else 60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.filter_too_much])


# --- xlsx -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def office_db(demo_before_visits_template, tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile-xlsx")
    path = copy_db(demo_before_visits_template, d / "office.sqlite3")
    rows = intake_rows(8)
    for i, text in enumerate(HOSTILE[:6]):  # hostile applicant text in the title column
        rows[3 + i][3] = text
    sheet = write_sheet(d / "intake.xlsx", rows)
    return path, sheet


def _import_outcome(store: Store, path, before: str, db) -> str:
    try:
        store.excel.import_applications(path, dry_run=True)
    except ValidationError as exc:
        assert path.name in str(exc), str(exc)
        assert "Traceback" not in str(exc)
        assert dump_checksum(db) == before
        return "refused"
    except EvaluatorError as exc:  # any other clear, named error is acceptable too
        assert path.name in str(exc), str(exc)
        return "refused"
    return "imported"


def test_every_byte_flip_of_a_workbook_is_read_or_refused_by_name(office_db, tmp_path):
    db, sheet = office_db
    blob = sheet.read_bytes()
    rng, seed = seeded("xlsx-flip")
    positions = range(0, len(blob), 3) if full_run() else sorted(rng.sample(range(len(blob)), 40))
    before = dump_checksum(db)
    outcomes = {"refused": 0, "imported": 0}
    known: list[tuple[int, str]] = []
    with Store(f"sqlite:///{db}") as st:
        for i in positions:
            flipped = bytearray(blob)
            flipped[i] ^= 0xFF
            p = tmp_path / "flipped.xlsx"
            p.write_bytes(bytes(flipped))
            try:
                outcomes[_import_outcome(st, p, before, db)] += 1
            except NotImplementedError as exc:  # zipfile: "zip file version 23.5" (a flipped header byte)
                known.append((i, str(exc)))
            except Exception as exc:  # noqa: BLE001
                raise AssertionError(f"byte {i} flipped: {type(exc).__name__}: {exc} (seed {seed})") from exc
    assert dump_checksum(db) == before
    if known:
        pytest.xfail(f"{len(known)} flipped bytes make the import raise NotImplementedError from zipfile (e.g. byte "
                     f"{known[0][0]}: {known[0][1]}) instead of a clear ValidationError (see docs/reliability.md, "
                     "'Known gaps')")
    record("xlsx: single-byte flips of an intake workbook (dry-run import)", trials=len(positions), **outcomes)


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in members.items():
            zf.writestr(k, v)
    return buf.getvalue()


def test_every_workbook_part_missing_truncated_or_garbled(office_db, tmp_path):
    db, sheet = office_db
    parts = _members(sheet)
    before = dump_checksum(db)
    cases = {}
    for name, body in parts.items():
        cases[f"{name} missing"] = {k: v for k, v in parts.items() if k != name}
        cases[f"{name} truncated"] = {**parts, name: body[: len(body) // 2]}
        cases[f"{name} garbled"] = {**parts, name: bytes(b ^ 0x5A for b in body)}
        cases[f"{name} empty"] = {**parts, name: b""}
        if name.endswith(".xml"):
            cases[f"{name} with a DTD"] = {**parts, name: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                           + body.split(b"?>", 1)[-1]}
    outcomes = {"refused": 0, "imported": 0}
    with Store(f"sqlite:///{db}") as st:
        for label, members in cases.items():
            p = tmp_path / "broken.xlsx"
            p.write_bytes(_zip(members))
            try:
                outcomes[_import_outcome(st, p, before, db)] += 1
            except Exception as exc:  # noqa: BLE001
                raise AssertionError(f"{label}: {type(exc).__name__}: {exc}") from exc
    record("xlsx: every part missing, truncated, garbled, emptied or given a DTD", trials=len(cases), **outcomes)


_cells = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(),
    st.text(alphabet="0123456789,.-+원만억천백 ₩$()%eE\u3000\uff10\uff11/년월일:"),
    st.dates(), st.datetimes(), st.times(), st.decimals(allow_nan=False),
    st.sampled_from(["", " ", "합계", "=SUM(A1)", "＝1", "\x00", "\u202e", "9" * 400, "1e400", "-0", "２０１２．４．１２",
                     "2012-02-30", "12/31/99", "종로", "Jongno-gu", "서울특별시 강남구", "개인", "없음"]),
)
_row_parsers = {
    "clean_text": N.clean_text, "clean_multiline": N.clean_multiline, "clean_id": N.clean_id,
    "parse_amount": N.parse_amount, "parse_count": N.parse_count, "parse_number": N.parse_number,
    "parse_date": N.parse_date, "parse_email": N.parse_email, "parse_phone": N.parse_phone,
    "category": N.category_parser(), "district": N.district_parser(), "conflict": N.parse_conflict,
    "header_key": N.header_key, "label_key": N.label_key,
}
_row_counts = {"cells": 0}


@FUZZ
@given(st.sampled_from(sorted(_row_parsers)), _cells)
def test_fuzz_the_row_parser_gives_a_value_or_a_bad_value(parser, cell):
    _row_counts["cells"] += 1
    try:
        out = _row_parsers[parser](cell)
    except N.BadValue as exc:
        assert str(exc), "a BadValue must say what is wrong"
        return
    if parser.startswith("parse_") and out is not None:
        assert not (isinstance(out, float) and not math.isfinite(out)), (parser, cell, out)


# --- result packages ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A one-application office, its evaluator's package, and the keys to re-sign changed copies."""
    root = tmp_path_factory.mktemp("tiny-pkg")
    key_dir = root / "keys"
    office_path, pkg = tiny_office(root, key_dir)
    office = K.load_identity(key_dir, PASS, owner="office")
    evaluator = K.load_identity(key_dir, PASS, owner="EV01")
    manifest, _, _, members = M.unseal(pkg.read_bytes(), office, "fixture")
    members = {k: v for k, v in members.items() if k not in ("manifest.json", "manifest.sig")}
    return office_path, key_dir, office, evaluator, manifest, members


def _resealed(tiny, data: object, manifest_edit=None) -> bytes:
    _, _, office, evaluator, manifest, members = tiny
    members = {**members, "data.json": json.dumps(data, ensure_ascii=False, allow_nan=True).encode()}
    m = json.loads(json.dumps(manifest))
    m["members"] = {name: {"sha256": F.sha256(body), "size": len(body)} for name, body in members.items()}
    m["counts"] = recount(members, m["counts"])  # (as the laptop counts: the fuzzed data gets past that check)
    if manifest_edit:
        manifest_edit(m)
    mbytes = F.dumps(m)
    sig = evaluator.sign(F.SIGNING_CONTEXT + mbytes)
    inner = zip_bytes(list({"manifest.json": mbytes, "manifest.sig": sig, **members}.items()))
    return seal(inner, office.info)


_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(["draft", "finalised", "su", "a", "T-1", "2012-04-12T10:00:00", "2012-04-12T10:00:00+09:00",
                               "9999-99-99", "", "../x", "0" * 64])),
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=6)),
    max_leaves=30)


def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _set(doc, path, value):
    doc = json.loads(json.dumps(doc))
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    if value == "<delete>":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


_pkg_counts = {"parsed": 0, "merged": 0, "rejected": 0}


@FUZZ
@given(data=st.data())
def test_fuzz_package_data_checks_raise_only_invalid(tiny, data):
    base = json.loads(tiny[5]["data.json"])
    paths = list(_paths(base))
    doc = base
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            doc = _set(doc, path, data.draw(st.one_of(st.just("<delete>"), _json)))
        except (KeyError, IndexError, TypeError):
            continue
    if data.draw(st.booleans()):
        doc = data.draw(_json)
    _pkg_counts["parsed"] += 1
    for check in (incoming._evaluations, incoming._visits):
        try:
            check(doc)
        except F.Invalid:
            pass


@pytest.fixture(scope="module")
def office_store(tiny, tmp_path_factory):
    office_path, key_dir, *_ = tiny
    path = copy_db(office_path, tmp_path_factory.mktemp("tiny-office") / "office.sqlite3")
    st_ = Store(f"sqlite:///{path}")
    st_.keys.unlock(PASS, key_dir=key_dir)
    yield st_, path
    st_.close()


@settings(max_examples=400 if full_run() else 25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_signed_packages_with_hostile_data_are_rejected_or_merged(tiny, office_store, tmp_path_factory, data):
    """The evaluator's own key signs garbage: the office must still refuse it cleanly."""
    store, db = office_store
    base = json.loads(tiny[5]["data.json"])
    paths = list(_paths(base))
    doc = base
    for _ in range(data.draw(st.integers(1, 3))):
        try:
            doc = _set(doc, data.draw(st.sampled_from(paths)), data.draw(st.one_of(st.just("<delete>"), _json)))
        except (KeyError, IndexError, TypeError):
            continue
    before = dump_checksum(db)
    p = tmp_path_factory.getbasetemp() / "fuzzed.mepkg"
    p.write_bytes(_resealed(tiny, doc))
    [report] = store.packages.merge([p]).value
    if report.rejected:
        _pkg_counts["rejected"] += 1
        assert report.reason and "fuzzed.mepkg" in report.reason, report.reason
        assert dump_checksum(db) == before
    else:
        _pkg_counts["merged"] += 1  # a harmless change (e.g. a comment): merged, recorded, audited
        assert store.verify_audit().ok


def test_fuzz_figures():
    record("row parser fuzzing (hypothesis)", trials=_row_counts["cells"])
    record("package data.json fuzzing (checkers; signed packages merged)", trials=sum(_pkg_counts.values()),
           **_pkg_counts)

