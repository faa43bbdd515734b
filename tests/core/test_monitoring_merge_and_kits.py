"""What issue 19 asks of the office's merge and the next kit that the field-cycle tests do not
show: a monitoring package whose visit names an award the office does not have, or whose required
action is due before its visit, is refused with one sentence naming the application (and the
action), the office database exactly as it was; a visit the office already holds finalised is kept
against a package's version; and after a merge the visitor's next kit carries the earlier visits'
findings and open actions to the laptop."""

from __future__ import annotations

import uuid

import pytest

from evaluator.store import Store

from .awards_fixtures import OFFICE_PASS, signed_off, signed_off_template, signed_off_url  # noqa: F401 - fixtures
from .packages_fixtures import db_checksum
from .test_monitoring_field import _forge, field_cycle  # noqa: F401 - fixture


@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)
def test_a_visit_of_an_unknown_award_or_with_an_action_due_before_it_refuses_the_package(field_cycle, tmp_path):
    db, keys, packages = field_cycle
    before = db_checksum(db)
    unknown = str(uuid.uuid4())
    cases = {
        "no-award": (lambda vs: vs[0].update(award=unknown),
                     "carries a monitoring visit of application {app}, which has no award in this office database; "
                     "nothing of it was merged."),
        "early-action": (lambda vs: vs[0]["actions"][0].update(due_on="2012-09-01"),
                         "monitoring visit 1 of {app}: the action '영수증 정리' is due 2012-09-01, before the visit "
                         "(2012-10-02). Nothing of it was merged."),
    }
    for name, (change, said) in cases.items():
        seen = {}

        def forge(vs, change=change, seen=seen):  # noqa: ANN001
            seen["app"] = vs[0]["application"]
            change(vs)

        bad = _forge(packages["EV01"], tmp_path / f"{name}.mepkg", keys, "EV01", forge)
        with Store(db) as office:
            [r] = office.packages.merge([bad], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "rejected", name
        assert said.format(app=seen["app"]) in r.reason, r.reason
        assert db_checksum(db) == before, name
    with Store(db) as office:
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
    assert r.status == "merged"


@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)
def test_the_next_kit_carries_the_earlier_visits_findings_and_open_actions(field_cycle, tmp_path):
    """Issue 19: "the kit carries each award's previous visit findings and open actions, so the
    visitor can check them on site" — after the merge, the visitor's next kit holds visits 1 and 2
    as the office has them (finalised, findings, the open action with its due date), read on a new
    laptop database."""
    from datetime import date

    from evaluator.workflows import import_kit

    from .packages_fixtures import url
    from .test_monitoring_field import FIELD_PASS

    db, keys, packages = field_cycle
    with Store(db) as office:
        office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys)
        merged = {(v.application_id, v.sequence): v for v in office.monitoring.visits(evaluator="EV01")
                  if v.state == "finalised"}
        kit = office.packages.export_kit("EV01", tmp_path / "EV01-again.mekit").value
    assert len(merged) == 4  # visits 1 and 2 of its first two awards
    field = tmp_path / "field-EV01-again.sqlite3"
    import_kit(kit.path, url(field), passphrase=FIELD_PASS)
    with Store(url(field), passphrase=FIELD_PASS) as fld:
        carried = {(v.application_id, v.sequence): v for v in fld.monitoring.visits(evaluator="EV01")}
    for key, v in merged.items():
        got = carried[key]
        assert (got.uuid, got.state, got.findings) == (v.uuid, "finalised", f"방문 {key[1]}: 활동 정상")
        assert [(a.text, a.due_on, a.done) for a in got.actions] == [("영수증 정리", date(2013, 3, 31), False)]


@pytest.mark.parametrize("signed_off_url", ["sqlite"], indirect=True)
def test_a_visit_the_office_holds_finalised_is_kept_when_a_package_brings_another_version(field_cycle):
    """The conflict rule of the issue's "same tamper, replay and conflict rules": the office typed
    visit 1 in from the paper sheet and finalised it; the visitor's package then brings its own
    version — the office's stays, the package's other visits merge, and the count says so."""
    db, keys, packages = field_cycle
    with Store(db) as office:
        app = sorted({v.application_id for v in office.monitoring.visits(evaluator="EV01")})[0]
        track = office.applications.get(app).track
        rd = office.monitoring.rubric(track)
        office.monitoring.record(app, 1, visited_at="2012-10-05 14:00", attendees="대표",
                                 checklist={i.code: True for i in rd.checklist},
                                 ratings={c.code: rd.levels[-1].key for c in rd.criteria},
                                 findings="종이 점검표로 입력", finalise=True)
        [r] = office.packages.merge([packages["EV01"]], passphrase=OFFICE_PASS, key_dir=keys).value
        assert r.status == "merged"
        assert r.counts["monitoring_visits"] == {"added": 1, "updated": 3, "unchanged": 0, "kept_finalised": 1}
        visits = {(v.application_id, v.sequence): v for v in office.monitoring.visits(evaluator="EV01")}
        assert visits[(app, 1)].findings == "종이 점검표로 입력" and visits[(app, 1)].state == "finalised"
        assert visits[(app, 2)].findings == "방문 2: 활동 정상"
        assert office.verify_audit().ok
