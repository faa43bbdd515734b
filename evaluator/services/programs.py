"""Programs (calls), their tracks, rubrics, rounds, categories and typed intake fields.

A program is made from a program file (:mod:`evaluator.programfile`, ``docs/programs.md``) or, by
code that builds one itself (kits, tests, benchmarks), from :class:`TrackSpec` values.  Every
program has at least one round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import Application, Criterion, EligibilityGate, Program, Round, RoundTrack, Rubric, Track
from ..domain import CATEGORIES, CategoryInfo, FieldInfo, ProgramInfo, TrackInfo
from ..errors import ValidationError
from ..programfile import FieldDef, ProgramDef, RoundDef, default_round
from ..rubric import Rubric as RubricDef
from ..messages import Message, msg

#: program-level ranking defaults for programs built in code (a program file's default is the trimmed
#: mean, evaluator.programfile.DEFAULT_RANKING); each can be changed per program
DEFAULT_SETTINGS = {
    "method": "mean",
    "trim_min_evaluators": 5,
    "disagreement_threshold": 20.0,
    "tie_breaks": ["field_check", "fewer_flags", "earlier_submission"],
}

#: the categories of a program built in code: the Community Building Project's activity kinds
LEGACY_CATEGORIES = [{"code": code, "ko": ko, "en": en, "aliases": []} for code, (ko, en) in CATEGORIES.items()]


@dataclass(frozen=True)
class TrackSpec:
    code: str
    name_ko: str
    name_en: str
    rubric: RubricDef
    quota: int
    reserve_size: int = 3
    budget: int | None = None
    min_score: float | None = None


def add_rubric(s: Session, program: Program, rd: RubricDef) -> Rubric:
    existing = s.execute(
        select(Rubric).where(Rubric.program_id == program.id, Rubric.code == rd.code)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.content_hash != rd.content_hash:
            raise ValidationError(msg(
                "services.different_rubric",
                "Program '{program}' already has a different rubric '{rubric}' (version {version}, new {new}).",
                program=program.code, rubric=rd.code, version=existing.content_hash[:12], new=rd.version))
        return existing
    r = Rubric(
        program=program,
        code=rd.code,
        name_ko=rd.name_ko,
        name_en=rd.name_en,
        content_hash=rd.content_hash,
        min_score=rd.min_score,
        source=rd.source,
        checklist=[{"code": c.code, "ko": c.name_ko, "en": c.name_en} for c in rd.checklist],
        levels=[{"key": lv.key, "ko": lv.label_ko, "en": lv.label_en, "percent": lv.percent} for lv in rd.levels],
    )
    s.add(r)
    for i, c in enumerate(rd.criteria):
        s.add(
            Criterion(
                rubric=r, code=c.code, position=i, name_ko=c.name_ko, name_en=c.name_en,
                help_ko=c.help_ko, help_en=c.help_en, max_points=c.max_points, weight=c.weight,
                scoring=c.scoring, required=c.required, field_check=c.field_check,
                level_descriptions={k: list(v) for k, v in c.level_descriptions.items()},
            )
        )
    for i, g in enumerate(rd.gates):
        s.add(
            EligibilityGate(
                rubric=r, code=g.code, position=i, name_ko=g.name_ko, name_en=g.name_en,
                kind=g.kind, field=g.field, min_value=g.min_value,
            )
        )
    s.flush()
    return r


def add_round(s: Session, program: Program, rd: RoundDef, position: int) -> Round:
    r = Round(program=program, code=rd.code, position=position, name_ko=rd.name_ko, name_en=rd.name_en,
              opens_on=rd.opens_on, closes_on=rd.closes_on, status="open")
    s.add(r)
    s.flush()
    tracks = {t.code: t for t in program.tracks}
    for code, rt in rd.tracks.items():
        s.add(RoundTrack(round=r, track_id=tracks[code].id, quota=rt.quota, budget=rt.budget))
    s.flush()
    return r


def create_program(
    s: Session,
    *,
    code: str,
    name_ko: str,
    name_en: str = "",
    tracks: list[TrackSpec],
    opened_on: date | None = None,
    closed_on: date | None = None,
    settings: dict | None = None,
    uuid: str | None = None,
    status: str = "intake",
    office_ko: str = "",
    office_en: str = "",
    intake: str = "fixed",
    categories: list[dict[str, Any]] | None = None,
    fields: list[dict[str, Any]] | None = None,
    rounds: list[RoundDef] | None = None,
    source: str = "",
    content_hash: str = "",
) -> Program:
    if s.execute(select(Program.id).where(Program.code == code)).first():
        raise ValidationError(msg("services.program_exists", "A program with code '{code}' already exists in this "
                                  "database.", code=code))
    program = Program(
        code=code, name_ko=name_ko, name_en=name_en, opened_on=opened_on, closed_on=closed_on,
        settings={**DEFAULT_SETTINGS, **(settings or {})}, status=status, office_ko=office_ko, office_en=office_en,
        intake=intake, categories=list(LEGACY_CATEGORIES if categories is None else categories),
        fields=list(fields or []), source=source, content_hash=content_hash,
    )
    if uuid:
        program.uuid = uuid
    s.add(program)
    s.flush()
    for i, t in enumerate(tracks):
        r = add_rubric(s, program, t.rubric)
        s.add(Track(program=program, code=t.code, position=i, name_ko=t.name_ko, name_en=t.name_en,
                    rubric=r, quota=t.quota, reserve_size=t.reserve_size, budget=t.budget, min_score=t.min_score))
    s.flush()
    for i, rd in enumerate(rounds or [default_round(opened_on, closed_on)]):
        add_round(s, program, rd, i)
    return program


def create_from_def(s: Session, pd: ProgramDef, *, status: str = "intake") -> Program:
    """The program a program file describes (its rubrics, tracks, rounds, categories and fields)."""
    return create_program(
        s, code=pd.code, name_ko=pd.name_ko, name_en=pd.name_en, opened_on=pd.opened_on, closed_on=pd.closed_on,
        tracks=[TrackSpec(t.code, t.name_ko, t.name_en, t.rubric, t.quota, t.reserve_size, t.budget, t.min_score)
                for t in pd.tracks],
        settings=pd.settings(), status=status, office_ko=pd.office_ko, office_en=pd.office_en, intake=pd.intake,
        categories=[c.as_dict() for c in pd.categories], fields=[f.as_dict() for f in pd.fields],
        rounds=list(pd.rounds), source=pd.source, content_hash=pd.content_hash,
    )


def categories_of(program: Program) -> tuple[CategoryInfo, ...]:
    return tuple(CategoryInfo(c["code"], c.get("ko", ""), c.get("en", ""), tuple(c.get("aliases") or ()))
                 for c in (program.categories or LEGACY_CATEGORIES))


def field_defs(program: Program) -> tuple[FieldDef, ...]:
    return tuple(FieldDef.from_dict(d) for d in (program.fields or ()))


def fields_of(program: Program) -> tuple[FieldInfo, ...]:
    return tuple(FieldInfo(f.key, f.label_ko, f.label_en, f.type, f.required, f.personal, f.values, f.aliases)
                 for f in field_defs(program))


def program_info(s: Session, p: Program, *, current: bool = False) -> ProgramInfo:
    from .rounds import round_infos

    counts = dict(
        s.execute(
            select(Application.track_id, func.count()).where(Application.program_id == p.id).group_by(Application.track_id)
        ).all()
    )
    tracks = tuple(
        TrackInfo(
            code=t.code, name_ko=t.name_ko, name_en=t.name_en, rubric_code=t.rubric.code, quota=t.quota,
            reserve_size=t.reserve_size, budget=t.budget, applications=counts.get(t.id, 0), min_score=t.min_score,
            rubric_hash=t.rubric.content_hash,
        )
        for t in p.tracks
    )
    return ProgramInfo(
        code=p.code, uuid=p.uuid, name_ko=p.name_ko, name_en=p.name_en, status=p.status,
        opened_on=p.opened_on, closed_on=p.closed_on, tracks=tracks, settings=dict(p.settings or {}),
        office_ko=p.office_ko or "", office_en=p.office_en or "", intake=p.intake or "fixed",
        categories=categories_of(p), fields=fields_of(p), rounds=round_infos(s, p), version=p.content_hash or "",
        archived=p.archived_at is not None, current=current, applications=sum(counts.values()),
    )


def update_settings(s: Session, program: Program, changes: dict[str, Any], *, actor: str, device: str) -> dict:
    """Merge ``changes`` into the program's settings, audited with the old and new settings."""
    from .. import audit

    old = dict(program.settings or {})
    program.settings = {**old, **changes}
    audit.append(s, actor=actor, device=device, action="program_settings", entity="program",
                 entity_uuid=program.uuid, old=old, new=program.settings)
    return dict(program.settings)


