"""Automatic assignment: load-balanced, never a declared conflict, likely conflicts listed.

Like HotCRP's autoassign: every application that has fewer than N evaluators gets the least
loaded evaluators without a declared conflict with it, so each evaluator's load in the program
stays within one of the others' (among evaluators free to take the application); among equally
loaded evaluators one without a *likely* conflict comes first.  Likely conflicts — the evaluator's
organisation or district is the applicant group's, or they share an e-mail domain or a phone —
are suggestions for the office to confirm (``evaluator recuse``), listed, never applied silently.
The office may also dismiss one (not a conflict, with its reason): the dismissal is kept per program
in the ``setting`` table under ``likely_conflicts_dismissed:<program uuid>`` (who, when, why, what
matched) and the pairing is not listed again — unless a new kind of suspicion appears since.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..db.models import Application, Assignment, Evaluator, Program, Round, Setting, Track, utcnow
from ..db.settings import get_setting, set_setting
from ..domain import SIGNED_OFF, WITHDRAWN, AutoAssignment, DismissedConflict, LikelyConflict
from ..errors import NotFound, ValidationError
from . import people
from .common import assignment_for
from ..messages import Message, msg

#: e-mail services anyone can sign up to (and the documentation domains of RFC 2606): a shared
#: domain there says nothing about a shared organisation
PUBLIC_MAIL = frozenset({
    "gmail.com", "googlemail.com", "naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com", "hotmail.com",
    "outlook.com", "live.com", "yahoo.com", "yahoo.co.kr", "icloud.com", "me.com", "empas.com", "dreamwiz.com",
    "korea.com", "chol.com", "paran.com", "lycos.co.kr", "hanmir.com", "example.org", "example.com", "example.net",
})
_LEGAL = re.compile(r"\(사\)|\(재\)|\(주\)|\(유\)|사단법인|재단법인|주식회사|유한회사|협동조합|사회적협동조합")


def _org_key(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = _LEGAL.sub("", t)
    return "".join(ch for ch in t.casefold() if ch.isalnum())


def _domain(email: str) -> str:
    _, at, domain = (email or "").strip().casefold().rpartition("@")
    return domain if at and domain and domain not in PUBLIC_MAIL else ""


def _phone_key(phone: str) -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return digits if len(digits) >= 8 else ""


def _suspicions(ev: Evaluator, app: Application) -> list[tuple[str, Message]]:
    """(reason code, what it is) for each likely conflict between ``ev`` and ``app``."""
    out = []
    org = _org_key(ev.organisation)
    if org and org == _org_key(app.group_name):
        out.append(("organisation", msg("services.likely_organisation", "{evaluator}'s organisation {organisation} is "
                                        "the applicant group", evaluator=ev.code, organisation=ev.organisation)))
    if ev.district and ev.district == app.district:
        out.append(("district", msg("services.likely_district", "{evaluator} is from {district}, the applicant "
                                    "group's district", evaluator=ev.code, district=ev.district)))
    domain = _domain(ev.email)
    if domain and domain == _domain(app.email):
        out.append(("email_domain", msg("services.likely_email_domain", "{evaluator} and the applicant share the "
                                        "e-mail domain {domain}", evaluator=ev.code, domain=domain)))
    phone = _phone_key(ev.phone)
    if phone and phone == _phone_key(app.phone):
        out.append(("phone", msg("services.likely_phone", "{evaluator} and the applicant share a phone number",
                                 evaluator=ev.code)))
    return out


def _applications(s: Session, program: Program, *, track: str | None, round_code: str | None) -> list[Application]:
    q = (select(Application).join(Round, Round.id == Application.round_id)
         .where(Application.program_id == program.id, Application.status != WITHDRAWN, Round.status != SIGNED_OFF)
         .order_by(Application.external_id))
    if track:
        codes = {t.code for t in program.tracks}
        if track not in codes:
            raise ValidationError(msg("services.no_such_track", "Program '{program}' has no track '{code}' (tracks: "
                                      "{known}).", program=program.code, code=track, known=", ".join(sorted(codes))))
        q = q.join(Track, Track.id == Application.track_id).where(Track.code == track)
    if round_code:
        from .common import round_by_code

        q = q.where(Application.round_id == round_by_code(s, program, round_code).id)
    return list(s.execute(q).scalars())


def likely_conflicts(s: Session, program: Program, *, track: str | None = None,
                     round_code: str | None = None) -> list[LikelyConflict]:
    """Every pairing of the program's evaluators and (open rounds') applications that looks like a
    conflict of interest and is neither declared one nor dismissed (unless something new matches
    since the dismissal)."""
    apps = _applications(s, program, track=track, round_code=round_code)
    return _likely(s, apps, _evaluators(s), _pairs(s, program), dismissed=_dismissals(s, program))


def _evaluators(s: Session) -> list[Evaluator]:
    return list(s.execute(select(Evaluator).where(Evaluator.active.is_(True)).order_by(Evaluator.code)).scalars())


def _pairs(s: Session, program: Program) -> dict[tuple[int, int], str | None]:
    """(application id, evaluator id) -> conflict type (None: a plain assignment) in the program."""
    return {(a, e): c for a, e, c in s.execute(
        select(Assignment.application_id, Assignment.evaluator_id, Assignment.conflict_type)
        .join(Application, Application.id == Assignment.application_id)
        .where(Application.program_id == program.id))}


def _likely(s: Session, apps: list[Application], evaluators: list[Evaluator],
            pairs: dict[tuple[int, int], str | None], added: set[tuple[int, int]] = frozenset(), *,
            dismissed: dict[str, dict]) -> list[LikelyConflict]:
    """The likely conflicts among ``apps`` and ``evaluators``, leaving out the declared ones and
    those the office dismissed for everything that matches now (``dismissed``: see
    :func:`_dismissals`)."""
    out = []
    # index the evaluators by what may match, so each application looks up only its suspects
    by: dict[tuple[str, str], list[Evaluator]] = defaultdict(list)
    for ev in evaluators:
        for kind, key in (("org", _org_key(ev.organisation)), ("district", ev.district or ""),
                          ("domain", _domain(ev.email)), ("phone", _phone_key(ev.phone))):
            if key:
                by[(kind, key)].append(ev)
    for app in apps:
        suspects: dict[int, Evaluator] = {}
        for kind, key in (("org", _org_key(app.group_name)), ("district", app.district or ""),
                          ("domain", _domain(app.email)), ("phone", _phone_key(app.phone))):
            if key:
                for ev in by.get((kind, key), ()):
                    suspects[ev.id] = ev
        for ev in sorted(suspects.values(), key=lambda e: e.code):
            pair = (app.id, ev.id)
            if pair in pairs and pairs[pair] is not None:
                continue  # declared already
            found = _suspicions(ev, app)
            if not found:
                continue
            kinds = tuple(f[0] for f in found)
            earlier = dismissed.get(_pair_key(app, ev))
            if earlier is not None and set(kinds) <= set(earlier.get("reasons") or ()):
                continue  # the office said it is not a conflict, and nothing new matches since
            out.append(LikelyConflict(
                application_id=app.external_id, evaluator=ev.code, reasons=kinds,
                detail="; ".join(f[1].render("en") for f in found),
                detail_ko="; ".join(f[1].render("ko") for f in found),
                assigned=pair in pairs or pair in added,
                dismissed_for=tuple(earlier.get("reasons") or ()) if earlier else (),
                dismissal_reason=str(earlier.get("reason") or "") if earlier else ""))
    return out


def auto_assign(s: Session, program: Program, *, per_application: int, track: str | None = None,
                round_code: str | None = None, actor: str, device: str, write: bool) -> AutoAssignment:
    if isinstance(per_application, bool) or not isinstance(per_application, int) or per_application < 1:
        raise ValidationError(msg("services.per_application_not_positive", "--per-application must be a whole number "
                                  "of at least 1, got {value}.", value=repr(per_application)))
    evaluators = _evaluators(s)
    if not evaluators:
        raise ValidationError(msg("services.no_evaluators_yet", "There are no evaluators to assign yet; add them with "
                                  "'evaluator evaluators add' or 'evaluator evaluators import FILE'."))
    apps = _applications(s, program, track=track, round_code=round_code)
    pairs = _pairs(s, program)
    dismissed = _dismissals(s, program)
    load: dict[int, int] = {ev.id: 0 for ev in evaluators}
    assigned: dict[int, set[int]] = defaultdict(set)
    barred: dict[int, set[int]] = defaultdict(set)
    for (aid, eid), conflict in pairs.items():
        if conflict is None:
            assigned[aid].add(eid)
            if eid in load:
                load[eid] += 1
        else:
            barred[aid].add(eid)
    app_id = {a.external_id: a.id for a in apps}
    ev_id = {ev.code: ev.id for ev in evaluators}
    suspect = {(app_id[c.application_id], ev_id[c.evaluator])
               for c in _likely(s, apps, evaluators, pairs, dismissed=dismissed)}
    code_of = {ev.id: ev.code for ev in evaluators}
    by_id = {ev.id: ev for ev in evaluators}
    # the applications with the fewest evaluators free to take them go first, so a constrained one
    # is not left short by the balance the others made
    free = {a.id: len(evaluators) - len(barred[a.id]) for a in apps}
    order = sorted(apps, key=lambda a: (free[a.id], a.external_id))
    added: list[tuple[Application, Evaluator]] = []
    short: list[tuple[str, int]] = []
    for app in order:
        need = per_application - len(assigned[app.id])
        if need <= 0:
            continue
        candidates = [eid for eid in load if eid not in assigned[app.id] and eid not in barred[app.id]]
        candidates.sort(key=lambda eid: (load[eid], (app.id, eid) in suspect, code_of[eid]))
        chosen = candidates[:need]
        for eid in chosen:
            load[eid] += 1
            assigned[app.id].add(eid)
            added.append((app, by_id[eid]))
        if len(chosen) < need:
            short.append((app.external_id, len(assigned[app.id])))
    if write:
        for app, ev in added:
            people.assign(s, app, ev, actor=actor)
        s.flush()
    new_pairs = {(app.id, ev.id) for app, ev in added}
    return AutoAssignment(
        per_application=per_application,
        added=tuple(sorted((app.external_id, ev.code) for app, ev in added)),
        loads={code_of[eid]: n for eid, n in sorted(load.items(), key=lambda kv: code_of[kv[0]])},
        short=tuple(sorted(short)),
        likely_conflicts=tuple(_likely(s, apps, evaluators, pairs, new_pairs, dismissed=dismissed)),
        dry_run=not write, applications=len(apps),
    )


# --- dismissed likely conflicts ---------------------------------------------------------------------
#: the setting keys of the programs' dismissals: this prefix and the program's uuid
DISMISSED_PREFIX = "likely_conflicts_dismissed:"


def _dismissed_key(program: Program) -> str:
    return f"{DISMISSED_PREFIX}{program.uuid}"


def _pair_key(app: Application, ev: Evaluator) -> str:
    return f"{app.uuid}/{ev.uuid}"


def _dismissals(s: Session, program: Program) -> dict[str, dict]:
    """The program's dismissed likely conflicts: ``"<application uuid>/<evaluator uuid>"`` ->
    {application, evaluator (their IDs then), reasons (what matched), reason, by, at (ISO, UTC)}."""
    return dict(get_setting(s, _dismissed_key(program)) or {})


def _as_dismissed(app: Application, ev: Evaluator, entry: dict) -> DismissedConflict:
    return DismissedConflict(application_id=app.external_id, evaluator=ev.code,
                             reasons=tuple(entry.get("reasons") or ()), reason=str(entry.get("reason") or ""),
                             dismissed_by=str(entry.get("by") or ""),
                             dismissed_at=datetime.fromisoformat(entry["at"]))


def dismissed_conflicts(s: Session, program: Program) -> list[DismissedConflict]:
    """The program's dismissed likely conflicts, by application and evaluator (a pairing declared a
    conflict since, or whose application or evaluator is gone, is not one any more)."""
    entries = _dismissals(s, program)
    if not entries:
        return []
    apps = {a.uuid: a for a in s.execute(select(Application).where(Application.program_id == program.id)).scalars()}
    evs = {e.uuid: e for e in s.execute(select(Evaluator)).scalars()}
    declared = {p for p, c in _pairs(s, program).items() if c is not None}
    out = []
    for key, entry in entries.items():
        app_uuid, _, ev_uuid = key.partition("/")
        app, ev = apps.get(app_uuid), evs.get(ev_uuid)
        if app is None or ev is None or (app.id, ev.id) in declared:
            continue
        out.append(_as_dismissed(app, ev, entry))
    return sorted(out, key=lambda d: (d.application_id, d.evaluator))


def _refuse_closed(app: Application, ev: Evaluator, what: Message) -> None:
    """Likely conflicts are listed for the applications still to be evaluated: a withdrawn one, or
    one of a signed-off round, has none to dismiss or restore (its record stays as it was)."""
    if app.status == WITHDRAWN:
        raise ValidationError(msg("services.conflict_withdrawn", "Application {app} was withdrawn: its likely "
                                  "conflicts are no longer listed, so there is nothing to {what} for {evaluator}. "
                                  "Nothing was changed.", app=app.external_id, what=what, evaluator=ev.code))
    if app.round is not None and app.round.status == SIGNED_OFF:
        raise ValidationError(msg("services.conflict_signed_off", "Round {round} of application {app} is signed off: "
                                  "its assignments and their record stay as they were signed, so there is nothing to "
                                  "{what} for {evaluator}. Nothing was changed.", round=app.round.code,
                                  app=app.external_id, what=what, evaluator=ev.code))


def dismiss(s: Session, program: Program, app: Application, ev: Evaluator, reason: str, *, actor: str,
            device: str) -> DismissedConflict:
    """Record that the likely conflict of ``ev`` with ``app`` is not one (``reason``: why), audited.
    Refused when the application is withdrawn or its round signed off, when the pairing does not
    look like a conflict, is declared one, or is dismissed already for everything that matches now."""
    _refuse_closed(app, ev, msg("services.conflict_what_dismiss", "dismiss"))
    a = assignment_for(s, app, ev)
    if a is not None and a.conflict_type is not None:
        raise ValidationError(msg("services.dismiss_declared", "Evaluator {evaluator} has a declared {conflict_type} "
                                  "conflict of interest with application {app}; a declared conflict is not dismissed. "
                                  "Nothing was changed.", evaluator=ev.code, conflict_type=a.conflict_type,
                                  app=app.external_id))
    kinds = [kind for kind, _what in _suspicions(ev, app)]
    if not kinds:
        raise ValidationError(msg("services.dismiss_not_likely", "Evaluator {evaluator} and application {app} do not "
                                  "look like a conflict of interest (no shared organisation, district, e-mail domain "
                                  "or phone); there is nothing to dismiss.", evaluator=ev.code, app=app.external_id))
    entries = _dismissals(s, program)
    key = _pair_key(app, ev)
    earlier = entries.get(key)
    if earlier is not None and set(kinds) <= set(earlier.get("reasons") or ()):
        raise ValidationError(msg("services.dismiss_already", "The likely conflict of {evaluator} with application "
                                  "{app} was already dismissed by {by} on {day} ({reason}). Nothing was changed.",
                                  evaluator=ev.code, app=app.external_id, by=earlier.get("by") or "?",
                                  day=str(earlier.get("at") or "")[:10], reason=earlier.get("reason") or ""))
    entry = {"application": app.external_id, "evaluator": ev.code, "reasons": kinds, "reason": reason,
             "by": actor, "at": utcnow().isoformat(timespec="seconds")}
    entries[key] = entry
    set_setting(s, _dismissed_key(program), entries)
    audit.append(s, actor=actor, device=device, action="dismiss_likely_conflict", entity="application",
                 entity_uuid=app.uuid,
                 old=earlier and {"reasons": earlier.get("reasons"), "reason": earlier.get("reason"),
                                  "by": earlier.get("by"), "at": earlier.get("at")},
                 new={"application": app.external_id, "evaluator": ev.code, "reasons": kinds, "reason": reason},
                 reason=reason, subject=app.uuid)
    s.flush()
    return _as_dismissed(app, ev, entry)


def restore(s: Session, program: Program, app: Application, ev: Evaluator, reason: str, *, actor: str,
            device: str) -> DismissedConflict:
    """Undo the dismissal of the likely conflict of ``ev`` with ``app`` (audited with ``reason``):
    it is listed again while it still looks like a conflict.  Returns the dismissal undone.
    Refused, as a dismissal is, when the application is withdrawn or its round signed off."""
    _refuse_closed(app, ev, msg("services.conflict_what_restore", "restore"))
    entries = _dismissals(s, program)
    earlier = entries.pop(_pair_key(app, ev), None)
    if earlier is None:
        raise NotFound(msg("services.restore_not_dismissed", "The likely conflict of {evaluator} with application "
                           "{app} is not dismissed; there is nothing to restore.", evaluator=ev.code,
                           app=app.external_id))
    set_setting(s, _dismissed_key(program), entries)
    audit.append(s, actor=actor, device=device, action="restore_likely_conflict", entity="application",
                 entity_uuid=app.uuid,
                 old={"application": app.external_id, "evaluator": ev.code, "reasons": earlier.get("reasons"),
                      "reason": earlier.get("reason"), "by": earlier.get("by"), "at": earlier.get("at")},
                 new={"application": app.external_id, "evaluator": ev.code, "reason": reason},
                 reason=reason, subject=app.uuid)
    s.flush()
    return _as_dismissed(app, ev, earlier)


def forget_reasons(s: Session, application_uuids: set[str], tombstone: str) -> int:
    """Replace the reason of every dismissal about these applications by ``tombstone`` (a purge of
    their people's data: the office's free text may name them); what matched, who and when stay.
    Returns how many reasons were replaced."""
    count = 0
    for row in s.execute(select(Setting).where(Setting.key.startswith(DISMISSED_PREFIX))).scalars():
        entries = dict(row.value or {})
        about = [k for k, e in entries.items()
                 if k.partition("/")[0] in application_uuids and e.get("reason") not in ("", tombstone)]
        for key in about:
            entries[key] = {**entries[key], "reason": tombstone}
        if about:
            row.value = entries
            count += len(about)
    return count
