"""The ranking's words, in English and Korean: decision names, reasons and track notes.

Every reason is one line a committee member can read aloud.  Builders return ``(en, ko)``.
"""

from __future__ import annotations

from collections.abc import Sequence

#: decision -> (Korean, English)
DECISION_LABELS: dict[str, tuple[str, str]] = {
    "selected": ("선정", "selected"),
    "reserve": ("예비", "reserve"),
    "not_selected": ("미선정", "not selected"),
    "ineligible": ("부적격", "ineligible"),
}

#: aggregation method -> (Korean, English)
METHOD_LABELS: dict[str, tuple[str, str]] = {
    "mean": ("평균", "mean"),
    "median": ("중앙값", "median"),
    "trimmed": ("절사평균", "trimmed mean"),
    "normalized": ("표준화 평균", "normalised mean"),
}

#: tie-break rule -> (Korean, English)
TIE_BREAK_LABELS: dict[str, tuple[str, str]] = {
    "field_check": ("현장확인 점수", "the field check"),
    "fewer_flags": ("주의 표시가 적은 순", "fewer flags"),
    "earlier_submission": ("먼저 접수한 순", "earlier submission"),
    "application_id": ("접수번호 순", "application ID"),
}

#: application fields an automatic gate may test -> (Korean, English, Korean unit)
GATE_FIELD_LABELS: dict[str, tuple[str, str, str]] = {
    "members": ("참여인원", "members", "명"),
    "requested_amount": ("신청금액", "requested amount", "원"),
    "self_contribution": ("자부담", "self-contribution", "원"),
}

#: conflict-of-interest type -> (Korean, English)
CONFLICT_LABELS: dict[str, tuple[str, str]] = {
    "personal": ("개인적 관계", "personal"),
    "professional": ("업무상 관계", "professional"),
    "financial": ("재정적 이해관계", "financial"),
    "institutional": ("기관 관계", "institutional"),
    "other": ("기타", "other"),
}

#: the inter-rater reliability figure the engine reports (``TrackRanking.reliability_method``)
RELIABILITY_ALPHA = "Krippendorff's alpha (interval)"
#: reliability method -> (Korean, English)
RELIABILITY_LABELS: dict[str, tuple[str, str]] = {
    RELIABILITY_ALPHA: ("크리펜도르프 알파(등간)", "Krippendorff's alpha (interval)"),
}

_ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def decision_label(decision: str, lang: str = "ko") -> str:
    ko, en = DECISION_LABELS.get(decision, (decision, decision))
    return en if lang == "en" else ko


def reliability_label(method: str, lang: str = "ko") -> str:
    """The name of a reliability figure (``TrackRanking.reliability_method``) in ``lang``."""
    ko, en = RELIABILITY_LABELS.get(method, (method, method))
    return en if lang == "en" else ko


def ordinal_en(n: int) -> str:
    return _ORDINALS_EN[n - 1] if 1 <= n <= len(_ORDINALS_EN) else f"{n}th"


def won(amount: int | float | None, lang: str) -> str:
    if amount is None:
        return "—"
    return f"{int(amount):,}원" if lang == "ko" else f"{int(amount):,} won"


def pts(x: float) -> str:
    return f"{x:.1f}"


def num(x: float) -> str:
    return f"{x:g}"


# --- reasons ---------------------------------------------------------------------------------------
def rank_head(rank: int, of: int, score: float) -> tuple[str, str]:
    return f"rank {rank} of {of}; score {pts(score)}", f"{of}건 중 {rank}위; {pts(score)}점"


def selected_within_quota(quota: int) -> tuple[str, str]:
    return f"within the quota of {quota}", f"선정 정원 {quota}건 이내"


def budget_fits(requested: int, left_after: int) -> tuple[str, str]:
    return (f"requested {won(requested, 'en')} fits the budget ({won(left_after, 'en')} left)",
            f"신청금액 {won(requested, 'ko')} 예산 범위 내(잔액 {won(left_after, 'ko')})")


def budget_skipped(requested: int | None, left: int) -> tuple[str, str]:
    if requested is None:
        return ("no requested amount recorded, so the budget cap cannot be checked",
                "신청금액이 없어 예산 한도를 확인할 수 없음")
    return (f"requested {won(requested, 'en')} exceeds the remaining budget {won(left, 'en')}",
            f"신청금액 {won(requested, 'ko')}이 남은 예산 {won(left, 'ko')} 초과")


def exceeds_budget(requested: int | None, budget: int) -> tuple[str, str]:
    if requested is None:
        return budget_skipped(None, budget)
    return (f"requested {won(requested, 'en')} exceeds the whole budget {won(budget, 'en')}",
            f"신청금액 {won(requested, 'ko')}이 전체 예산 {won(budget, 'ko')} 초과")