# --- program update ---------------------------------------------------------------------------------
@dataclass
class UpdatePlan:
    """What a new version of a program file changes in the stored program, what it may not change
    (with the reason, and the file key it is about), and the steps that apply the rest."""

    changes: list[str]  # (kept in the audit trail as they are: a record, in English)
    refused: list[tuple[str, Message]]  # (key, why)
    steps: list[Any]

    def refuse(self, key: str, why: Message) -> None:
        self.refused.append((key, why))

    def change(self, text: str, step: Any = None) -> None:
        self.changes.append(text)
        if step is not None:
            self.steps.append(step)


def _money(v: int | None) -> str:
    return "none" if v is None else f"{v:,} won"


def _num(v: Any) -> str:
    return "the rubric's" if v is None else f"{v:g}"


def plan_update(s: Session, p: Program, pd: ProgramDef) -> UpdatePlan:
    """Compare the stored program ``p`` with the program file ``pd`` (the same code)."""
    from ..db.models import Assignment, Evaluation, GateResult, Score

    plan = UpdatePlan([], [], [])
    apps = int(s.execute(select(func.count()).select_from(Application).where(Application.program_id == p.id)).scalar())

    # --- the program itself
    for attr, label in (("name_ko", "name_ko"), ("name_en", "name_en"), ("office_ko", "office_ko"),
                        ("office_en", "office_en")):
        old, new = getattr(p, attr) or "", getattr(pd, attr)
        if old != new:
            plan.change(f"{label}: {old!r} → {new!r}", lambda p, a=attr, v=new: setattr(p, a, v))
    for attr in ("opened_on", "closed_on"):
        old, new = getattr(p, attr), getattr(pd, attr)
        if old != new:
            plan.change(f"{attr}: {old or '—'} → {new or '—'}", lambda p, a=attr, v=new: setattr(p, a, v))
    if (p.intake or "fixed") != pd.intake:
        if apps:
            plan.refuse("intake", msg("services.refused_intake", "the intake mode cannot change from {old} to {new}: "
                                      "{count} {count:application was|applications were} already placed in rounds the "
                                      "old way",
                                      old=p.intake, new=pd.intake, count=apps))
        else:
            plan.change(f"intake: {p.intake} → {pd.intake}", lambda p, v=pd.intake: setattr(p, "intake", v))
    old_settings = dict(p.settings or {})
    new_settings = {**old_settings, **pd.settings()}
    if "districts" in old_settings and not pd.districts:
        new_settings.pop("districts")
    for key in sorted(set(old_settings) | set(new_settings)):
        if old_settings.get(key) != new_settings.get(key):
            plan.change(f"ranking.{key}: {old_settings.get(key)!r} → {new_settings.get(key)!r}"
                        if key != "districts" else "districts changed")
    if old_settings != new_settings:
        plan.steps.append(lambda p, v=new_settings: setattr(p, "settings", v))

    # --- tracks
    have = {t.code: t for t in p.tracks}
    want = {t.code: t for t in pd.tracks}
    per_track_apps = dict(s.execute(select(Application.track_id, func.count()).where(Application.program_id == p.id)
                                    .group_by(Application.track_id)).all())
    for code, t in have.items():
        if code not in want:
            n = per_track_apps.get(t.id, 0)
            if n:
                plan.refuse("tracks", msg("services.refused_track_in_use", "track '{track}' holds {count} "
                                          "{count:application|applications}; it cannot be removed",
                                          track=code, count=n))
            elif p.kits_issued:
                plan.refuse("tracks", msg("services.refused_track_kits", "track '{track}' cannot be removed: kits of "
                                          "this program went out", track=code))
            else:
                plan.change(f"track '{code}' removed", lambda p, t=t: _remove_track(s, p, t))
    for i, (code, td) in enumerate(want.items()):
        key = f"tracks[{i}] ({code})"
        t = have.get(code)
        if t is None:
            plan.change(f"track '{code}' added (rubric {td.rubric.code}, version {td.rubric.version})",
                        lambda p, td=td, i=i: _add_track(s, p, td, i))
            continue
        for attr, new, shown in (("name_ko", td.name_ko, repr), ("name_en", td.name_en, repr),
                                 ("quota", td.quota, str), ("reserve_size", td.reserve_size, str),
                                 ("budget", td.budget, _money), ("min_score", td.min_score, _num)):
            old = getattr(t, attr)
            if old != new:
                plan.change(f"{key}.{attr}: {shown(old)} → {shown(new)}",
                            lambda p, t=t, a=attr, v=new: setattr(t, a, v))
        if t.rubric.content_hash != td.rubric.content_hash:
            scores = int(s.execute(
                select(func.count()).select_from(Score).join(Evaluation, Evaluation.id == Score.evaluation_id)
                .join(Assignment, Assignment.id == Evaluation.assignment_id)
                .join(Application, Application.id == Assignment.application_id)
                .where(Application.track_id == t.id, Score.points.is_not(None))).scalar())
            gates = int(s.execute(
                select(func.count()).select_from(GateResult).join(Application, Application.id == GateResult.application_id)
                .where(Application.track_id == t.id)).scalar())
            what = f"{key}.rubric: version {t.rubric.content_hash[:12]} → {td.rubric.version}"
            if p.kits_issued:
                plan.refuse(f"{key}.rubric", msg("services.refused_rubric_kits", "the rubric cannot change (version "
                                                 "{old} → {new}): {count} field {count:kit|kits} of this program went "
                                                 "out with the old one", old=t.rubric.content_hash[:12],
                                                 new=td.rubric.version, count=p.kits_issued))
            elif scores:
                plan.refuse(f"{key}.rubric", msg("services.refused_rubric_scores", "the rubric cannot change (version "
                                                 "{old} → {new}): {count} {count:score was|scores were} given with the "
                                                 "old one",
                                                 old=t.rubric.content_hash[:12], new=td.rubric.version,
                                                 count=scores))
            elif gates:
                plan.refuse(f"{key}.rubric", msg("services.refused_rubric_gates", "the rubric cannot change: {count} "
                                                 "eligibility gate {count:result was|results were} recorded with the "
                                                 "old one",
                                                 count=gates))
            else:
                plan.change(what, lambda p, t=t, rd=td.rubric: _replace_rubric(s, p, t, rd))

    # --- categories
    old_cats = {c["code"]: c for c in (p.categories or LEGACY_CATEGORIES)}
    new_cats = {c.code: c.as_dict() for c in pd.categories}
    used = dict(s.execute(select(Application.category, func.count()).where(Application.program_id == p.id)
                          .group_by(Application.category)).all())
    for code in old_cats:
        if code not in new_cats:
            if used.get(code):
                plan.refuse("categories", msg("services.refused_category_in_use", "category '{category}' is the "
                                              "category of {count} {count:application|applications}; it cannot be "
                                              "removed",
                                              category=code, count=used[code]))
            else:
                plan.change(f"category '{code}' removed")
    for code, c in new_cats.items():
        if code not in old_cats:
            plan.change(f"category '{code}' added")
        elif {k: v for k, v in old_cats[code].items()} != c:
            plan.change(f"category '{code}' renamed")
    if list(old_cats.values()) != list(new_cats.values()):
        plan.steps.append(lambda p, v=list(new_cats.values()): setattr(p, "categories", v))

    # --- typed fields
    old_fields = {f["key"]: f for f in (p.fields or [])}
    new_fields = {f.key: f.as_dict() for f in pd.fields}
    with_values: dict[str, int] = {}
    if old_fields:
        for (values,) in s.execute(select(Application.fields).where(Application.program_id == p.id)):
            for k in (values or {}):
                with_values[k] = with_values.get(k, 0) + 1
    for key, f in old_fields.items():
        if key not in new_fields:
            if with_values.get(key):
                plan.refuse("fields", msg("services.refused_field_in_use", "field '{field}' holds values for {count} "
                                          "{count:application|applications}; it cannot be removed",
                                          field=key, count=with_values[key]))
            else:
                plan.change(f"field '{key}' removed")
    for i, (key, f) in enumerate(new_fields.items()):
        old = old_fields.get(key)
        if old is None:
            plan.change(f"field '{key}' added ({f['type']}{', required' if f['required'] else ''})"
                        + (f"; the {apps} applications already in have no value for it" if apps and f["required"]
                           else ""))
            continue
        if old.get("type") != f["type"] and with_values.get(key):
            plan.refuse(f"fields[{i}] ({key}).type", msg("services.refused_field_type", "the type cannot change from "
                                                         "{old} to {new}: {count} "
                                                         "{count:application holds|applications hold} values of the "
                                                         "old type", old=old.get("type"), new=f["type"],
                                                         count=with_values[key]))
        elif old.get("type") == "choice" and f["type"] == "choice" and with_values.get(key) and \
                set(old.get("values") or ()) - set(f["values"]):
            plan.refuse(f"fields[{i}] ({key}).values", msg(
                "services.refused_choice_removed", "a choice value cannot be removed while applications may hold it "
                "(removed: {values})", values=", ".join(sorted(set(old.get("values") or ()) - set(f["values"])))))
        elif old != f:
            plan.change(f"field '{key}' changed")
    if list(old_fields.values()) != list(new_fields.values()):
        plan.steps.append(lambda p, v=list(new_fields.values()): setattr(p, "fields", v))

    # --- rounds
    _plan_rounds(s, p, pd, plan)

    if (p.content_hash or "") != pd.content_hash or (p.source or "") != pd.source:
        plan.steps.append(lambda p, h=pd.content_hash, src=pd.source: (setattr(p, "content_hash", h),
                                                                       setattr(p, "source", src)))
    return plan


