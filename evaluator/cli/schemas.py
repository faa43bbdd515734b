"""The JSON documents the command line prints, described as JSON Schema (draft 2020-12).

Every document names its schema first: ``{"schema": {"name": "info", "version": 1}, …}`` (a list is
``{"schema": …, "items": […]}``); a failure prints the ``error`` document.  The schema files in
``docs/schemas/`` are written from here::

    python -m evaluator.cli.schemas docs/schemas

— from the result dataclasses where a document is one, by hand for the documents the commands
build as dicts.  ``tests/core/test_cli_schemas.py`` checks that the files are current and that what
each command prints is valid against its schema.  A document's ``version`` goes up when a field is
removed or changes its meaning (new fields do not change it).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "urn:maeul-evaluator:schema:"

STR: dict = {"type": "string"}
INT: dict = {"type": "integer"}
NUM: dict = {"type": "number"}
BOOL: dict = {"type": "boolean"}
NULL: dict = {"type": "null"}


def nullable(s: dict) -> dict:
    return {"anyOf": [s, NULL]}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(props: dict[str, dict], *, required: list[str] | None = None, more: bool = False) -> dict:
    """An object with these properties (all required unless ``required`` says which)."""
    out: dict[str, Any] = {"type": "object", "properties": props,
                           "required": sorted(props) if required is None else sorted(required)}
    if not more:
        out["additionalProperties"] = False
    return out


#: a located problem as ``Problem.to_dict`` writes it: its text, and only the fields that are set
PROBLEM = obj({"where": STR, "message": STR, "code": STR, "file": STR, "sheet": STR, "row": INT, "column": STR,
               "letter": STR, "field": STR, "params": {"type": "object"}}, required=["where", "message"])


# --- from dataclasses -----------------------------------------------------------------------------
def of_type(tp: Any) -> dict:
    """The JSON Schema of what ``to_jsonable`` makes of a value of type ``tp``."""
    from ..errors import Problem

    if tp is Problem:
        return PROBLEM
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if tp is type(None):
        return NULL
    if origin in (typing.Union, types.UnionType):
        choices = [of_type(a) for a in args]
        return {"anyOf": choices}
    if tp is bool:
        return BOOL
    if tp is int:
        return INT
    if tp is float:
        return NUM
    if tp in (str, Path, bytes):
        return STR
    if tp is datetime:
        return {"type": "string", "format": "date-time"}
    if tp is date:
        return {"type": "string", "format": "date"}
    if origin in (list, set, frozenset) or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        return array(of_type(args[0])) if args else {"type": "array"}
    if origin is tuple:
        return {"type": "array", "prefixItems": [of_type(a) for a in args], "items": False}
    if tp in (list, tuple):
        return {"type": "array"}
    if origin is dict or tp is dict:
        return {"type": "object", "additionalProperties": of_type(args[1]) if args else {}}
    if dataclasses.is_dataclass(tp):
        return of_dataclass(tp)
    raise TypeError(f"no JSON Schema for {tp!r}")


def of_dataclass(cls: type, only: tuple[str, ...] | None = None) -> dict:
    """An object with a property per field of ``cls`` (or the fields named in ``only``)."""
    hints = typing.get_type_hints(cls)
    props = {f.name: of_type(hints[f.name]) for f in dataclasses.fields(cls) if only is None or f.name in only}
    if only is not None:
        missing = set(only) - set(props)
        if missing:
            raise KeyError(f"{cls.__name__} has no field {', '.join(sorted(missing))}")
    doc = obj(props)
    if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
        doc = {"description": " ".join(cls.__doc__.split()), **doc}
    return doc


# --- the documents ---------------------------------------------------------------------------------
def _documents() -> dict[str, tuple[int, str, dict]]:
    """{document name: (version, title, schema of its body)}."""
    from ..awards.model import AwardInfo, DisbursementInfo, SupportInfo
    from ..demo import DemoSummary
    from ..monitoring.model import DueVisit, MonitoringAssignment, MonitoringPlan, VisitInfo
    from ..monitoring.photos import MonitoringPhoto
    from ..domain import (
        ApplicationInfo, ApplicationRow, AssignmentInfo, AutoAssignment, DatabaseInfo, DismissedConflict,
        EvaluationInfo, EvaluatorInfo, GateStatus, LikelyConflict, ProgramInfo, ProgramUpdate, RoundInfo,
    )
    from ..excel.results import AssignmentImportReport, ImportReport, ScoreImportReport
    from ..packages.results import ConflictInfo, EvidenceCheck, KitInfo, MergeReport, PackageInfo, ReceiptInfo
    from ..ranking.model import EvaluatorQuality, EvaluatorScore, RankedApplication, TrackRanking
    from ..rules import Eligibility, SupportAmount

    problem = PROBLEM
    key = obj({"kind": STR, "owner": STR, "fingerprint": STR, "signing_public": STR,
               "encryption_public": nullable(STR), "path": nullable(STR), "database": nullable(STR)},
              required=["kind", "owner", "fingerprint", "signing_public", "encryption_public", "path"])
    anchor = nullable(obj({"sequence": INT, "event": STR, "at": STR, "head": STR, "entry": INT,
                           "key_fingerprint": STR}))
    evaluator_score = of_dataclass(EvaluatorScore, ("evaluator", "total", "normalized", "state", "counted", "note",
                                                    "note_ko"))
    row = of_dataclass(RankedApplication, (
        "application_id", "track", "rank", "score", "raw_score", "normalized_score", "decision",
        "computed_decision", "reason", "reason_ko", "evaluations", "spread", "stddev", "flags", "stability",
        "on_cut_line", "override", "override_reason", "eligible", "failed_gates", "method", "title", "group_name",
        "district", "category", "requested_amount", "submitted_on", "field_check", "trimmed", "tie_break",
        "recusals", "abstentions"))
    row["properties"]["evaluators"] = array(evaluator_score)
    row["required"] = sorted(row["properties"])
    row["properties"]["support"] = of_dataclass(SupportAmount)  # only with a support amount rule (docs/rules.md)
    track = of_dataclass(TrackRanking, (
        "track", "name_ko", "name_en", "method", "quota", "reserve_size", "budget", "budget_used", "min_score",
        "eligible", "selected", "reserve", "reliability", "reliability_method", "perturbations",
        "trim_min_evaluators", "disagreement_threshold", "tie_breaks", "notes", "notes_ko"))
    track["properties"]["evaluator_quality"] = array(of_dataclass(EvaluatorQuality))
    track["required"] = sorted(track["properties"])
    # only on a threshold-budget track (docs/rules.md)
    track["properties"]["selection"] = {"type": "string", "enum": ["quota", "threshold-budget"]}
    track["properties"]["fill"] = BOOL
    demo = of_dataclass(DemoSummary)
    award = of_dataclass(AwardInfo)
    program = of_dataclass(ProgramInfo)
    verify_ok = obj({"ok": {"const": True}, "entries": INT, "anchors": INT, "last_anchor": anchor,
                     "replayed": {"type": "object", "additionalProperties": INT}})
    verify_broken = obj({"ok": {"const": False}, "entries_checked": INT, "first_broken": nullable(INT),
                         "problem": nullable(STR), "problems": array(STR), "anchors": INT, "last_anchor": anchor})
    settings = obj({"method": STR, "trim_min_evaluators": INT, "disagreement_threshold": NUM,
                    "min_score": {"anyOf": [NULL, NUM, {"type": "object", "additionalProperties": NUM}]},
                    "tie_breaks": array(STR)}, more=True)
    acting = obj({"name": STR, "role": STR, "account": STR, "source": STR, "label": STR})
    access_entry = obj({"id": INT, "at": STR, "actor": STR, "role": STR, "account": STR, "action": STR, "what": STR,
                        "subjects": array(STR), "subject_count": INT, "fields": array(STR), "fingerprint": STR,
                        "reason": STR})
    due = obj({"application": STR, "class": STR, "rule": STR, "until": nullable(STR)}, required=["application", "class"])
    purge_plan = obj({"today": STR, "due": array(due), "waiting": array(due), "access_entries": INT,
                      "access_log_years": {}, "legacy_entries": INT, "evidence": array({}),
                      "backups": array(obj({"path": STR, "holds": {}, "problem": {}}))})
    purge_report = obj({"purge": nullable(STR), "at": nullable(STR), "counts": {"type": "object"},
                        "files": array(STR), "compacted": STR, "plan": purge_plan})
    return {
        "error": (1, "A command that failed", obj(
            {"error": STR, "type": STR, "code": STR, "hint": STR, "problems": array(problem)}, required=["error", "type"])),
        "init": (1, "evaluator init", obj({"database": STR, "created": BOOL, "schema_revision": STR, "role": STR})),
        "upgrade": (1, "evaluator upgrade", obj({"revision": STR, "upgraded_from": nullable(STR), "created": BOOL,
                                                 "backup": nullable(STR)})),
        "backup": (1, "evaluator backup", obj({"backup": STR})),
        "restore": (1, "evaluator restore", obj({"database": STR, "restored_from": STR, "previous": STR})),
        "demo": (1, "evaluator demo", obj({"created": BOOL, **demo["properties"]}, required=["created"])),
        "info": (1, "evaluator info", of_dataclass(DatabaseInfo)),
        "applications": (1, "evaluator applications", array(of_dataclass(ApplicationRow))),
        "evaluators": (1, "evaluator evaluators", array(of_dataclass(EvaluatorInfo))),
        "assignments": (1, "evaluator assignments", array(of_dataclass(AssignmentInfo))),
        "rubric-check": (1, "evaluator rubric check", obj({
            "id": STR, "track": STR, "version": STR, "content_hash": STR, "max_total": NUM,
            "criteria": array(obj({"id": STR, "max": NUM, "weight": NUM, "scoring": STR, "required": BOOL,
                                   "field_check": BOOL})),
            "gates": array(STR), "checklist": array(STR)})),
        "audit-verify": (1, "evaluator audit verify", {"oneOf": [verify_ok, verify_broken]}),
        "finalise": (1, "evaluator finalise", of_dataclass(EvaluationInfo)),
        "reopen": (1, "evaluator reopen", obj({"application_id": STR, "evaluator": STR, "state": {"const": "draft"},
                                               "reason": STR})),
        "rank": (1, "evaluator rank", obj({
            "program": STR, "round": nullable(STR), "signed_off": BOOL,
            "method": STR, "provisional": BOOL, "program_method": STR, "what_if": BOOL,
            "recorded": BOOL, "computed_at": {"type": "string", "format": "date-time"}, "tracks": array(track),
            "applications": array(row)})),
        "override": (1, "evaluator override", obj({"application_id": STR, "override": nullable(STR), "reason": STR})),
        "settings": (1, "evaluator settings", settings),
        "import-applications": (1, "evaluator import applications", of_dataclass(ImportReport)),
        "import-assignments": (1, "evaluator import assignments", of_dataclass(AssignmentImportReport)),
        "import-scores": (1, "evaluator import scores", of_dataclass(ScoreImportReport)),
        "export": (1, "evaluator export", obj({"path": STR, "kind": STR, "rows": INT,
                                               "sheets": {"type": "object", "additionalProperties": INT}})),
        "report": (1, "evaluator report", obj({"report": STR, "path": STR, "bytes": INT, "lang": STR})),
        "keys-init": (1, "evaluator keys init", key),
        "keys-show": (1, "evaluator keys show", {"oneOf": [key, obj({"key": NULL})]}),
        "keys-export-public": (1, "evaluator keys export-public", key),
        "keys-register": (1, "evaluator keys register", key),
        "kit-export": (1, "evaluator kit export", of_dataclass(KitInfo)),
        "kit-import": (1, "evaluator kit import", of_dataclass(KitInfo)),
        "kit-field-database": (1, "evaluator kit field-database", of_dataclass(KitInfo)),
        "package-export": (1, "evaluator package export", of_dataclass(PackageInfo)),
        "merge": (1, "evaluator merge", obj({"packages": array(of_dataclass(MergeReport)), "ok": BOOL,
                                                "merged": INT, "unchanged": INT, "refused": INT})),
        "packages": (1, "evaluator packages", array(of_dataclass(ReceiptInfo))),
        "packages-verify": (1, "evaluator packages --verify", obj({"ok": BOOL,
                                                                   "packages": array(of_dataclass(EvidenceCheck))})),
        "conflicts": (1, "evaluator conflicts", array(of_dataclass(ConflictInfo))),
        "conflicts-resolve": (1, "evaluator conflicts resolve", of_dataclass(ConflictInfo)),
        # programs and rounds (docs/programs.md)
        "program-create": (1, "evaluator program create", program),
        "program-list": (1, "evaluator program list", array(program)),
        "program-show": (1, "evaluator program show", program),
        "program-update": (1, "evaluator program update", of_dataclass(ProgramUpdate)),
        "program-use": (1, "evaluator program use", program),
        "program-archive": (1, "evaluator program archive", program),
        "program-check": (1, "evaluator program check", obj({"code": STR, "version": STR, "content_hash": STR,
                                                             "intake": STR}, required=["code", "version"],
                                                            more=True)),
        "program-examples": (1, "evaluator program examples", obj({"folder": STR, "written": array(STR)})),
        "round-list": (1, "evaluator round list", array(of_dataclass(RoundInfo))),
        "round-open": (1, "evaluator round open", of_dataclass(RoundInfo)),
        "round-close": (1, "evaluator round close", of_dataclass(RoundInfo)),
        "round-sign-off": (1, "evaluator round sign-off", of_dataclass(RoundInfo)),
        # people and gates
        "evaluators-add": (1, "evaluator evaluators add", of_dataclass(EvaluatorInfo)),
        "evaluators-import": (1, "evaluator evaluators import", of_dataclass(AssignmentImportReport)),
        "evaluators-remove": (1, "evaluator evaluators remove", obj({"removed": STR})),
        "assign": (1, "evaluator assign", {"oneOf": [of_dataclass(AutoAssignment),
                                                     obj({"application_id": STR, "evaluator": STR})]}),
        "unassign": (1, "evaluator unassign", obj({"application_id": STR, "evaluator": STR})),
        "recuse": (1, "evaluator recuse", obj({"application_id": STR, "evaluator": STR, "conflict_type": STR,
                                               "note": STR})),
        "likely-conflicts": (1, "evaluator likely-conflicts", array(of_dataclass(LikelyConflict))),
        "likely-conflicts-dismiss": (1, "evaluator likely-conflicts dismiss", of_dataclass(DismissedConflict)),
        "likely-conflicts-dismissed": (1, "evaluator likely-conflicts dismissed",
                                       array(of_dataclass(DismissedConflict))),
        "likely-conflicts-restore": (1, "evaluator likely-conflicts restore (the dismissal undone)",
                                     of_dataclass(DismissedConflict)),
        "gate": (1, "evaluator gate", of_dataclass(GateStatus)),
        "gate-list": (1, "evaluator gate APP (every gate)", array(of_dataclass(GateStatus))),
        "eligibility": (1, "evaluator eligibility", array(of_dataclass(Eligibility))),
        "withdraw": (1, "evaluator withdraw", of_dataclass(ApplicationInfo)),
        # personal data (docs/privacy.md)
        "keys-use": (1, "evaluator keys use", key),
        "kit-receipt": (1, "evaluator kit receipt", obj({"path": STR, "evaluator": STR, "device": STR,
                                                         "sequence": INT, "package_sha256": STR})),
        "kit-retire": (1, "evaluator kit retire", obj({"evaluator": STR, "device": STR, "package": INT,
                                                       "files": array(STR), "record": STR})),
        "people": (1, "evaluator people", obj({"people": array(obj({"name": STR, "role": STR}, more=True)),
                                               "acting": acting})),
        "people-add": (1, "evaluator people add", obj({"name": STR, "role": STR}, more=True)),
        "access-log": (1, "evaluator access-log", array(access_entry)),
        "access-log-verify": (1, "evaluator access-log --verify", obj(
            {"ok": BOOL, "entries": INT, "pruned": INT, "problem": nullable(STR)},
            required=["ok", "entries"], more=True)),
        "access-log-review": (1, "evaluator access-log review", obj({"path": STR, "month": STR})),
        "retention": (1, "evaluator retention", obj({"rules": array(obj({"class": STR, "years": nullable(NUM)},
                                                                        more=True))}, more=True)),
        "retention-set": (1, "evaluator retention set", obj({"retention": {}, "signed_off_on": nullable(STR),
                                                             "project_ends_on": nullable(STR)})),
        "purge": (1, "evaluator purge", {"oneOf": [purge_plan, purge_report]}),
        "purge-compact": (1, "evaluator purge --compact", obj({"compacted": STR})),
        "subject-export": (1, "evaluator subject export", obj({"path": STR, "application": STR})),
        "subject-correct": (1, "evaluator subject correct", obj({"changed": BOOL}, more=True)),
        "subject-delete": (1, "evaluator subject delete", purge_report),
        "admin-grant": (1, "evaluator admin grant", obj({}, required=[], more=True)),
        "admin-revoke": (1, "evaluator admin revoke", obj({"revoked": array(STR)})),
        "admin-roles": (1, "evaluator admin roles", array(obj({"login": STR, "role": STR}))),
        # after selection (docs/follow-up.md)
        "awards": (1, "evaluator awards", array(award)),
        "awards-show": (1, "evaluator awards show", award),
        "awards-set": (1, "evaluator awards set", award),
        "awards-status": (1, "evaluator awards status (the award, and a reserve's stepping in)", array(award)),
        "awards-disburse": (1, "evaluator awards disburse", of_dataclass(DisbursementInfo)),
        "awards-settle": (1, "evaluator awards settle", award),
        "awards-support": (1, "evaluator awards support", of_dataclass(SupportInfo)),
        "awards-support-log": (1, "evaluator awards support-log", array(of_dataclass(SupportInfo))),
        "monitoring-plan": (1, "evaluator monitoring plan", of_dataclass(MonitoringPlan)),
        "monitoring-assign": (1, "evaluator monitoring assign", of_dataclass(MonitoringAssignment)),
        "monitoring-due": (1, "evaluator monitoring due", array(of_dataclass(DueVisit))),
        "monitoring-visits": (1, "evaluator monitoring visits", array(of_dataclass(VisitInfo))),
        "monitoring-record": (1, "evaluator monitoring record", of_dataclass(VisitInfo)),
        "monitoring-add-visit": (1, "evaluator monitoring add-visit", of_dataclass(VisitInfo)),
        "monitoring-photo-add": (1, "evaluator monitoring photo add", of_dataclass(MonitoringPhoto)),
        "monitoring-photo-list": (1, "evaluator monitoring photo list", array(of_dataclass(MonitoringPhoto))),
        "monitoring-photo-remove": (1, "evaluator monitoring photo remove (the photo removed)",
                                    of_dataclass(MonitoringPhoto)),
    }


_VERSIONS: dict[str, int] | None = None


def version(name: str) -> int:
    """The version of the document ``name`` (1 for a document not described yet)."""
    global _VERSIONS
    if _VERSIONS is None:
        _VERSIONS = {k: v for k, (v, _t, _s) in _documents().items()}
    return _VERSIONS.get(name, 1)


def names() -> list[str]:
    return sorted(_documents())


def schema(name: str) -> dict:
    """The complete JSON Schema of the document ``name``: its ``schema`` header and its body."""
    ver, title, body = _documents()[name]
    header = obj({"name": {"const": name}, "version": {"const": ver}})
    doc: dict[str, Any] = {"$schema": DIALECT, "$id": f"{ID_BASE}{name}:{ver}", "title": f"{title} --json"}
    if body.get("type") == "array":
        doc.update(obj({"schema": header, "items": body}))
    elif body.get("type") == "object" and "properties" in body:
        props = {"schema": header, **body["properties"]}
        doc.update({k: v for k, v in body.items() if k not in ("properties", "required")})
        doc.update({"properties": props, "required": sorted({"schema", *body.get("required", [])})})
    else:  # a choice of shapes (oneOf): the header beside it
        doc.update({"type": "object", "properties": {"schema": header}, "required": ["schema"],
                    "allOf": [{"oneOf": [_with_schema_key(b) for b in body["oneOf"]]}]})
    return doc


def _with_schema_key(body: dict) -> dict:
    out = dict(body)
    out["properties"] = {"schema": {}, **body["properties"]}
    return out


def write(folder: str | Path) -> list[Path]:
    """Write every document's schema file into ``folder``; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover - python -m evaluator.cli.schemas docs/schemas
    for p in write(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas"):
        print(p)