def quota_filled(quota: int) -> tuple[str, str]:
    return f"quota {quota} filled", f"선정 정원 {quota}건 마감"


def reserve_place(n: int) -> tuple[str, str]:
    return f"{ordinal_en(n)} reserve", f"예비 {n}순위"


def beyond_reserves(quota: int, reserves: int) -> tuple[str, str]:
    return (f"quota {quota} and {reserves} reserve{'s' if reserves != 1 else ''} filled",
            f"선정 {quota}건·예비 {reserves}건 마감")


def below_minimum(score: float, minimum: float) -> tuple[str, str]:
    return (f"score {pts(score)} below the minimum {num(minimum)}",
            f"{pts(score)}점으로 최저 점수 {num(minimum)}점 미달")


def rank_only(rank: int, of: int) -> tuple[str, str]:
    return f"rank {rank} of {of}", f"{of}건 중 {rank}위"


def gate_failed_auto(code: str, name_ko: str, name_en: str, field: str, value: float | None,
                     minimum: float) -> tuple[str, str]:
    f_ko, f_en, unit = GATE_FIELD_LABELS.get(field, (field, field, ""))
    name = name_en or name_ko
    if value is None:
        return (f"{f_en} not recorded (gate {code}: {name})", f"{f_ko} 미기재({name_ko})")
    v = won(value, "en") if unit == "원" else num(value)
    m = won(minimum, "en") if unit == "원" else num(minimum)
    vk = won(value, "ko") if unit == "원" else f"{num(value)}{unit}"
    mk = won(minimum, "ko") if unit == "원" else f"{num(minimum)}{unit}"
    return (f"{f_en} {v} below the minimum {m} (gate {code}: {name})",
            f"{f_ko} {vk}으로 최소 {mk} 미달({name_ko})")


def gate_failed_manual(code: str, name_ko: str, name_en: str) -> tuple[str, str]:
    return (f"failed '{name_en or name_ko}' (gate {code})", f"'{name_ko}' 기준 미충족")


def ineligible(parts: Sequence[tuple[str, str]]) -> tuple[str, str]:
    return ("ineligible: " + "; ".join(p[0] for p in parts), "부적격: " + "; ".join(p[1] for p in parts))


def withdrawn() -> tuple[str, str]:
    return "withdrawn by the applicant; not ranked", "신청 철회; 순위 없음"


def not_ranked(recused: int, abstained: int, incomplete: int, unfinished: int) -> tuple[str, str]:
    en, ko = [], []
    if recused:
        en.append(f"{recused} recused")
        ko.append(f"회피 {recused}")
    if abstained:
        en.append(f"{abstained} abstained")
        ko.append(f"기권 {abstained}")
    if incomplete:
        en.append(f"{incomplete} incomplete")
        ko.append(f"미완성 {incomplete}")
    if unfinished:
        en.append(f"{unfinished} not finalised")
        ko.append(f"미확정 {unfinished}")
    tail_en = f" ({', '.join(en)})" if en else ""
    tail_ko = f"({', '.join(ko)})" if ko else ""
    return f"not ranked: no counted evaluation{tail_en}", f"순위 없음: 반영할 평가 없음{tail_ko}"


#: the Korean phrase with its particle (로/으로 depends on the last syllable)
_TIE_BREAK_BY_KO = {
    "field_check": "현장확인 점수로",
    "fewer_flags": "주의 표시가 적은 순으로",
    "earlier_submission": "먼저 접수한 순으로",
    "application_id": "접수번호 순으로",
}


def tie_broken(rule: str) -> tuple[str, str]:
    en = TIE_BREAK_LABELS.get(rule, (rule, rule))[1]
    return f"tie on score broken by {en}", f"동점, {_TIE_BREAK_BY_KO.get(rule, rule)} 순위 결정"


def provisional(reason: tuple[str, str]) -> tuple[str, str]:
    return f"provisional: {reason[0]}", f"잠정: {reason[1]}"


def overridden(decision: str, reason: str) -> tuple[str, str]:
    return (f"committee override: {decision_label(decision, 'en')} — {reason}",
            f"위원회 조정: {decision_label(decision, 'ko')} — {reason}")


def join(*parts: tuple[str, str]) -> tuple[str, str]:
    return "; ".join(p[0] for p in parts if p[0]), "; ".join(p[1] for p in parts if p[1])


# --- why an evaluation is not counted (EvaluatorScore.note / note_ko) ------------------------------
def note_conflict(conflict: str, note: str) -> tuple[str, str]:
    ko, en = CONFLICT_LABELS.get(conflict, (conflict, conflict))
    return (f"conflict of interest ({en})" + (f": {note}" if note else ""),
            f"이해충돌({ko})" + (f": {note}" if note else ""))