def _plan_rounds(s: Session, p: Program, pd: ProgramDef, plan: UpdatePlan) -> None:
    from ..domain import SIGNED_OFF

    have = {r.code: r for r in p.rounds}
    want = {r.code: r for r in pd.rounds}
    counts = dict(s.execute(select(Application.round_id, func.count()).where(Application.program_id == p.id)
                            .group_by(Application.round_id)).all())
    own = {(rt.round_id, rt.track_id): rt for r in p.rounds for rt in r.tracks}
    tracks = {t.code: t for t in p.tracks}
    for code, r in have.items():
        if code not in want:
            if r.status == SIGNED_OFF:
                plan.refuse("rounds", msg("services.refused_round_signed_off", "round '{round}' was signed off; it "
                                          "cannot be removed", round=code))
            elif counts.get(r.id):
                plan.refuse("rounds", msg("services.refused_round_in_use", "round '{round}' holds {count} "
                                          "{count:application|applications}; it cannot be removed",
                                          round=code, count=counts[r.id]))
            else:
                plan.change(f"round '{code}' removed", lambda p, r=r: s.delete(r))
    for i, (code, rd) in enumerate(want.items()):
        key = f"rounds[{i}] ({code})"
        r = have.get(code)
        if r is None:
            plan.change(f"round '{code}' added ({rd.opens_on or '…'} – {rd.closes_on or '…'})",
                        lambda p, rd=rd, i=i: add_round(s, p, rd, i))
            continue
        if r.position != i:
            plan.steps.append(lambda p, r=r, i=i: setattr(r, "position", i))
        for attr in ("name_ko", "name_en"):
            if getattr(r, attr) != getattr(rd, attr):
                plan.change(f"{key}.{attr}: {getattr(r, attr)!r} → {getattr(rd, attr)!r}",
                            lambda p, r=r, a=attr, v=getattr(rd, attr): setattr(r, a, v))
        if (r.opens_on, r.closes_on) != (rd.opens_on, rd.closes_on):
            window = f"{r.opens_on or '…'} – {r.closes_on or '…'} → {rd.opens_on or '…'} – {rd.closes_on or '…'}"
            if r.status == SIGNED_OFF:
                plan.refuse(f"{key}.opens_on", msg("services.refused_window_signed_off", "round '{round}' was signed "
                                                   "off; its window cannot change ({window})", round=code,
                                                   window=window))
            else:
                outside = _outside(s, r, rd) if (p.intake or "fixed") == "rolling" else []
                if outside:
                    plan.refuse(f"{key}.opens_on", msg(
                        "services.refused_window_leaves_out", "the new window {opens} – {closes} leaves out {count} "
                        "{count:application|applications} placed in round '{round}' by their dates (e.g. {app}, "
                        "submitted on {submitted})",
                        opens=rd.opens_on or "…", closes=rd.closes_on or "…", count=len(outside), round=code,
                        app=outside[0][0], submitted=outside[0][1]))
                else:
                    plan.change(f"{key} window: {window}",
                                lambda p, r=r, a=rd.opens_on, b=rd.closes_on: (setattr(r, "opens_on", a),
                                                                               setattr(r, "closes_on", b)))
        for tcode, t in tracks.items():
            mine = own.get((r.id, t.id))
            old = (mine.quota, mine.budget) if mine is not None else (None, None)
            new_def = rd.tracks.get(tcode)
            new = (new_def.quota, new_def.budget) if new_def is not None else (None, None)
            if old == new:
                continue
            if r.status == SIGNED_OFF:
                plan.refuse(f"{key}.tracks.{tcode}", msg("services.refused_quota_signed_off", "round '{round}' was "
                                                         "signed off; its quota and budget for '{track}' are frozen",
                                                         round=code, track=tcode))
                continue
            plan.change(f"{key}.tracks.{tcode}: quota {old[0] if old[0] is not None else 'the track' + chr(39) + 's'}"
                        f" → {new[0] if new[0] is not None else 'the track' + chr(39) + 's'}, budget "
                        f"{_money(old[1]) if old[1] is not None else 'the track' + chr(39) + 's'} → "
                        f"{_money(new[1]) if new[1] is not None else 'the track' + chr(39) + 's'}",
                        lambda p, r=r, t=t, mine=mine, new=new: _set_round_track(s, r, t, mine, new))


