"""The merge's per-evaluation checks and content hash (``_RubricCheck.checked_hash``) agree with
the plain ones: the same hash as :func:`formats.evaluation_hash` (it is stored in merge_lineage, so
it must never change), and "cannot say" (None) whenever the plain checks would reject."""

from __future__ import annotations

import random
from datetime import datetime
from types import SimpleNamespace

import pytest

from evaluator.packages import formats as F
from evaluator.packages.incoming import _UNSCORED, _incoming, _RubricCheck

LEVELS = [("su", 100), ("u", 80), ("mi", 60), ("yang", 40), ("ga", 0)]
WHEN = datetime(2012, 4, 20, 10, 30)


class FakeRubric:
    """What _RubricCheck reads of a rubric (criterion codes the TOML parser might not accept)."""

    def __init__(self, criteria: list[tuple[str, str, float, bool]]) -> None:
        self.code = "fake"
        self.criteria = [SimpleNamespace(code=c, scoring=kind, max_points=mx, required=req)
                         for c, kind, mx, req in criteria]
        self.levels = [SimpleNamespace(key=k, percent=p) for k, p in LEVELS]

    def points_for_level(self, c, key: str) -> float:
        return round(c.max_points * dict(LEVELS)[key] / 100.0, 6)


def plain(chk: _RubricCheck, e: dict) -> str | None:
    """The checks and hash as the merge made them before (None: the package is rejected)."""
    incoming = _incoming(e)
    for code, (lv, p, _m) in incoming.items():
        if (code, lv, p) not in chk.valid and chk.problem(code, lv, p):
            return None
    if e["state"] == "finalised" and not e["abstained"] and \
            any(incoming.get(code, _UNSCORED)[1] is None for code in chk.required):
        return None
    return F.evaluation_hash(e["state"], e["abstained"], e["abstain_reason"], e["comment"], incoming)


COMMENTS = ["", "", "", "주민 참여 활발", "O'Brien \"quoted\" \\ back", "line\nbreak\ttab", "\ud800 lone surrogate",
            "é", "'"]

RUBRICS = {
    "plain": [(f"c{i:02d}", "levels", 10.0, i < 8) for i in range(1, 11)] + [("p1", "points", 15.0, False)],
    "prefixes": [("a", "levels", 10.0, True), ("a!", "levels", 20.0, False), ("a'", "points", 5.0, True),
                 ("a b", "levels", 7.0, False), ('a"', "levels", 3.0, True), ("b", "points", 100.0, False),
                 ("가", "levels", 10.0, True), ("A", "levels", 10.0, False), ("a\\", "levels", 1.0, False)],
    "unsorted": [("zeta", "levels", 10.0, True), ("alpha", "points", 10.0, True), ("mid", "levels", 30.0, False)],
}


def random_score(rng: random.Random, rd: FakeRubric, c, *, valid: bool) -> list:
    comment = rng.choice(COMMENTS)
    if c.scoring == "levels":
        if rng.random() < 0.15:
            level, points = None, None
        else:
            level = rng.choice([k for k, _ in LEVELS])
            points = rd.points_for_level(c, level)
            if points == 0 and rng.random() < 0.5:
                points = -0.0
        if not valid and rng.random() < 0.5:
            level, points = rng.choice([("zz", 1.0), ("su", 3.25), (None, 4.0), ("u", None)])
    else:
        level = None
        points = rng.choice([None, 0.0, -0.0, c.max_points, float(rng.randint(0, int(c.max_points))),
                             rng.uniform(0, c.max_points), 1e-300])
        if not valid and rng.random() < 0.5:
            level, points = rng.choice([(None, c.max_points + 0.5), (None, -1.0), ("su", 1.0)])
    return [f"uuid-{rng.random()}", c.code, level, points, comment, 1, WHEN, "text"]


@pytest.mark.parametrize("name", sorted(RUBRICS))
def test_checked_hash_is_the_plain_hash_and_refuses_what_the_plain_checks_reject(name):
    rd = FakeRubric(RUBRICS[name])
    chk = _RubricCheck(rd, {c.code: SimpleNamespace(id=i) for i, c in enumerate(rd.criteria, 1)})
    assert chk.items_sort == (name != "prefixes")  # "a" < "a!" but "('a', " > "('a!', "
    rng = random.Random(name)
    agreed = refused = 0
    for n in range(4000):
        crits = rng.sample(rd.criteria, rng.randint(0, len(rd.criteria)))
        valid = rng.random() < 0.8
        scores = [tuple(random_score(rng, rd, c, valid=valid)) for c in crits]
        if not valid and rng.random() < 0.3:
            scores.append(("u", "no-such-criterion", "su", 1.0, "", 1, WHEN, "text"))
        e = {"state": rng.choice(["draft", "finalised", "finalised"]), "abstained": rng.random() < 0.1,
             "abstain_reason": rng.choice(COMMENTS), "comment": rng.choice(COMMENTS), "scores": scores}
        want = plain(chk, e)
        got = chk.checked_hash(e)
        if want is None:
            assert got is None, (n, e)
            refused += 1
        else:
            assert got in (want, None), (n, e)
            if got is None:  # only when a score the fast checks do not know needs the plain checks
                assert False, (n, e)
            agreed += 1
        # the items met are kept: the same evaluation again (now from the cache) gives the same answer
        assert chk.checked_hash(e) == got
    assert agreed > 1000 and refused > 200


def test_negative_zero_keeps_its_own_hash():
    rd = FakeRubric([("a", "levels", 10.0, True), ("p", "points", 10.0, False)])
    chk = _RubricCheck(rd, {"a": SimpleNamespace(id=1), "p": SimpleNamespace(id=2)})
    for pts in (0.0, -0.0, 0.0):
        e = {"state": "finalised", "abstained": False, "abstain_reason": "", "comment": "",
             "scores": [("u1", "a", "ga", pts, "", 1, WHEN, "t"), ("u2", "p", None, pts, "", 1, WHEN, "t")]}
        assert chk.checked_hash(e) == plain(chk, e)
    assert plain(chk, {**e, "scores": [("u1", "a", "ga", -0.0, "", 1, WHEN, "t")]}) != \
        plain(chk, {**e, "scores": [("u1", "a", "ga", 0.0, "", 1, WHEN, "t")]})