def note_abstained(reason: str) -> tuple[str, str]:
    return "abstained" + (f": {reason}" if reason else ""), "기권" + (f": {reason}" if reason else "")


def note_not_finalised() -> tuple[str, str]:
    return "not finalised", "미확정"


def note_missing(codes: Sequence[str]) -> tuple[str, str]:
    return ("required criteria not scored: " + ", ".join(codes), "필수 항목 미채점: " + ", ".join(codes))


# --- track notes -----------------------------------------------------------------------------------
def note_method(method: str, trim_min: int) -> tuple[str, str]:
    if method == "median":
        return ("Score: the median of the counted evaluation totals.", "점수: 반영된 평가 총점의 중앙값.")
    if method == "trimmed":
        return (f"Score: the mean of the counted evaluation totals; with {trim_min} or more, the highest and "
                "the lowest total are dropped first.",
                f"점수: 반영된 평가 총점의 평균; {trim_min}명 이상이 평가한 경우 최고점과 최저점을 하나씩 제외.")
    if method == "normalized":
        return ("Score: each evaluator's totals turned into z-scores over that evaluator's own applications in "
                "the track, rescaled to the track's raw mean and spread, then averaged (raw totals are used for an "
                "evaluator with fewer than 3 applications).",
                "점수: 평가위원별로 해당 유형의 평가 총점을 표준점수(z)로 바꾸어 원점수의 평균·표준편차로 환산한 뒤 "
                "평균(평가 건수 3건 미만인 위원은 원점수 사용).")
    return ("Score: the mean of the counted evaluation totals.", "점수: 반영된 평가 총점의 평균.")


def note_minimum(min_score: float) -> tuple[str, str]:
    return (f"Selection needs at least {num(min_score)} points.", f"선정 최저 점수 {num(min_score)}점.")


def note_tie_breaks(rules: Sequence[str]) -> tuple[str, str]:
    full = list(rules) + ["application_id"]
    en = ", then ".join(TIE_BREAK_LABELS.get(r, (r, r))[1] for r in full)
    ko = ", ".join(TIE_BREAK_LABELS.get(r, (r, r))[0] for r in full)
    return f"Ties on score are broken by {en}.", f"동점일 때 순서: {ko}."


def note_budget(budget: int, used: int) -> tuple[str, str]:
    return (f"Budget cap {won(budget, 'en')}: going down the ranked list, an application is selected while its "
            f"requested amount fits in what is left of the budget; one that does not fit is skipped (its reason "
            f"says so) and the next is considered, until the quota is filled. Used {won(used, 'en')}.",
            f"예산 한도 {won(budget, 'ko')}: 순위대로 신청금액이 남은 예산 안에 들면 선정하고, 넘으면 사유를 적고 건너뛰어 "
            f"다음 순위를 검토하며, 선정 정원이 찰 때까지 반복. 사용 {won(used, 'ko')}.")


def note_unchecked_gates(n: int) -> tuple[str, str]:
    return (f"{n} manual eligibility check{'s' if n != 1 else ''} not recorded yet {'are' if n != 1 else 'is'} "
            "presumed passed.", f"기록되지 않은 자격 확인 {n}건은 충족으로 간주.")


def note_provisional() -> tuple[str, str]:
    return ("PROVISIONAL: evaluations that are not finalised are counted.",
            "잠정 순위: 확정되지 않은 평가도 반영함.")


def note_overrides(selected: int, quota: int) -> tuple[str, str]:
    return (f"Committee overrides put {selected} applications in the selected list (quota {quota}).",
            f"위원회 조정으로 선정 {selected}건(정원 {quota}건).")


def note_stability(perturbations: int, evaluators: int, criteria: int) -> tuple[str, str]:
    return (f"Stability: share of {perturbations} perturbed rankings in which an application is selected "
            f"(each of {evaluators} evaluators left out in turn; each of {criteria} criterion weights ±10 %); "
            "a decision that flips is on the cut line.",
            f"안정성: 변형 순위 {perturbations}개(평가위원 {evaluators}명을 한 명씩 제외, 평가항목 {criteria}개의 "
            "가중치 ±10 %) 중 선정된 비율; 결정이 바뀌면 경계선(컷라인) 표시.")


def note_reliability(alpha: float | None) -> tuple[str, str]:
    if alpha is None:
        return ("Inter-rater reliability (Krippendorff's alpha, interval): not enough data.",
                "평가자 간 신뢰도(크리펜도르프 알파, 등간): 자료 부족.")
    return (f"Inter-rater reliability: Krippendorff's alpha (interval) = {alpha:.2f} over the counted totals.",
            f"평가자 간 신뢰도: 크리펜도르프 알파(등간) = {alpha:.2f}.")
