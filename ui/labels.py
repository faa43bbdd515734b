"""Names shown for codes: tracks and categories come from the data (Korean/English pairs), states,
decisions and flags from the UI catalogue."""

from __future__ import annotations

from evaluator.domain import CATEGORIES, CONFLICT_TYPES
from evaluator.ranking import labels as ranking_labels

from .i18n import language, tr


def track_label(ctx, code: str) -> str:
    program = getattr(ctx, "program", None)
    if program is not None:
        for t in program.tracks:
            if t.code == code:
                return t.name(language())
    return code


def category_label(ctx, code: str) -> str:
    """The program's own name for its category ``code`` (its program file's), else the built-in one."""
    program = getattr(ctx, "program", None)
    for c in (program.categories if program is not None else ()):
        if c.code == code:
            return c.name(language())
    pair = CATEGORIES.get(code)
    if pair is None:
        return code
    return pair[1] if language() == "en" else pair[0]


def category_choices(ctx) -> list[tuple[str, str]]:
    """(code, name) of the program's categories (the built-in list when no program is shown)."""
    program = getattr(ctx, "program", None)
    if program is not None and program.categories:
        return [(c.code, c.name(language())) for c in program.categories]
    return [(code, category_label(ctx, code)) for code in CATEGORIES]


def status_labels() -> dict[str, str]:
    return {
        "received": tr("Received"),
        "eligible": tr("Eligible"),
        "ineligible": tr("Ineligible"),
        "selected": tr("Selected"),
        "reserve": tr("Reserve"),
        "not_selected": tr("Not selected"),
        "withdrawn": tr("Withdrawn"),
    }


def status_label(code: str) -> str:
    return status_labels().get(code, code)


def decision_labels() -> dict[str, str]:
    return {
        "selected": tr("Selected"),
        "reserve": tr("Reserve"),
        "not_selected": tr("Not selected"),
        "ineligible": tr("Ineligible"),
    }


def decision_label(code: str | None) -> str:
    return "" if code is None else decision_labels().get(code, code)


def visit_state_label(state: str | None, abstained: bool = False) -> str:
    if abstained:
        return tr("Abstained")
    return {None: tr("Not visited"), "draft": tr("In progress"), "finalised": tr("Finalised")}.get(state, state or "")


def evaluation_state_label(state: str) -> str:
    return {
        "draft": tr("Draft"), "finalised": tr("Finalised"), "recused": tr("Recused"), "abstained": tr("Abstained"),
        "incomplete": tr("Incomplete"), "not_started": tr("Not started"),
    }.get(state, state)


def conflict_labels() -> dict[str, str]:
    names = {
        "personal": tr("Personal"), "professional": tr("Professional"), "financial": tr("Financial"),
        "institutional": tr("Institutional"), "other": tr("Other"),
    }
    return {c: names.get(c, c) for c in CONFLICT_TYPES}


def flag_labels() -> dict[str, str]:
    return {
        "disagreement": tr("Disagreement"),
        "incomplete": tr("Incomplete evaluation"),
        "no_evaluations": tr("No evaluations"),
        "cut_line": tr("Near the cut line"),
        "normalized_fallback": tr("Raw score used"),
        "provisional": tr("Provisional"),
        "overridden": tr("Overridden"),
        "tie": tr("Tie"),
        "recusal": tr("Recusal"),
        "abstention": tr("Abstention"),
    }


def flag_label(code: str) -> str:
    return flag_labels().get(code, code)


def method_labels() -> dict[str, str]:
    return {
        "mean": tr("Mean"),
        "median": tr("Median"),
        "trimmed": tr("Trimmed mean (drop highest and lowest)"),
        "normalized": tr("Normalised (per-evaluator z-score)"),
    }


def method_label(code: str | None) -> str:
    return "" if code is None else method_labels().get(code, code)


def reliability_label(method: str) -> str:
    """The name of the ranking's inter-rater reliability figure in the UI's language."""
    return ranking_labels.reliability_label(method, language())
