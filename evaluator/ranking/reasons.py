"""Why an application got its decision: the one builder of the ranking's reasons, in English and Korean.

A reason is a tuple of **phrases**; a phrase is a code and its parameters.  In memory a phrase is the
tuple ``(code, *values)`` (the values in the order :data:`PHRASES` names them), so the engine builds
thousands of them cheaply; in the Decision table (``Decision.computed_reason``) a reason is stored as
canonical JSON, a list of ``{"code": …, "params": {…}}`` (:func:`to_json`, :func:`from_json`), and
every reader renders it in its own language (:func:`words`).  Rows written by earlier
versions hold the English sentence itself: :func:`stored_words` gives it back as it is.

The words are those of ``docs/ranking.md`` §5: phrases are joined with ``"; "``; a *heading* phrase
(``provisional``, ``ineligible``) ends with a colon and runs into what follows it::

    (("rank", 3, 5, 70.0), ("quota_filled", 2), ("reserve_place", 1))
    → "rank 3 of 5; score 70.0; quota 2 filled; first reserve"
    → "5건 중 3위; 70.0점; 선정 정원 2건 마감; 예비 1순위"
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple

from .. import rules
from .labels import GATE_FIELD_LABELS, TIE_BREAK_LABELS, decision_label, num, ordinal_en, won

#: a phrase: ``(code, *values)``; a reason: a tuple of phrases
Phrase = tuple
Reason = tuple[Phrase, ...]


class PhraseSpec(NamedTuple):
    params: tuple[str, ...]  # the names of the values, in their order in the phrase tuple
    en: Callable[..., str]
    ko: Callable[..., str]
    heading: bool = False  # ends with a colon and runs into the next phrase (no "; ")
    #: the same on many rows of a track: :func:`to_json` keeps its JSON.  (Equal phrases share it,
    #: and 2 == 2.0, so the engine always gives each number of such a phrase as the same type.)
    repeats: bool = False


def _amount_en(field: str, x: float) -> str:
    return won(x, "en") if GATE_FIELD_LABELS.get(field, ("", "", ""))[2] == "원" else num(x)


def _amount_ko(field: str, x: float) -> str:
    unit = GATE_FIELD_LABELS.get(field, ("", "", ""))[2]
    return won(x, "ko") if unit == "원" else f"{num(x)}{unit}"


def _place_en(rank: int, of: int) -> str:
    return f"rank {rank} of {of}"


def _place_ko(rank: int, of: int) -> str:
    return f"{of}건 중 {rank}위"


def _field(field: str, lang: int) -> str:
    """The name of an application field an automatic gate tests (lang 0 Korean, 1 English)."""
    return GATE_FIELD_LABELS.get(field, (field, field, ""))[lang]


def _not_ranked(lang: str, recused: int, abstained: int, incomplete: int, unfinished: int) -> str:
    if lang == "en":
        parts = [f"{recused} recused" if recused else "", f"{abstained} abstained" if abstained else "",
                 f"{incomplete} incomplete" if incomplete else "", f"{unfinished} not finalised" if unfinished else ""]
        tail = ", ".join(p for p in parts if p)
        return "not ranked: no counted evaluation" + (f" ({tail})" if tail else "")
    parts = [f"회피 {recused}" if recused else "", f"기권 {abstained}" if abstained else "",
             f"미완성 {incomplete}" if incomplete else "", f"미확정 {unfinished}" if unfinished else ""]
    tail = ", ".join(p for p in parts if p)
    return "순위 없음: 반영할 평가 없음" + (f"({tail})" if tail else "")


#: the tie-break rule with its Korean particle (로/으로 depends on the last syllable)
_TIE_BREAK_BY_KO = {
    "field_check": "현장확인 점수로",
    "fewer_flags": "주의 표시가 적은 순으로",
    "earlier_submission": "먼저 접수한 순으로",
    "application_id": "접수번호 순으로",
}

#: every phrase of every reason: code -> its parameters, its English words, its Korean words
PHRASES: dict[str, PhraseSpec] = {
    # the place in the ranked list, and the score as the reason states it (one decimal)
    "rank": PhraseSpec(
        ("rank", "of", "score"),
        lambda rank, of, score: f"{_place_en(rank, of)}; score {score:.1f}",
        lambda rank, of, score: f"{_place_ko(rank, of)}; {score:.1f}점"),
    "rank_below_min": PhraseSpec(
        ("rank", "of", "score", "min"),
        lambda rank, of, score, min: f"{_place_en(rank, of)}; score {score:.1f} below the minimum {num(min)}",
        lambda rank, of, score, min: f"{_place_ko(rank, of)}; {score:.1f}점으로 최저 점수 {num(min)}점 미달"),
    "tie_broken": PhraseSpec(
        ("rule",),
        lambda rule: f"tie on score broken by {TIE_BREAK_LABELS.get(rule, (rule, rule))[1]}",
        lambda rule: f"동점, {_TIE_BREAK_BY_KO.get(rule, rule)} 순위 결정",
        repeats=True),
    # quota, reserves and the budget cap
    "within_quota": PhraseSpec(
        ("quota",),
        lambda quota: f"within the quota of {quota}",
        lambda quota: f"선정 정원 {quota}건 이내",
        repeats=True),
    "quota_filled": PhraseSpec(
        ("quota",),
        lambda quota: f"quota {quota} filled",
        lambda quota: f"선정 정원 {quota}건 마감",
        repeats=True),
    "reserve_place": PhraseSpec(
        ("place",),
        lambda place: f"{ordinal_en(place)} reserve",
        lambda place: f"예비 {place}순위",
        repeats=True),
    "reserves_filled": PhraseSpec(
        ("quota", "reserves"),
        lambda quota, reserves: f"quota {quota} and {reserves} reserve{'s' if reserves != 1 else ''} filled",
        lambda quota, reserves: f"선정 {quota}건·예비 {reserves}건 마감",
        repeats=True),
    "budget_fits": PhraseSpec(
        ("requested", "left"),
        lambda requested, left: f"requested {won(requested, 'en')} fits the budget ({won(left, 'en')} left)",
        lambda requested, left: f"신청금액 {won(requested, 'ko')} 예산 범위 내(잔액 {won(left, 'ko')})"),
    "budget_skipped": PhraseSpec(
        ("requested", "left"),
        lambda requested, left: f"requested {won(requested, 'en')} exceeds the remaining budget {won(left, 'en')}",
        lambda requested, left: f"신청금액 {won(requested, 'ko')}이 남은 예산 {won(left, 'ko')} 초과"),
    "exceeds_budget": PhraseSpec(
        ("requested", "budget"),
        lambda requested, budget: f"requested {won(requested, 'en')} exceeds the whole budget {won(budget, 'en')}",
        lambda requested, budget: f"신청금액 {won(requested, 'ko')}이 전체 예산 {won(budget, 'ko')} 초과"),
    "no_requested_amount": PhraseSpec(
        (),
        lambda: "no requested amount recorded, so the budget cap cannot be checked",
        lambda: "신청금액이 없어 예산 한도를 확인할 수 없음"),
    # not ranked
    "withdrawn": PhraseSpec(
        (),
        lambda: "withdrawn by the applicant; not ranked",
        lambda: "신청 철회; 순위 없음"),
    "not_ranked": PhraseSpec(
        ("recused", "abstained", "incomplete", "unfinished"),
        lambda *counts: _not_ranked("en", *counts),
        lambda *counts: _not_ranked("ko", *counts),
        repeats=True),
    "ineligible": PhraseSpec(
        (),
        lambda: "ineligible:",
        lambda: "부적격:",
        heading=True),
    "gate_not_recorded": PhraseSpec(
        ("gate", "name_ko", "name_en", "field"),
        lambda gate, name_ko, name_en, field: f"{_field(field, 1)} not recorded (gate {gate}: {name_en or name_ko})",
        lambda gate, name_ko, name_en, field: f"{_field(field, 0)} 미기재({name_ko})",
        repeats=True),
    "gate_below_min": PhraseSpec(
        ("gate", "name_ko", "name_en", "field", "value", "min"),
        lambda gate, name_ko, name_en, field, value, min: (
            f"{_field(field, 1)} {_amount_en(field, value)} below the minimum {_amount_en(field, min)} "
            f"(gate {gate}: {name_en or name_ko})"),
        lambda gate, name_ko, name_en, field, value, min: (
            f"{_field(field, 0)} {_amount_ko(field, value)}으로 최소 {_amount_ko(field, min)} 미달({name_ko})"),
        repeats=True),
    "gate_failed": PhraseSpec(
        ("gate", "name_ko", "name_en"),
        lambda gate, name_ko, name_en: f"failed '{name_en or name_ko}' (gate {gate})",
        lambda gate, name_ko, name_en: f"'{name_ko}' 기준 미충족",
        repeats=True),
    # the kind of ranking, and the committee (shown, never stored: the override has its own columns)
    "provisional": PhraseSpec(
        (),
        lambda: "provisional:",
        lambda: "잠정:",
        heading=True),
    "committee_override": PhraseSpec(
        ("decision", "reason"),
        lambda decision, reason: f"committee override: {decision_label(decision, 'en')} — {reason}",
        lambda decision, reason: f"위원회 조정: {decision_label(decision, 'ko')} — {reason}"),
}

# the program file's own rules (docs/rules.md): gate failures with their values, the support amount
PHRASES.update({code: PhraseSpec(params, en, ko, heading=code in rules.HEADINGS)
                for code, (params, en, ko) in rules.WORDS.items()})
# the budget drawing on the computed support amount, not the requested one
PHRASES.update({
    "support_fits": PhraseSpec(
        ("amount", "left"),
        lambda amount, left: f"support {won(amount, 'en')} fits the budget ({won(left, 'en')} left)",
        lambda amount, left: f"지원금 {won(amount, 'ko')} 예산 범위 내(잔액 {won(left, 'ko')})"),
    "support_skipped": PhraseSpec(
        ("amount", "left"),
        lambda amount, left: f"support {won(amount, 'en')} exceeds the remaining budget {won(left, 'en')}",
        lambda amount, left: f"지원금 {won(amount, 'ko')}이 남은 예산 {won(left, 'ko')} 초과"),
    "support_exceeds_budget": PhraseSpec(
        ("amount", "budget"),
        lambda amount, budget: f"support {won(amount, 'en')} exceeds the whole budget {won(budget, 'en')}",
        lambda amount, budget: f"지원금 {won(amount, 'ko')}이 전체 예산 {won(budget, 'ko')} 초과"),
    # the threshold-budget selection (docs/rules.md)
    "at_or_above_min": PhraseSpec(
        ("min",),
        lambda min: f"at or above the minimum {num(min)}",
        lambda min: f"최저 점수 {num(min)}점 이상",
        repeats=True),
    "selection_stopped": PhraseSpec(
        ("rank", "left"),
        lambda rank, left: f"selection stopped at rank {rank}, which the remaining budget {won(left, 'en')} did "
                           f"not cover",
        lambda rank, left: f"{rank}위 신청이 남은 예산 {won(left, 'ko')}을 넘어 선정 종료",
        repeats=True),
})

PROVISIONAL: Phrase = ("provisional",)
INELIGIBLE: Phrase = ("ineligible",)
WITHDRAWN: Reason = (("withdrawn",),)


# --- words ---------------------------------------------------------------------------------------------
def words(reason: Reason) -> tuple[str, str]:
    """The reason in English and in Korean."""
    en: list[str] = []
    ko: list[str] = []
    sep = ""
    for code, *values in reason:
        spec = PHRASES[code]
        en += (sep, spec.en(*values))
        ko += (sep, spec.ko(*values))
        sep = " " if spec.heading else "; "
    return "".join(en), "".join(ko)


# --- the stored form: canonical JSON ----------------------------------------------------------------------
def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _templates() -> dict[str, tuple[str, Callable[[Phrase], tuple] | None, bool]]:
    """Per code: the JSON text of a phrase with ``%s`` for each value (the parameter names sorted,
    as ``sort_keys`` writes them), what takes the values from a phrase in that order, and whether
    the phrase repeats."""
    out = {}
    for code, spec in PHRASES.items():
        names = sorted(spec.params)
        at = [1 + spec.params.index(n) for n in names]
        template = '{"code":' + _canonical(code) + ',"params":{' + ",".join(f"{_canonical(n)}:%s" for n in names)
        out[code] = (template + "}}", itemgetter(*at) if len(at) > 1 else (lambda p, k=at[0]: (p[k],)) if at
                     else None, spec.repeats)
    return out


_TEMPLATES = _templates()


def to_json(reason: Reason) -> str:
    """The canonical JSON of a reason (what ``Decision.computed_reason`` holds): equal reasons give
    equal text, so a stored reason is compared as a string.  The same text as
    ``json.dumps(as_json(reason), ensure_ascii=False, sort_keys=True, separators=(",", ":"))``,
    written without the encoder for the common case of numbers (``str`` of an int or a finite float
    is its JSON)."""
    out = []
    for phrase in reason:
        template, values_of, repeats = _TEMPLATES[phrase[0]]
        # (a phrase that does not repeat, such as each row's place, is not looked up: hashing it
        # would cost as much as writing it)
        text = _kept.get(phrase) if repeats else None
        if text is None:
            if values_of is None:
                text = template
            else:
                values = values_of(phrase)
                for v in values:
                    t = type(v)
                    if t is not int and (t is not float or v - v != 0.0):  # text, None, inf, nan …: the encoder
                        values = tuple(map(_canonical, values))
                        break
                text = template % values
            if repeats:
                if len(_kept) >= 1024:
                    _kept.clear()
                _kept[phrase] = text
        out.append(text)
    return "[" + ",".join(out) + "]"


_kept: dict[Phrase, str] = {}  # the JSON of repeating phrases met lately


def as_json(reason: Reason) -> list[dict[str, Any]]:
    """The reason as JSON values: ``[{"code": …, "params": {name: value}}, …]``."""
    return [{"code": code, "params": dict(zip(PHRASES[code].params, values))} for code, *values in reason]


def from_json(stored: str) -> Reason | None:
    """The reason :func:`to_json` wrote, or None when ``stored`` is not one (an English sentence
    written by an earlier version, or anything else)."""
    if not stored.startswith("["):
        return None
    try:
        items = json.loads(stored)
        reason = []
        for item in items:
            spec = PHRASES[item["code"]]
            params = item["params"]
            if set(params) != set(spec.params):
                return None
            reason.append((item["code"], *(params[n] for n in spec.params)))
        return tuple(reason)
    except (ValueError, KeyError, TypeError):
        return None


def stored_words(stored: str) -> tuple[str, str]:
    """A stored computed reason in English and Korean.  A reason written by an earlier version (its
    English sentence) comes back as it is, with no Korean ("")."""
    reason = from_json(stored)
    if reason is None:
        return stored, ""
    return words(reason)
