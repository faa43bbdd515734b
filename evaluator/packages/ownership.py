"""The ownership rule of a merge, in one place: a package changes only its own evaluator's records.

A result package is signed by one evaluator's registered key; that proves who sent it, not that
what it names is theirs.  So before anything is written, every record the package carries — its
evaluations (with their abstentions) and their scores, its site visits (visit logs and checklist
answers) and its photos, and any record kind added later — passes through :func:`check`:

* its application must be assigned to the signing evaluator in the office database (otherwise the
  whole package is refused); one the office recused the evaluator from after the kit was made is
  left out and listed as *skipped*;
* each record it names by uuid that already exists at the office must be that evaluator's, of the
  same application (and, for a score, of the same criterion) — otherwise the whole package is
  refused with the reason;
* no uuid appears twice in one package.

The merge then reaches the office's records only through the signing evaluator's assignments
(``merge._Q_ASSIGNMENTS`` and the queries joined to it), so an update can never land on another
evaluator's row.  A new record kind joins by adding its table to :data:`KINDS` and its records to
:func:`check`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import TextClause, text

from ..messages import Message, msg
from .errors import PackageRejected

#: the kinds of record a package can touch, each with its table and how its owner is found
#: (kind, what the sentences call it, SELECT of the rows a package names: uuid, id, owner, application,
#: criterion, deleted, caption)
KINDS: tuple[tuple[str, Message, str], ...] = (
    ("evaluation", msg("packages.kind.evaluation", "evaluation"),
     "SELECT e.uuid, e.id, a.evaluator_id, a.application_id, CAST(NULL AS INTEGER), CAST(NULL AS BOOLEAN), "
     "CAST(NULL AS TEXT) FROM {uuids} JOIN evaluation e ON e.uuid = named.value "
     "JOIN assignment a ON a.id = e.assignment_id"),
    ("score", msg("packages.kind.score", "score"),
     "SELECT s.uuid, s.id, a.evaluator_id, a.application_id, s.criterion_id, CAST(NULL AS BOOLEAN), "
     "CAST(NULL AS TEXT) FROM {uuids} JOIN score s ON s.uuid = named.value "
     "JOIN evaluation e ON e.id = s.evaluation_id JOIN assignment a ON a.id = e.assignment_id"),
    ("site_visit", msg("packages.kind.site_visit", "site visit"),
     "SELECT v.uuid, v.id, v.evaluator_id, v.application_id, CAST(NULL AS INTEGER), CAST(NULL AS BOOLEAN), "
     "CAST(NULL AS TEXT) FROM {uuids} JOIN site_visit v ON v.uuid = named.value"),
    ("attachment", msg("packages.kind.photo", "photo"),
     "SELECT t.uuid, t.id, t.evaluator_id, t.application_id, t.criterion_id, t.deleted, t.caption "
     "FROM {uuids} JOIN attachment t ON t.uuid = named.value AND t.monitoring_visit_id IS NULL"),
)
_LABEL = {kind: label for kind, label, _ in KINDS}


class Assignment(NamedTuple):
    """One of the signing evaluator's assignments at the office."""

    id: int
    conflict_type: str | None
    application_id: int
    ext: str  # the application's ID (external id)
    track_id: int


class OfficeRow(NamedTuple):
    """An office record a package names by its uuid."""

    uuid: str
    id: int
    evaluator_id: int | None
    application_id: int
    criterion_id: int | None
    deleted: bool | None
    caption: str | None


@dataclass
class Owned:
    """The package's records the merge may apply, each with its assignment (checked by :func:`check`)."""

    evaluations: list[tuple[dict[str, Any], Assignment]] = field(default_factory=list)
    site_visits: list[tuple[dict[str, Any], Assignment]] = field(default_factory=list)
    #: with the office's photo of that uuid, if there is one (the package's own)
    attachments: list[tuple[dict[str, Any], Assignment, OfficeRow | None]] = field(default_factory=list)
    #: records left out, with the reason (the office recused the evaluator after the kit)
    skipped: list[Message] = field(default_factory=list)


_statements: dict[str, TextClause] = {}


def named_rows_query(dialect: str) -> TextClause:
    """One statement finding, for every kind, the office rows whose uuids a package names (each
    kind's uuids bound as one JSON array: no limit on how many)."""
    stmt = _statements.get(dialect)
    if stmt is None:
        # (the list drives the join: one index lookup per uuid, no temporary table)
        listed = ("json_each(:{kind}) AS named" if dialect == "sqlite"
                  else "json_array_elements_text(CAST(:{kind} AS json)) AS named(value)")
        stmt = _statements[dialect] = text(" UNION ALL ".join(
            f"SELECT '{kind}', " + select.removeprefix("SELECT ").format(uuids=listed.format(kind=kind))
            for kind, _, select in KINDS))
    return stmt


