"""The ranking's words, in English and Korean: the names of decisions, rules and gates, why an
evaluation is not counted, and the track's notes.  Builders return ``(en, ko)``.

The reasons of the decisions have their own builder, :mod:`.reasons` (they are stored structured).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..messages import plural

#: decision -> (Korean, English)
DECISION_LABELS: dict[str, tuple[str, str]] = {
    "selected": ("선정", "selected"),
    "reserve": ("예비", "reserve"),
    "not_selected": ("미선정", "not selected"),
    "ineligible": ("부적격", "ineligible"),
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


def num(x: float) -> str:
    return f"{x:g}"


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


def note_budget(budget: int, used: int, support: bool = False) -> tuple[str, str]:
    if support:  # the program's computed support amounts (docs/rules.md)
        return (f"Budget cap {won(budget, 'en')}: going down the ranked list, an application is selected while its "
                f"computed support amount (the program's rate table and cap) fits in what is left of the budget; one "
                f"that does not fit is skipped (its reason says so) and the next is considered, until the quota is "
                f"filled. Used {won(used, 'en')}.",
                f"예산 한도 {won(budget, 'ko')}: 순위대로 산정 지원금(사업의 지원 비율표와 한도 적용)이 남은 예산 안에 들면 "
                f"선정하고, 넘으면 사유를 적고 건너뛰어 다음 순위를 검토하며, 선정 정원이 찰 때까지 반복. "
                f"사용 {won(used, 'ko')}.")
    return (f"Budget cap {won(budget, 'en')}: going down the ranked list, an application is selected while its "
            f"requested amount fits in what is left of the budget; one that does not fit is skipped (its reason "
            f"says so) and the next is considered, until the quota is filled. Used {won(used, 'en')}.",
            f"예산 한도 {won(budget, 'ko')}: 순위대로 신청금액이 남은 예산 안에 들면 선정하고, 넘으면 사유를 적고 건너뛰어 "
            f"다음 순위를 검토하며, 선정 정원이 찰 때까지 반복. 사용 {won(used, 'ko')}.")


def note_unchecked_gates(n: int) -> tuple[str, str]:
    return (f"{n} manual eligibility {plural(n, 'check', 'checks')} not recorded yet {plural(n, 'is', 'are')} "
            "presumed passed.", f"기록되지 않은 자격 확인 {n}건은 충족으로 간주.")


def note_provisional() -> tuple[str, str]:
    return ("PROVISIONAL: evaluations that are not finalised are counted.",
            "잠정 순위: 확정되지 않은 평가도 반영함.")


def note_threshold(min_score: float, budget: int | None, used: int, fill: bool, support: bool) -> tuple[str, str]:
    """The threshold-budget selection in words (docs/rules.md)."""
    amount_en, amount_ko = ("computed support amount", "산정 지원금") if support else ("requested amount", "신청금액")
    if budget is None:
        return (f"Threshold selection: every eligible application scoring at least {num(min_score)} is selected "
                f"(no budget given). Used {won(used, 'en')}.",
                f"기준 점수 선정: 최저 점수 {num(min_score)}점 이상인 적격 신청은 모두 선정(예산 미지정). "
                f"사용 {won(used, 'ko')}.")
    then_en = ("one that does not fit is skipped (its reason says so) and smaller ones below it may still fit"
               if fill else "selection stops at the first one that does not fit (its reason says so)")
    then_ko = ("넘으면 사유를 적고 건너뛰며 그 아래의 더 작은 금액은 계속 검토" if fill
               else "처음으로 넘는 신청에서 사유를 적고 선정 종료")
    return (f"Threshold selection with budget {won(budget, 'en')}: going down the ranked list, every eligible "
            f"application scoring at least {num(min_score)} is selected while its {amount_en} fits in what is left "
            f"of the budget (no quota, no reserves); {then_en}. Used {won(used, 'en')}.",
            f"기준 점수·예산 선정(예산 {won(budget, 'ko')}): 순위대로 최저 점수 {num(min_score)}점 이상인 적격 신청을 "
            f"{amount_ko}이 남은 예산 안에 드는 동안 모두 선정(정원·예비 없음); {then_ko}. 사용 {won(used, 'ko')}.")


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