def _outside(s: Session, r: Any, rd: RoundDef) -> list[tuple[str, date]]:
    rows = s.execute(select(Application.external_id, Application.submitted_on)
                     .where(Application.round_id == r.id, Application.submitted_on.is_not(None))
                     .order_by(Application.external_id)).all()
    return [(ext, day) for ext, day in rows if not rd.holds(day)]


def _set_round_track(s: Session, r: Any, t: Track, mine: Any, new: tuple[int | None, int | None]) -> None:
    if new == (None, None):
        if mine is not None:
            s.delete(mine)
        return
    if mine is None:
        s.add(RoundTrack(round_id=r.id, track_id=t.id, quota=new[0], budget=new[1]))
    else:
        mine.quota, mine.budget = new


def _add_track(s: Session, p: Program, td: Any, position: int) -> None:
    r = add_rubric(s, p, td.rubric)
    s.add(Track(program=p, code=td.code, position=position, name_ko=td.name_ko, name_en=td.name_en, rubric=r,
                quota=td.quota, reserve_size=td.reserve_size, budget=td.budget, min_score=td.min_score))
    s.flush()


def _drop_rubric(s: Session, p: Program, rubric: Rubric) -> None:
    """Remove a rubric no track uses any more, with its criteria and gates (nothing was scored or
    recorded with it: the update refuses otherwise)."""
    from sqlalchemy import delete

    s.flush()
    rid = rubric.id
    s.execute(delete(Criterion).where(Criterion.rubric_id == rid))
    s.execute(delete(EligibilityGate).where(EligibilityGate.rubric_id == rid))
    s.execute(delete(Rubric).where(Rubric.id == rid))
    for obj in [o for o in s.identity_map.values() if isinstance(o, (Criterion, EligibilityGate)) and
                getattr(o, "rubric_id", None) == rid] + [rubric]:
        s.expunge(obj)  # gone from the database
    s.expire(p, ["rubrics"])


def _remove_track(s: Session, p: Program, t: Track) -> None:
    rubric = t.rubric
    p.tracks.remove(t)
    s.delete(t)
    s.flush()
    if not any(o.rubric_id == rubric.id for o in p.tracks):
        _drop_rubric(s, p, rubric)


def _replace_rubric(s: Session, p: Program, t: Track, rd: RubricDef) -> None:
    """Point track ``t`` at the rubric ``rd`` (nothing was scored with the old one); the old rubric
    goes when no other track uses it."""
    old = t.rubric
    shared = any(o.rubric_id == old.id and o is not t for o in p.tracks)
    if old.code == rd.code:
        if shared:
            raise ValidationError(msg("services.rubric_shared", "Rubric '{rubric}' is used by several tracks of "
                                      "program '{program}'; give the new version its own id.", rubric=rd.code,
                                      program=p.code))
        old.code = f"{old.code}~{old.content_hash[:8]}"  # out of the new version's way until it is gone
        s.flush()
    t.rubric = add_rubric(s, p, rd)
    s.flush()
    if not shared:
        _drop_rubric(s, p, old)


def apply_update(s: Session, p: Program, plan: UpdatePlan) -> None:
    for step in plan.steps:
        step(p)
    s.flush()