def named_uuids(evaluations: list[dict[str, Any]], site_visits: list[dict[str, Any]],
                attachments: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Every uuid a package names, by kind."""
    return {
        "evaluation": list(map(_UUID, evaluations)),
        "score": list(map(_SCORE_UUID, chain.from_iterable(map(_SCORES, evaluations)))),
        "site_visit": list(map(_UUID, site_visits)),
        "attachment": list(map(_UUID, attachments)),
    }


def json_list(texts: list[str]) -> str:
    """``texts`` as a JSON array (the checked uuids of a package: joined directly when no character
    needs escaping, many times faster than ``json.dumps``)."""
    joined = "".join(texts)
    if joined.isascii() and not joined.encode().translate(None, _PLAIN):
        return '["' + '","'.join(texts) + '"]' if texts else "[]"
    return json.dumps(texts)


#: the characters a JSON string holds as they are (printable ASCII but the quote and the backslash)
_PLAIN = bytes(range(0x20, 0x7F)).replace(b'"', b"").replace(b"\\", b"")


_UUID = itemgetter("uuid")
_SCORES = itemgetter("scores")
_SCORE_UUID = itemgetter(0)


def check(what: str | Message, evaluator: str, evaluator_id: int, owners: dict[int, str],
          assignments: dict[str, Assignment], criteria: dict[int, dict[str, int]],
          evaluations: list[dict[str, Any]], site_visits: list[dict[str, Any]], attachments: list[dict[str, Any]],
          uuids: dict[str, list[str]], named: dict[str, dict[str, OfficeRow]]) -> Owned:
    """The ownership rule (see the module's doc) for every record of a package: the records to
    apply, each with its assignment; :class:`PackageRejected` naming the first that breaks it.

    ``owners`` names evaluators by id; ``criteria`` maps each track's criterion codes to their ids;
    ``named`` holds, by kind and uuid, the office rows the package names (:func:`named_rows_query`)."""
    for kind, listed in uuids.items():
        if len(set(listed)) != len(listed):
            twice = _first_repeated(listed)
            raise PackageRejected(msg("packages.uuid_twice", "{what} names {kind} {uuid} twice; each record has its "
                                      "own id, so nothing of it was merged.", what=what, kind=_LABEL[kind],
                                      uuid=repr(twice[:40])))
    owned = Owned()

    def assignment(ext: str, label: Message) -> Assignment | None:
        asg = assignments.get(ext)
        if asg is None:
            raise PackageRejected(msg("packages.not_assigned", "{what} carries {record} of application {app}, which "
                                      "is not assigned to {evaluator} in this office database.", what=what,
                                      record=label, app=ext, evaluator=evaluator))
        if asg.conflict_type is not None:
            owned.skipped.append(msg("packages.skipped_conflict", "{record} of {app}: {evaluator} has a declared "
                                     "{conflict} conflict of interest with it; left out", record=label, app=ext,
                                     evaluator=evaluator, conflict=asg.conflict_type))
            return None
        return asg

    def owns(kind: str, uuid: str, asg: Assignment, criterion: str | None = None) -> OfficeRow | None:
        row = named[kind].get(uuid)
        if row is None:
            return None
        label = _LABEL[kind]
        if row.evaluator_id != evaluator_id:
            if row.evaluator_id in owners:
                raise PackageRejected(msg("packages.owned_by_other", "{what} names {kind} {uuid} (of {app}), which at "
                                          "the office is {owner}'s; a package may change only the records of the "
                                          "evaluator who signed it ({evaluator}), so nothing of it was merged.",
                                          what=what, kind=label, uuid=uuid[:40], app=asg.ext,
                                          owner=owners[row.evaluator_id], evaluator=evaluator))
            raise PackageRejected(msg("packages.owned_by_none", "{what} names {kind} {uuid} (of {app}), which at the "
                                      "office is no evaluator's; a package may change only the records of the "
                                      "evaluator who signed it ({evaluator}), so nothing of it was merged.",
                                      what=what, kind=label, uuid=uuid[:40], app=asg.ext, evaluator=evaluator))
        if row.application_id != asg.application_id:
            raise PackageRejected(msg("packages.other_application", "{what} names {kind} {uuid} as one of {app}, but "
                                      "at the office it belongs to another application; nothing of it was merged.",
                                      what=what, kind=label, uuid=uuid[:40], app=asg.ext))
        if criterion is not None and row.criterion_id != criteria[asg.track_id].get(criterion, row.criterion_id):
            raise PackageRejected(msg("packages.other_criterion", "{what} names score {uuid} as the score of criterion "
                                      "'{criterion}' of {app}, but at the office it scores another criterion; nothing "
                                      "of it was merged.", what=what, uuid=uuid[:40], criterion=criterion,
                                      app=asg.ext))
        return row

    # (a record the office recused the evaluator from is left out, but what it names is checked too;
    # in a first merge nothing the package names is at the office yet, and only assignments count)
    evaluations_named, scores_named = bool(named["evaluation"]), bool(named["score"])
    for e in evaluations:
        asg = assignments.get(e["application"])
        if asg is None or asg.conflict_type is not None:
            asg = assignment(e["application"], msg("packages.record.evaluation", "an evaluation"))
        if asg is not None:
            owned.evaluations.append((e, asg))
        if evaluations_named or scores_named:
            asg = assignments[e["application"]]
            owns("evaluation", e["uuid"], asg)
            if scores_named:
                for uuid, criterion, *_ in e["scores"]:
                    owns("score", uuid, asg, criterion)
    for v in site_visits:
        asg = assignment(v["application"], msg("packages.record.site_visit", "a site visit"))
        owns("site_visit", v["uuid"], assignments[v["application"]])
        if asg is not None:
            owned.site_visits.append((v, asg))
    for a in attachments:
        asg = assignment(a["application"], msg("packages.record.photo", "a photo"))
        row = owns("attachment", a["uuid"], assignments[a["application"]])
        if asg is not None:
            owned.attachments.append((a, asg, row))
    return owned


def _first_repeated(items: Iterable[str]) -> str:
    seen: set[str] = set()
    for x in items:
        if x in seen:
            return x
        seen.add(x)
    return ""
