"""Issue 19's bad input at the office's merge, the two cases the field-cycle tests do not forge: a
monitoring package whose visit names an award the office does not have, and one whose required
action is due before its visit — each refused with one sentence naming the application (and the
action), the office database exactly as it was; the unforged package then merges."""

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
