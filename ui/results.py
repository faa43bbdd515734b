"""What the core's import and export reports say, in the UI's language.

The core's reports are plain values (``evaluator.excel.results``) with an English ``summary()`` for
the command line; the screens say the same in the UI's language from the values themselves, and
show problems and warnings through :mod:`ui.problems` (never a raw dump of the report's fields).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .i18n import language, tr
from .problems import problem_text

#: at most this many detail lines under a report (the rest is counted)
MAX_LINES = 300


def export_text(result: Any, out: Path) -> str:
    """The status line of an export or a report: what was written where."""
    sheets = getattr(result, "sheets", None)
    if sheets:
        rows = sum(sheets.values())
        return tr("Wrote {file}: %n rows", "", rows).format(file=out.name) + " " + tr(
            "(%n sheets)", "", len(sheets))
    return tr("Wrote {file}.").format(file=out.name)


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return lines[:MAX_LINES] + [tr("… and %n more", "", len(lines) - MAX_LINES)]


def _warnings(report) -> list[str]:
    return ["⚠ " + problem_text(w) for w in getattr(report, "warnings", ())]


def _dry(report) -> list[str]:
    return [tr("Nothing was written yet: this is what the import would do.")] if report.dry_run else []


def field_label(field: str) -> str:
    from .screens.import_wizard import field_labels

    return field_labels().get(field, field)


def _plain(v: Any) -> str:
    if v is None or v == "":
        return "—"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    text = str(v)
    return text if len(text) <= 40 else text[:39] + "…"


# --- applications -----------------------------------------------------------------------------------
def applications_report(report) -> tuple[str, list[str]]:
    """(headline, detail lines) of an intake import."""
    if report.dry_run:
        title = tr("{file}: would add {add}, update {upd}, leave {same} unchanged.")
    else:
        title = tr("Imported {file}: {add} added, {upd} updated, {same} unchanged.")
    title = title.format(file=Path(report.file).name, add=len(report.added), upd=len(report.updated),
                         same=len(report.unchanged))
    lines = _dry(report)
    if report.added:
        lines.append(tr("Added: {ids}").format(ids=", ".join(report.added)))
    for app_id in report.updated:
        changes = report.changes.get(app_id, {})
        lines.append(f"{app_id}: " + "; ".join(
            f"{field_label(k)} {_plain(old)} → {_plain(new)}" for k, (old, new) in changes.items()))
    if report.unknown_columns:
        lines.append(tr("Unknown columns kept aside with each application: {columns}").format(
            columns=", ".join(report.unknown_columns)))
    return title, _capped(lines + _warnings(report))


# --- evaluators and assignments ---------------------------------------------------------------------
def assignments_report(report) -> tuple[str, list[str]]:
    verb = tr("would add") if report.dry_run else tr("added")
    title = tr("{file}: evaluators {verb} {ev_add} (updated {ev_upd}), assignments {verb} {asg_add} (already there "
               "{asg_same}), conflict declarations {verb} {cf_add} (changed {cf_changed}).").format(
        file=Path(report.file).name, verb=verb, ev_add=len(report.evaluators_added),
        ev_upd=len(report.evaluators_updated), asg_add=len(report.assignments_added),
        asg_same=len(report.assignments_unchanged), cf_add=len(report.conflicts_added),
        cf_changed=len(report.conflicts_changed))
    lines = _dry(report)
    if report.evaluators_added:
        lines.append(tr("New evaluators: {codes}").format(codes=", ".join(report.evaluators_added)))
    if report.evaluators_updated:
        lines.append(tr("Evaluators updated: {codes}").format(codes=", ".join(report.evaluators_updated)))
    for app, ev in report.assignments_added:
        lines.append(tr("Assign {evaluator} to {application}").format(evaluator=ev, application=app))
    for app, ev in (*report.conflicts_added, *report.conflicts_changed):
        lines.append(tr("Conflict of interest: {evaluator} with {application}").format(evaluator=ev, application=app))
    return title, _capped(lines + _warnings(report))


# --- paper scores ------------------------------------------------------------------------------------
def _score(value: dict | None, rubric, criterion: str) -> str:
    if not value or (value.get("level") is None and value.get("points") is None):
        return "—"
    level, points = value.get("level"), value.get("points")
    if level and rubric is not None:
        try:
            lv = rubric.level(level)
            c = rubric.criterion(criterion)
            return tr("{level} ({points:g} pts)").format(level=lv.label(language()),
                                                         points=rubric.points_for_level(c, level))
        except KeyError:
            return str(level)
    return tr("{points:g} pts").format(points=float(points))


def _criterion(rubric, code: str) -> str:
    if rubric is None:
        return code
    try:
        return rubric.criterion(code).name(language())
    except KeyError:
        return code


def _missing(rubric, codes) -> str:
    """The missing items of an evaluation left open: criteria and visit-log entries, by name."""
    names = []
    for code in codes:
        if code == "visited_at":
            names.append(tr("visit date and time"))
        elif code == "attendees":
            names.append(tr("attendees"))
        elif code.startswith("checklist."):
            item = code.removeprefix("checklist.")
            names.append(rubric.visit_requirement_name(f"check:{item}", language()) if rubric is not None else item)
        else:
            names.append(_criterion(rubric, code))
    return ", ".join(names)


def scores_report(report, rubric_of: dict[str, Any] | None = None) -> tuple[str, list[str]]:
    """(headline, detail lines) of a paper-score import; ``rubric_of``: application ID → its rubric."""
    rubric_of = rubric_of or {}
    dry = report.dry_run
    clauses = [tr("%n scores would be saved", "", len(report.saved)) if dry else
               tr("%n scores saved", "", len(report.saved)),
               tr("in %n evaluations", "", len(report.evaluations)),
               tr("{same} unchanged, {blank} blank").format(same=report.unchanged, blank=report.blank)]
    if report.finalised or report.not_finalised:
        clauses.append(tr("%n evaluations would be finalised", "", len(report.finalised)) if dry else
                       tr("%n evaluations finalised", "", len(report.finalised)))
    if report.not_finalised:
        clauses.append(tr("%n left as they are (not complete)", "", len(report.not_finalised)))
    title = f"{Path(report.file).name}: " + "; ".join(clauses) + "."
    lines = _dry(report)
    for c in report.saved:
        rubric = rubric_of.get(c.application_id)
        lines.append(f"{c.application_id} · {c.evaluator} · {_criterion(rubric, c.criterion)}: "
                     f"{_score(c.old, rubric, c.criterion)} → {_score(c.new, rubric, c.criterion)}")
    if report.finalised:
        head = tr("Would be finalised:") if report.dry_run else tr("Finalised:")
        lines.append(head + " " + ", ".join(f"{app} · {ev}" for app, ev in report.finalised))
    if report.not_finalised:
        lines.append(tr("Left as they are (not complete):"))
        for o in report.not_finalised:
            lines.append("    " + tr("{application} · {evaluator}: missing {what}").format(
                application=o.application_id, evaluator=o.evaluator,
                what=_missing(rubric_of.get(o.application_id), o.missing)))
    return title, _capped(lines + _warnings(report))


def rubrics_for(st, application_ids) -> dict[str, Any]:
    """Runs on the worker: application ID → its track's rubric (for naming criteria and levels)."""
    ids = sorted(set(application_ids))
    rows = st.applications.rows(ids) if ids else []
    by_track: dict[str, Any] = {}
    out = {}
    for r in rows:
        if r.track not in by_track:
            by_track[r.track] = st.programs.rubric(r.track)
        out[r.id] = by_track[r.track]
    return out
