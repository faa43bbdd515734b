"""Eligibility gates and support amounts as data: the ``[[gates]]`` and ``[support]`` of a program file.

A program file states, without code, which applications are eligible and how much each may be
given (``docs/rules.md``):

* **gates** test an application's fields — built-in ones (``members``, ``requested_amount``,
  ``submitted_on`` …) or the program's typed intake fields: ``min``, ``max``, ``range``,
  ``one_of``, ``present``, ``true``, ``age`` (whole years from a date field to a reference date:
  the submission date, another date field or a fixed date), ``ratio`` (one field over another,
  with a bound) and ``all``/``any`` of other gates.  A gate named by an ``all``/``any`` gate is
  tested only as part of it.
* **support** computes the amount: a rate table keyed by a field (bands of whole numbers, no gap,
  no overlap), applied to a cost field, rounded in won, capped by the cap in force on the
  submission date (or the round's own cap), never above the requested amount; the budget may draw
  on it instead of the requested amount.

Loading checks everything and reports each problem through the program file's validator (with the
file and the key).  Evaluating is pure: an application's values in, the failed gates with their
phrases (:mod:`evaluator.ranking.reasons` renders them in Korean and English, with the values) or
the computed amount with how it was computed out.  Nothing here is evaluated as code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from .messages import Localised, Message, localised, msg, plural

#: the tests a gate may make
TESTS = ("min", "max", "range", "one_of", "present", "true", "age", "ratio", "all", "any")
NUMERIC = ("integer", "money", "decimal", "year")
ROUNDING = ("down", "nearest", "up")
#: how a track selects (``selection`` on ``[[tracks]]``): by rank within the quota (with reserves), or
#: every application at or above the minimum score while the round's budget covers its amount
SELECTIONS = ("quota", "threshold-budget")
#: the built-in application fields a rule may name: key -> (Korean label, English label, type)
BUILT_IN: dict[str, tuple[str, str, str]] = {
    "members": ("참여인원", "members", "integer"),
    "requested_amount": ("신청금액", "requested amount", "money"),
    "self_contribution": ("자부담", "self-contribution", "money"),
    "submitted_on": ("접수일", "submission date", "date"),
    "title": ("사업명", "title", "text"),
    "group_name": ("단체명", "group", "text"),
    "district": ("자치구", "district", "text"),
    "neighbourhood": ("동", "neighbourhood", "text"),
    "category": ("분야", "category", "text"),
    "summary": ("사업 요약", "summary", "text"),
}
_GATE_KEYS = {"code", "name_ko", "name_en", "test", "field", "over", "min", "max", "values", "reference", "gates",
              "tracks"}
_SUPPORT_KEYS = {"tracks", "cost", "rate_by", "rates", "caps", "round_to", "rounding", "at_most_requested", "budget"}
_BAND_KEYS = {"from", "to", "rate"}
_CAP_KEYS = {"from", "round", "cap"}

#: ``bad(shown_key, key_path, message, code=None, **params)``: how the program file's validator takes a
#: problem (``message`` a :func:`~evaluator.messages.msg`; ``code`` when the problem's differs from it)
Bad = Callable[..., None]
Phrase = tuple


@dataclass(frozen=True)
class Gate:
    code: str
    name_ko: str
    name_en: str
    test: str
    field: str = ""
    over: str = ""  # ratio: the denominator's field
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    reference: str = "submitted_on"  # age: a date field's key, or a fixed date (ISO)
    gates: tuple[str, ...] = ()  # all / any
    tracks: tuple[str, ...] = ()  # empty: every track


@dataclass(frozen=True)
class RateBand:
    low: int
    high: int
    rate: Fraction


@dataclass(frozen=True)
class Cap:
    amount: int
    from_day: date | None = None  # in force from this submission date (None: from the start)
    round: str = ""  # a round's own cap ("" : by date)


@dataclass(frozen=True)
class Support:
    cost: str
    rate_by: str
    bands: tuple[RateBand, ...]
    caps: tuple[Cap, ...]
    round_to: int = 1
    rounding: str = "down"
    at_most_requested: bool = True
    #: what the round's budget draws on: "support" (the computed amount) or "requested"
    budget: str = "support"
    tracks: tuple[str, ...] = ()

    def cap_for(self, submitted: date | None, round_code: str) -> Cap | None:
        """The cap in force: the round's own, else the latest dated one on or before ``submitted``."""
        for c in self.caps:
            if c.round and c.round == round_code:
                return c
        dated = [c for c in self.caps if not c.round]
        best = None
        for c in dated:
            if c.from_day is None or (submitted is not None and c.from_day <= submitted):
                if best is None or (c.from_day or date.min) >= (best.from_day or date.min):
                    best = c
        return best


@dataclass(frozen=True)
class SupportAmount:
    """One application's computed support amount and how it was computed (plain values)."""

    awarded: int
    requested: int | None
    cost: int
    rate_percent: float  # e.g. 70.0
    basis_value: float  # the rate table's key value (e.g. the project period in years)
    band: str  # the band applied, e.g. "8–9"
    computed: int  # cost × rate, rounded
    cap: int | None
    cap_from: str = ""  # the date the cap is in force from ("" : from the start, or a round's cap)
    cap_round: str = ""
    limited_by: str = "rate"  # rate | cap | requested
    basis_ko: str = ""  # the rate table's field, in Korean and English
    basis_en: str = ""
    cost_ko: str = ""
    cost_en: str = ""

    def phrase(self) -> Phrase:
        """The reason's phrase that states the amount and how it was computed."""
        return ("support_amount", self.awarded, self.cost, self.cost_ko, self.cost_en, self.rate_percent,
                self.basis_ko, self.basis_en, self.basis_value, self.computed, self.cap if self.cap is not None else -1,
                self.cap_from, self.limited_by)


@dataclass(frozen=True)
class Eligibility:
    """One application against its program's gates and support rule, before any score (``evaluator
    eligibility``): whether it passes, why not (in English and Korean), and its computed amount."""

    application_id: str
    track: str
    round: str
    eligible: bool
    failed_gates: tuple[str, ...] = ()
    reason: str = ""
    reason_ko: str = ""
    requested_amount: int | None = None
    support: SupportAmount | None = None


@dataclass(frozen=True)
class Selection:
    """A track's selection model (``selection`` and ``fill`` on its ``[[tracks]]`` table)."""

    track: str
    model: str = "quota"  # one of SELECTIONS
    #: threshold-budget: after an application the budget does not cover, smaller ones below it may
    #: still be selected (without it, selection stops there)
    fill: bool = False


QUOTA = Selection("")


@dataclass(frozen=True)
class RuleSet:
    gates: tuple[Gate, ...] = ()
    support: Support | None = None
    #: every field a rule may name: key -> (Korean label, English label, type)
    labels: Mapping[str, tuple[str, str, str]] = None  # type: ignore[assignment]
    #: the tracks whose selection model is not the default (quota)
    selections: tuple[Selection, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.gates) or self.support is not None or bool(self.selections)

    def selection(self, track: str) -> Selection:
        """``track``'s selection model (the quota model unless its ``[[tracks]]`` table says otherwise)."""
        return next((x for x in self.selections if x.track == track), QUOTA)

    def check(self, values: Mapping[str, Any], track: str, round_code: str = "") -> tuple[tuple[str, ...], tuple]:
        """The gates an application fails on ``track`` and why: (gate codes, phrases).  A field a rule
        needs and the application lacks fails it (never passes silently)."""
        by_code = {g.code: g for g in self.gates}
        inner = {c for g in self.gates for c in g.gates}
        failed: list[str] = []
        why: list[Phrase] = []
        tested: set[str] = set()  # the fields of the failed gates
        for g in self.gates:
            if g.code in inner or (g.tracks and track not in g.tracks):
                continue
            phrases = _test(g, values, by_code, self.labels)
            if phrases:
                failed.append(g.code)
                why.extend(phrases)
                tested.update((g.field, g.over))
        sup = self.support
        if sup is not None and (not sup.tracks or track in sup.tracks):
            amount, missing = self.amount(values, track, round_code)
            if amount is None and not tested & {sup.cost, sup.rate_by}:  # (else a failed gate said it already)
                failed.append("support")
                why.extend(missing)
        return tuple(failed), tuple(why)

    def amount(self, values: Mapping[str, Any], track: str, round_code: str = "") -> tuple[SupportAmount | None,
                                                                                           tuple]:
        """The computed support amount, or None and why it cannot be computed."""
        sup = self.support
        if sup is None or (sup.tracks and track not in sup.tracks):
            return None, ()
        lab = self.labels
        cost, key = _number(values, sup.cost), _number(values, sup.rate_by)
        missing = tuple(_missing("support", f, lab) for f, v in ((sup.cost, cost), (sup.rate_by, key)) if v is None)
        if missing:
            return None, missing
        band = next((b for b in sup.bands if b.low <= key <= b.high), None)  # type: ignore[operator]
        if band is None:
            ko, en, kind = lab[sup.rate_by]
            return None, (("rule_no_band", "support", ko, en, kind, float(key), float(sup.bands[0].low),  # type: ignore[arg-type]
                           float(sup.bands[-1].high)),)
        raw = Fraction(int(cost)) * band.rate  # type: ignore[arg-type]
        computed = _round(raw, sup.round_to, sup.rounding)
        submitted = values.get("submitted_on")
        cap = sup.cap_for(submitted if isinstance(submitted, date) else None, round_code)
        requested = values.get("requested_amount")
        awarded, limited = computed, "rate"
        if cap is not None and cap.amount < awarded:
            awarded, limited = cap.amount, "cap"
        if sup.at_most_requested and isinstance(requested, int) and requested < awarded:
            awarded, limited = requested, "requested"
        ko, en, _kind = lab[sup.rate_by]
        cko, cen, _ = lab[sup.cost]
        return SupportAmount(
            awarded=int(awarded), requested=requested if isinstance(requested, int) else None, cost=int(cost),  # type: ignore[arg-type]
            rate_percent=float(band.rate * 100), basis_value=float(key),  # type: ignore[arg-type]
            band=f"{band.low}–{band.high}" if band.low != band.high else str(band.low), computed=computed,
            cap=cap.amount if cap is not None else None,
            cap_from=cap.from_day.isoformat() if cap is not None and cap.from_day else "",
            cap_round=cap.round if cap is not None else "", limited_by=limited, basis_ko=ko, basis_en=en,
            cost_ko=cko, cost_en=cen), ()

    def draws_support(self, track: str) -> bool:
        """Whether ``track``'s budget draws on the computed amount (not the requested one)."""
        s = self.support
        return s is not None and s.budget == "support" and (not s.tracks or track in s.tracks)

    def describe(self) -> list[Message]:
        """The rules in words, one message each (what ``evaluator program check`` prints and the
        Program screen shows).  English names the program file's keys; Korean its labels, with the key."""
        return [*(self._gate_words(g) for g in self.gates),
                *([self._support_words(self.support)] if self.support is not None else []),
                *(self._selection_words(x) for x in self.selections)]

    def _field(self, key: str) -> Localised:
        label = (self.labels or {}).get(key)
        return localised(f"{label[0]}({key})" if label and label[0] and label[0] != key else key, key)

    def _gate_words(self, g: Gate) -> Message:
        if g.test in ("all", "any"):
            gates = ", ".join(g.gates)
            what = (msg("rules.gate_all", "all of {gates}", gates=gates) if g.test == "all" else
                    msg("rules.gate_any", "any of {gates}", gates=gates))
        elif g.test == "age":
            lo, hi = _f(g.min), _f(g.max)
            bounds = localised("만 " + _need("integer", lo, hi, "ko", unit_ko="년").removesuffix(" 필요"),
                               _need("integer", lo, hi, "en", unit_en=" whole years").removesuffix(" required"))
            ref = g.reference
            reference = ref if _is_day(ref) else self._field(ref)
            what = msg("rules.gate_age", "{field}: {bounds} old at {reference}", field=self._field(g.field),
                       bounds=bounds, reference=reference)
        elif g.test == "ratio":
            what = msg("rules.gate_ratio", "{field} ÷ {over}: {bounds}", field=self._field(g.field),
                       over=self._field(g.over), bounds=_bounds(g))
        elif g.test in ("min", "max", "range"):
            what = msg("rules.gate_bounds", "{field}: {bounds}", field=self._field(g.field), bounds=_bounds(g))
        elif g.test == "one_of":
            what = msg("rules.gate_one_of", "{field} one of {values}", field=self._field(g.field),
                       values=", ".join(g.values))
        elif g.test == "present":
            what = msg("rules.gate_present", "{field} recorded", field=self._field(g.field))
        else:
            what = msg("rules.gate_true", "{field} yes", field=self._field(g.field))
        name = localised(g.name_ko, g.name_ko)  # a gate's name is written once, as the call states it
        if g.tracks:
            return msg("rules.gate_tracks", "gate {code} ({name}): {what} [tracks {tracks}]", code=g.code, name=name,
                       what=what, tracks=", ".join(g.tracks))
        return msg("rules.gate", "gate {code} ({name}): {what}", code=g.code, name=name, what=what)

    def _support_words(self, s: Support) -> Message:
        bands = ", ".join(f"{b.low}{f'–{b.high}' if b.high != b.low else ''}: {float(b.rate * 100):g} %"
                          for b in s.bands)
        rounding = {"down": msg("rules.rounding_down", "down"), "up": msg("rules.rounding_up", "up"),
                    "nearest": msg("rules.rounding_nearest", "nearest")}[s.rounding]

        def cap(c: Cap) -> Message:
            if c.round:
                return msg("rules.cap_round", "{amount:,} won in round {round}", amount=c.amount, round=c.round)
            if c.from_day:
                return msg("rules.cap_from", "{amount:,} won from {day}", amount=c.amount, day=c.from_day.isoformat())
            return msg("rules.cap", "{amount:,} won", amount=c.amount)

        caps = [cap(c) for c in s.caps]  # joined in each language
        return msg("rules.support", "support: {cost} × the rate by {rate_by} ({bands}), rounded {rounding} to "
                   "{unit:,} won{caps}{requested}{budget}{tracks}", cost=self._field(s.cost),
                   rate_by=self._field(s.rate_by), bands=bands, rounding=rounding, unit=s.round_to,
                   caps=msg("rules.support_caps", ", capped at {caps}", caps=localised("; ".join(c.render("ko") for c in caps),
                                                                      "; ".join(c.render("en") for c in caps)))
                   if s.caps else "",
                   requested=msg("rules.support_requested", ", at most the requested amount")
                   if s.at_most_requested else "",
                   budget=msg("rules.budget_support", "; the budget draws on it") if s.budget == "support" else
                   msg("rules.budget_requested", "; the budget draws on the requested amount"),
                   tracks=msg("rules.support_tracks", " [tracks {tracks}]", tracks=", ".join(s.tracks))
                   if s.tracks else "")

    @staticmethod
    def _selection_words(x: Selection) -> Message:
        if x.fill:
            return msg("rules.selection_fill", "track {track}: selection threshold-budget (every application at or "
                       "above the minimum score while the budget covers its amount; smaller ones below one that "
                       "does not fit may still fit)", track=x.track)
        return msg("rules.selection_stop", "track {track}: selection threshold-budget (every application at or "
                   "above the minimum score while the budget covers its amount; stops at the first that does not "
                   "fit)", track=x.track)

    def fields_needed(self) -> set[str]:
        out = {"submitted_on", "requested_amount"}
        for g in self.gates:
            out.update(x for x in (g.field, g.over) if x)
            if g.test == "age" and g.reference in self.labels:
                out.add(g.reference)
        if self.support is not None:
            out.update((self.support.cost, self.support.rate_by))
        return out


EMPTY = RuleSet(labels={})


# --- evaluating ---------------------------------------------------------------------------------------
def _round(x: Fraction, unit: int, how: str) -> int:
    q = x / unit
    if how == "down":
        n = math.floor(q)
    elif how == "up":
        n = math.ceil(q)
    else:  # nearest, halves up
        n = math.floor(q + Fraction(1, 2))
    return int(n * unit)


def compute_amount(cost: int, rate: Fraction, cap: int | None, requested: int | None, *, round_to: int = 1,
                   rounding: str = "down") -> int:
    """``min(round(cost × rate), cap, requested)``: the amount formula alone (what :meth:`RuleSet.amount` uses)."""
    out = _round(Fraction(cost) * rate, round_to, rounding)
    if cap is not None:
        out = min(out, cap)
    if requested is not None:
        out = min(out, requested)
    return out


def _number(values: Mapping[str, Any], key: str) -> int | float | None:
    v = values.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v


def _day(values: Mapping[str, Any], key: str) -> date | None:
    v = values.get(key)
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return None
    return None


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def _missing(gate: str, key: str, labels: Mapping[str, tuple[str, str, str]]) -> Phrase:
    ko, en, _ = labels.get(key, (key, key, "text"))
    return ("rule_missing", gate, ko, en)


def whole_years(born: date, at: date) -> int:
    """Whole years from ``born`` to ``at`` (a birthday-style count: 2005-03-02 → 2017-03-01 is 11)."""
    years = at.year - born.year
    if (at.month, at.day) < (born.month, born.day):
        years -= 1
    return years


def _bounds_fail(v: float, lo: float | None, hi: float | None) -> bool:
    return (lo is not None and v < lo) or (hi is not None and v > hi)


def _f(x: float | None) -> float | None:
    """A bound as a phrase keeps it: a float, or None when the gate has none (never NaN: not JSON)."""
    return float(x) if x is not None else None


def _test(g: Gate, values: Mapping[str, Any], by_code: dict[str, Gate],
          labels: Mapping[str, tuple[str, str, str]]) -> list[Phrase]:
    """The phrases of ``g``'s failure (empty: passed)."""
    t = g.test
    if t in ("all", "any"):
        parts = [_test(by_code[c], values, by_code, labels) for c in g.gates]
        failing = [p for p in parts if p]
        if t == "all":
            return [ph for p in failing for ph in p]
        if len(failing) < len(parts):
            return []
        return [("rule_none_of", g.code, g.name_ko, g.name_en), *(ph for p in failing for ph in p)]
    ko, en, kind = labels.get(g.field, (g.field, g.field, "text"))
    v = values.get(g.field)
    if t == "present":
        return [] if _present(v) else [("rule_missing", g.code, ko, en)]
    if not _present(v):
        return [("rule_missing", g.code, ko, en)]
    if t == "true":
        return [] if v is True else [("rule_not_true", g.code, ko, en)]
    if t == "one_of":
        return [] if str(v) in g.values else [("rule_one_of", g.code, ko, en, str(v), ", ".join(g.values))]
    if t in ("min", "max", "range"):
        x = _number(values, g.field)
        if x is None:
            return [("rule_missing", g.code, ko, en)]
        if _bounds_fail(x, g.min, g.max):
            return [("rule_bounds", g.code, ko, en, kind, float(x), _f(g.min), _f(g.max))]
        return []
    if t == "age":
        born = _day(values, g.field)
        if born is None:
            return [("rule_missing", g.code, ko, en)]
        if g.reference in labels:
            rko, ren, _ = labels[g.reference]
            at = _day(values, g.reference)
            if at is None:
                return [("rule_missing", g.code, rko, ren)]
        else:
            rko = ren = ""
            at = date.fromisoformat(g.reference)
        years = whole_years(born, at)
        if _bounds_fail(years, g.min, g.max):
            return [("rule_age", g.code, ko, en, born.isoformat(), rko, ren, at.isoformat(), years, _f(g.min),
                     _f(g.max))]
        return []
    if t == "ratio":
        dko, den_en, _ = labels.get(g.over, (g.over, g.over, "text"))
        num, den = _number(values, g.field), _number(values, g.over)
        if num is None:
            return [("rule_missing", g.code, ko, en)]
        if den is None:
            return [("rule_missing", g.code, dko, den_en)]
        if den <= 0:
            return [("rule_ratio", g.code, ko, en, dko, den_en, kind, float(num), float(den), None, _f(g.min),
                     _f(g.max))]
        r = Fraction(num) / Fraction(den)
        lo = Fraction(g.min) if g.min is not None else None
        hi = Fraction(g.max) if g.max is not None else None
        if (lo is not None and r < lo) or (hi is not None and r > hi):
            return [("rule_ratio", g.code, ko, en, dko, den_en, kind, float(num), float(den), round(float(r), 4),
                     _f(g.min), _f(g.max))]
        return []
    raise ValueError(f"unknown gate test {t!r}")  # pragma: no cover - the loader refuses it


# --- words (rendered by evaluator.ranking.reasons) -----------------------------------------------------
def _won(x: float, lang: str) -> str:
    return f"{int(x):,}원" if lang == "ko" else f"{int(x):,} won"


def _value(kind: str, x: float, lang: str) -> str:
    if kind == "money":
        return _won(x, lang)
    if kind in ("integer", "year") and float(x).is_integer():
        return f"{int(x):,}" if kind == "integer" else str(int(x))
    return f"{x:g}"


def _need(kind: str, lo: float | None, hi: float | None, lang: str, unit_ko: str = "", unit_en: str = "") -> str:
    has_lo, has_hi = lo is not None, hi is not None
    a = _value(kind, lo, lang) if has_lo else ""
    b = _value(kind, hi, lang) if has_hi else ""
    if lang == "ko":
        if has_lo and has_hi:
            return f"{a}{unit_ko}~{b}{unit_ko} 필요"
        return f"{a}{unit_ko} 이상 필요" if has_lo else f"{b}{unit_ko} 이하 필요"
    if has_lo and has_hi:
        return f"{a} to {b}{unit_en} required"
    return f"at least {a}{unit_en} required" if has_lo else f"at most {b}{unit_en} required"


def _bounds(g: Gate) -> Localised:
    """A gate's bounds in both languages ("at least 5" / "5 이상")."""
    lo, hi = _f(g.min), _f(g.max)
    return localised(_need("decimal", lo, hi, "ko").removesuffix(" 필요"),
                     _need("decimal", lo, hi, "en").removesuffix(" required"))


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _cap_words(cap: int, cap_from: str, lang: str) -> str:
    if cap < 0:
        return ""
    if lang == "ko":
        return f"한도 {_won(cap, 'ko')}" + (f"({cap_from}부터)" if cap_from else "")
    return f"cap {_won(cap, 'en')}" + (f" (from {cap_from})" if cap_from else "")


def _support_ko(awarded, cost, cost_ko, cost_en, rate, basis_ko, basis_en, basis, computed, cap, cap_from,
                limited) -> str:
    head = (f"지원금 {_won(awarded, 'ko')}: {cost_ko} {_won(cost, 'ko')} × {rate:g}%({basis_ko} {basis:g}) "
            f"= {_won(computed, 'ko')}")
    if limited == "cap":
        return f"{head}, {_cap_words(cap, cap_from, 'ko')} 적용"
    if limited == "requested":
        return f"{head}, 신청금액 이내"
    return head + (f", {_cap_words(cap, cap_from, 'ko')} 이내" if cap >= 0 else "")


def _support_en(awarded, cost, cost_ko, cost_en, rate, basis_ko, basis_en, basis, computed, cap, cap_from,
                limited) -> str:
    head = (f"support {_won(awarded, 'en')}: {cost_en} {_won(cost, 'en')} × {rate:g}% ({basis_en} {basis:g}) "
            f"= {_won(computed, 'en')}")
    if limited == "cap":
        return f"{head}; {_cap_words(cap, cap_from, 'en')} applied"
    if limited == "requested":
        return f"{head}; limited to the requested amount"
    return head + (f", within the {_cap_words(cap, cap_from, 'en')}" if cap >= 0 else "")


def _ref_ko(rko: str, at: str) -> str:
    return f"{rko} 기준" if rko else f"{at} 기준"


def _ref_en(ren: str, at: str) -> str:
    return f"at the {ren}" if ren else f"on {at}"


#: the phrases of rule failures and amounts: code -> (parameter names, English words, Korean words)
WORDS: dict[str, tuple[tuple[str, ...], Callable[..., str], Callable[..., str]]] = {
    "rule_missing": (
        ("gate", "label_ko", "label_en"),
        lambda gate, label_ko, label_en: f"{label_en} not recorded (rule {gate})",
        lambda gate, label_ko, label_en: f"{label_ko} 미기재({gate})"),
    "rule_not_true": (
        ("gate", "label_ko", "label_en"),
        lambda gate, label_ko, label_en: f"{label_en}: must be yes (rule {gate})",
        lambda gate, label_ko, label_en: f"{label_ko}: '예'여야 함({gate})"),
    "rule_one_of": (
        ("gate", "label_ko", "label_en", "value", "allowed"),
        lambda gate, label_ko, label_en, value, allowed: f"{label_en} '{value}': must be one of {allowed} (rule {gate})",
        lambda gate, label_ko, label_en, value, allowed: f"{label_ko} '{value}': {allowed} 중 하나여야 함({gate})"),
    "rule_bounds": (
        ("gate", "label_ko", "label_en", "kind", "value", "min", "max"),
        lambda gate, label_ko, label_en, kind, value, min, max: (
            f"{label_en} {_value(kind, value, 'en')}: {_need(kind, min, max, 'en')} (rule {gate})"),
        lambda gate, label_ko, label_en, kind, value, min, max: (
            f"{label_ko} {_value(kind, value, 'ko')}: {_need(kind, min, max, 'ko')}({gate})")),
    "rule_age": (
        ("gate", "label_ko", "label_en", "value", "ref_ko", "ref_en", "at", "years", "min", "max"),
        lambda gate, label_ko, label_en, value, ref_ko, ref_en, at, years, min, max: (
            f"{label_en} {value}: {years} {plural(years, 'year', 'years')} {_ref_en(ref_en, at)}, "
            f"{_need('integer', min, max, 'en', unit_en=' years')} (rule {gate})"),
        lambda gate, label_ko, label_en, value, ref_ko, ref_en, at, years, min, max: (
            f"{label_ko} {value}: {_ref_ko(ref_ko, at)} {years}년, {_need('integer', min, max, 'ko', unit_ko='년')}"
            f"({gate})")),
    "rule_ratio": (
        ("gate", "label_ko", "label_en", "over_ko", "over_en", "kind", "value", "over", "ratio", "min", "max"),
        lambda gate, label_ko, label_en, over_ko, over_en, kind, value, over, ratio, min, max: (
            f"{label_en} {_value(kind, value, 'en')} ÷ {over_en} {_value(kind, over, 'en')} = "
            f"{'undefined' if ratio is None else f'{ratio:g}'}: {_need('decimal', min, max, 'en')} (rule {gate})"),
        lambda gate, label_ko, label_en, over_ko, over_en, kind, value, over, ratio, min, max: (
            f"{label_ko} {_value(kind, value, 'ko')} ÷ {over_ko} {_value(kind, over, 'ko')} = "
            f"{'계산 불가' if ratio is None else f'{ratio:g}'}: {_need('decimal', min, max, 'ko')}({gate})")),
    "rule_none_of": (
        ("gate", "name_ko", "name_en"),
        lambda gate, name_ko, name_en: f"none of '{name_en or name_ko}' met (rule {gate}):",
        lambda gate, name_ko, name_en: f"'{name_ko}' 중 충족한 기준 없음({gate}):"),
    "rule_no_band": (
        ("gate", "label_ko", "label_en", "kind", "value", "low", "high"),
        lambda gate, label_ko, label_en, kind, value, low, high: (
            f"{label_en} {_value(kind, value, 'en')} is outside the rate table ({low:g} to {high:g})"),
        lambda gate, label_ko, label_en, kind, value, low, high: (
            f"{label_ko} {_value(kind, value, 'ko')}: 지원 비율표({low:g}~{high:g}) 범위 밖")),
    "support_amount": (
        ("awarded", "cost", "cost_ko", "cost_en", "rate", "basis_ko", "basis_en", "basis", "computed", "cap",
         "cap_from", "limited_by"),
        _support_en, _support_ko),
}
#: phrases that run into the next one (a heading ends with a colon)
HEADINGS = frozenset({"rule_none_of"})


# --- loading --------------------------------------------------------------------------------------------
class _Counted:
    """``bad`` that counts the problems it passed on."""

    def __init__(self, bad: Bad) -> None:
        self.bad, self.n = bad, 0

    def __call__(self, *args: Any, **params: Any) -> None:
        self.n += 1
        self.bad(*args, **params)


def parse_rules(data: Mapping[str, Any], fields: Mapping[str, tuple[str, str, str]], track_codes: set[str],
                round_codes: set[str], bad: Bad, choices: Mapping[str, tuple[str, ...]] | None = None) -> RuleSet:
    """The ``[[gates]]`` and ``[support]`` of a program file's data; every problem goes to ``bad``.

    ``fields``: the program's typed fields (key -> Korean label, English label, type), ``choices``
    the values of its choice fields; the built-in fields are added here."""
    labels = {**BUILT_IN, **fields}
    counted = _Counted(bad)
    return RuleSet(gates=_gates(data.get("gates", []), labels, dict(choices or {}), track_codes, counted),
                   support=_support(data.get("support"), labels, track_codes, round_codes, counted), labels=labels,
                   selections=_selections(data, counted))


def _where(prefix: str, i: int, obj: Mapping[str, Any], ident: str) -> tuple[str, str]:
    tag = obj.get(ident)
    return (f"{prefix}[{i}]" + (f" ({tag})" if isinstance(tag, str) else "") + ".", f"{prefix}[{i}].")


def _unknown(obj: Mapping[str, Any], allowed: set[str], w: tuple[str, str], bad: Bad) -> None:
    for k in sorted(set(obj) - allowed):
        bad(w[0] + k, w[1] + k, msg("program.unknown_key", "is not a known key (typo?)", key=k))


def _text(obj: Mapping[str, Any], key: str, w: tuple[str, str], bad: Bad, required: bool = True) -> str:
    v = obj.get(key)
    if v is None:
        if required:
            bad(w[0] + key, w[1] + key, msg("program.missing", "is missing"))
        return ""
    if not isinstance(v, str) or not v.strip():
        bad(w[0] + key, w[1] + key, msg("program.not_text", "must be non-empty text, got {got}", got=repr(v)))
        return ""
    return v.strip()


def _num(obj: Mapping[str, Any], key: str, w: tuple[str, str], bad: Bad) -> float | None:
    v = obj.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        bad(w[0] + key, w[1] + key, msg("program.not_number", "must be a number, got {got}", got=repr(v)))
        return None
    return v


def _tracks(obj: Mapping[str, Any], w: tuple[str, str], track_codes: set[str], bad: Bad) -> tuple[str, ...]:
    v = obj.get("tracks", [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        bad(w[0] + "tracks", w[1] + "tracks", msg("program.not_track_list", "must be a list of track codes"),
            "not_text_list")
        return ()
    for x in v:
        if x not in track_codes:
            bad(w[0] + "tracks", w[1] + "tracks", msg("program.unknown_track", "{value} is not a track of this program "
                                                      "(tracks: {tracks})", value=repr(x),
                                                      tracks=", ".join(sorted(track_codes)) or "none"), track=x)
    return tuple(v)


def _field(obj: Mapping[str, Any], key: str, w: tuple[str, str], labels: Mapping[str, tuple[str, str, str]],
           kinds: tuple[str, ...] | None, what: Message, bad: Bad) -> str:
    """A field a rule names: it must exist, and be of one of ``kinds`` (None: any)."""
    name = _text(obj, key, w, bad)
    if not name:
        return ""
    if name not in labels:
        bad(w[0] + key, w[1] + key, msg("program.unknown_field", "{value} is not a field of this program (fields: "
                                        "{fields})", value=repr(name), fields=", ".join(sorted(labels))), field=name)
        return ""
    kind = labels[name][2]
    if kinds is not None and kind not in kinds:
        bad(w[0] + key, w[1] + key, msg("program.type_mismatch", "{what} needs a field of type {kinds}; {value} is "
                                        "{type}", what=what, kinds=" or ".join(kinds), value=repr(name), type=kind),
            field=name, type=kind, expected=", ".join(kinds))
        return ""
    return name


def _gates(raw: Any, labels: Mapping[str, tuple[str, str, str]], choices: dict[str, tuple[str, ...]],
           track_codes: set[str], bad: Bad) -> tuple[Gate, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        bad("gates", "gates", msg("program.not_table_list", "must be a list of tables ([[{key}]])", key="gates"))
        return ()
    out: list[Gate] = []
    seen: dict[str, int] = {}
    for i, g in enumerate(raw):
        w = _where("gates", i, g, "code")
        _unknown(g, _GATE_KEYS, w, bad)
        code = _text(g, "code", w, bad)
        if code in seen:
            bad(w[0] + "code", w[1] + "code", msg("program.duplicate_gate", "duplicate gate code {value}",
                                                  value=repr(code)), "duplicate", id=code)
        elif code == "support":
            bad(w[0] + "code", w[1] + "code", msg("program.reserved", "'support' names the support amount rule; choose "
                                                  "another gate code", id=code))
        seen[code] = i
        name_ko = _text(g, "name_ko", w, bad)
        name_en = _text(g, "name_en", w, bad, required=False)
        test = g.get("test")
        if test not in TESTS:
            bad(w[0] + "test", w[1] + "test", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                                  allowed=", ".join(TESTS), got=repr(test)))
            continue
        tracks = _tracks(g, w, track_codes, bad)
        used = {"code", "name_ko", "name_en", "test", "tracks"}
        kw: dict[str, Any] = {}
        if test in ("all", "any"):
            used.add("gates")
            subs = g.get("gates")
            if not isinstance(subs, list) or len(subs) < 2 or not all(isinstance(x, str) for x in subs):
                bad(w[0] + "gates", w[1] + "gates", msg("program.bad_gates", "an '{test}' gate lists at least two gate "
                                                        "codes", test=test))
                subs = []
            kw["gates"] = tuple(subs)
        else:
            used.add("field")
            kinds = {"min": NUMERIC, "max": NUMERIC, "range": NUMERIC, "ratio": NUMERIC, "age": ("date",),
                     "true": ("boolean",), "one_of": ("choice", "text"), "present": None}[test]
            kw["field"] = _field(g, "field", w, labels, kinds, msg("program.what_gate", "a '{test}' gate", test=test),
                                 bad)
            if test in ("min", "max", "range", "age", "ratio"):
                need = {"min": ("min",), "max": ("max",), "range": ("min", "max")}.get(test, ())
                used.update(("min", "max"))
                lo, hi = _num(g, "min", w, bad), _num(g, "max", w, bad)
                for k in need:
                    if g.get(k) is None:
                        bad(w[0] + k, w[1] + k, msg("program.gate_needs_bound", "a '{test}' gate states its {key}",
                                                    test=test, key=k), "missing")
                if test in ("min", "max"):
                    other = "max" if test == "min" else "min"
                    if g.get(other) is not None:
                        bad(w[0] + other, w[1] + other, msg("program.gate_one_bound", "a '{test}' gate has no {key} "
                                                            "(use test = \"range\")", test=test, key=other),
                            "not_allowed")
                if test in ("age", "ratio") and lo is None and hi is None and "min" not in g and "max" not in g:
                    bad(w[0] + "min", w[1] + "min", msg("program.gate_needs_min_or_max", "an '{test}' gate states a "
                                                        "min, a max or both", test=test), "missing")
                if lo is not None and hi is not None and hi < lo:
                    bad(w[0] + "max", w[1] + "max", msg("program.max_below_min", "{high:g} is below min {low:g}",
                                                        high=hi, low=lo), "range_backwards")
                kw["min"], kw["max"] = lo, hi
            if test == "one_of":
                used.add("values")
                vals = g.get("values")
                if not isinstance(vals, list) or not vals or not all(isinstance(x, str) and x.strip() for x in vals):
                    bad(w[0] + "values", w[1] + "values", msg("program.one_of_needs_values", "a 'one_of' gate lists "
                                                              "its values (non-empty texts)"), "missing")
                    vals = []
                else:
                    f = kw["field"]
                    allowed = choices.get(f)
                    for x in vals if allowed is not None else ():
                        if x not in allowed:
                            bad(w[0] + "values", w[1] + "values", msg("program.unknown_value", "{shown} is not a value "
                                                                      "of the choice field {name} ({allowed})",
                                                                      shown=repr(x), name=repr(f),
                                                                      allowed=", ".join(allowed)), value=x, field=f)
                kw["values"] = tuple(x.strip() for x in vals)
            if test == "age":
                used.add("reference")
                ref = g.get("reference", "submitted_on")
                if isinstance(ref, date) and not isinstance(ref, datetime):
                    kw["reference"] = ref.isoformat()
                elif isinstance(ref, str) and ref in labels and labels[ref][2] == "date":
                    kw["reference"] = ref
                else:
                    bad(w[0] + "reference", w[1] + "reference", msg("program.bad_reference", "must be a date field "
                                                                    "of this program or a date (YYYY-MM-DD), got {got}",
                                                                    got=repr(ref)))
            if test == "ratio":
                used.add("over")
                kw["over"] = _field(g, "over", w, labels, NUMERIC, msg("program.what_gate", "a '{test}' gate",
                                                                       test="ratio"), bad)
        for k in sorted(set(g) - used - {"code"}):
            if k in _GATE_KEYS:
                bad(w[0] + k, w[1] + k, msg("program.gate_has_no", "a '{test}' gate has no {key}", test=test, key=k),
                    "not_allowed", key=k)
        out.append(Gate(code=code, name_ko=name_ko, name_en=name_en, test=test, tracks=tracks, **kw))
    _check_references(out, raw, seen, bad)
    return tuple(out)


def _check_references(gates: list[Gate], raw: list, index: dict[str, int], bad: Bad) -> None:
    """``all``/``any`` gates name existing gates, and no gate contains itself (no cycle); ``index``:
    each gate's place in the file (for the key a problem names)."""
    codes = {g.code for g in gates}
    for g in gates:
        for c in g.gates:
            if c not in codes:
                i = index[g.code]
                w = _where("gates", i, raw[i], "code")
                bad(w[0] + "gates", w[1] + "gates", msg("program.unknown_gate", "{value} is not a gate of this program",
                                                        value=repr(c)), gate=c)
    # cycles: depth-first over the named gates
    state: dict[str, int] = {}
    by = {g.code: g for g in gates}

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        for c in by[code].gates:
            if c not in by:
                continue
            if state.get(c) == 1:
                i = index[code]
                w = _where("gates", i, raw[i], "code")
                cycle = " → ".join([*path[path.index(c):], c]) if c in path else f"{code} → {c}"
                bad(w[0] + "gates", w[1] + "gates", msg("program.gate_cycle", "the gates form a cycle ({cycle})",
                                                        cycle=cycle))
            elif state.get(c) is None:
                visit(c, [*path, c])
        state[code] = 2

    for g in gates:
        if state.get(g.code) is None:
            visit(g.code, [g.code])


def _support(raw: Any, labels: Mapping[str, tuple[str, str, str]], track_codes: set[str], round_codes: set[str],
             bad: _Counted) -> Support | None:
    if raw is None:
        return None
    w = ("support.", "support.")
    if not isinstance(raw, dict):
        bad("support", "support", msg("program.not_table_support", "must be a table ([support])"), "not_table")
        return None
    _unknown(raw, _SUPPORT_KEYS, w, bad)
    n0 = bad.n
    tracks = _tracks(raw, w, track_codes, bad)
    cost = _field(raw, "cost", w, labels, ("money",), msg("program.what_cost", "the support's cost"), bad)
    rate_by = _field(raw, "rate_by", w, labels, ("integer", "year"), msg("program.what_rate_table", "a rate table"), bad)
    bands: list[RateBand] = []
    rates = raw.get("rates")
    if not isinstance(rates, list) or not rates or not all(isinstance(x, dict) for x in rates):
        bad("support.rates", "support.rates", msg("program.rates_missing", "must list the rate bands "
                                                  "([[support.rates]] with from, to and rate)"), "missing")
        rates = []
    for i, b in enumerate(rates):
        bw = (f"support.rates[{i}].", f"support.rates[{i}].")
        _unknown(b, _BAND_KEYS, bw, bad)
        lo, hi, rate = b.get("from"), b.get("to"), b.get("rate")
        ok = True
        for k, v in (("from", lo), ("to", hi)):
            if isinstance(v, bool) or not isinstance(v, int):
                bad(bw[0] + k, bw[1] + k, msg("program.not_integer", "must be a whole number, got {got}", got=repr(v)))
                ok = False
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
            bad(bw[0] + "rate", bw[1] + "rate", msg("program.bad_rate", "must be a share above 0 and at most 1 (0.6 "
                                                    "for 60 %), got {got}", got=repr(rate)))
            ok = False
        if ok and hi < lo:
            bad(bw[0] + "to", bw[1] + "to", msg("program.to_below_from", "{high} is below from {low}", high=hi, low=lo),
                "range_backwards")
            ok = False
        if ok:
            if bands:
                prev = bands[-1]
                if lo <= prev.high:
                    bad(bw[0] + "from", bw[1] + "from", msg("program.band_overlap", "the band {low}–{high} overlaps "
                                                            "the band before it ({prev_low}–{prev_high}); list bands "
                                                            "in order, without overlap", low=lo, high=hi,
                                                            prev_low=prev.low, prev_high=prev.high), "band_overlap")
                elif lo > prev.high + 1:
                    bad(bw[0] + "from", bw[1] + "from", msg("program.band_gap", "leaves a gap after the band "
                                                            "{prev_low}–{prev_high} ({gap_low}–{gap_high} has no rate)",
                                                            prev_low=prev.low, prev_high=prev.high,
                                                            gap_low=prev.high + 1, gap_high=lo - 1), "band_gap")
            bands.append(RateBand(lo, hi, Fraction(str(rate))))
    caps: list[Cap] = []
    raw_caps = raw.get("caps", [])
    if not isinstance(raw_caps, list) or not all(isinstance(x, dict) for x in raw_caps):
        bad("support.caps", "support.caps", msg("program.caps_not_table_list", "must be a list of tables "
                                                "([[support.caps]] with cap and from or round)"), "not_table_list")
        raw_caps = []
    last: date | None = None
    for i, c in enumerate(raw_caps):
        cw = (f"support.caps[{i}].", f"support.caps[{i}].")
        _unknown(c, _CAP_KEYS, cw, bad)
        amount = c.get("cap")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            bad(cw[0] + "cap", cw[1] + "cap", msg("program.bad_cap", "must be a positive whole number of won, got "
                                                  "{got}", got=repr(amount)))
            continue
        rnd = c.get("round")
        day = c.get("from")
        if rnd is not None:
            if day is not None:
                bad(cw[0] + "from", cw[1] + "from", msg("program.cap_round_or_date", "a cap is either a round's "
                                                        "(round) or in force from a date (from), not both"),
                    "not_allowed")
            if not isinstance(rnd, str) or rnd not in round_codes:
                bad(cw[0] + "round", cw[1] + "round", msg("program.unknown_round", "{value} is not a round of this "
                                                          "program (rounds: {rounds})", value=repr(rnd),
                                                          rounds=", ".join(sorted(round_codes)) or "none"),
                    round=str(rnd))
                continue
            caps.append(Cap(amount, None, rnd))
            continue
        if day is not None and (isinstance(day, datetime) or not isinstance(day, date)):
            bad(cw[0] + "from", cw[1] + "from", msg("program.not_date", "must be a date (YYYY-MM-DD), got {got}",
                                                    got=repr(day)))
            continue
        if i and day is None and any(not x.round for x in caps):
            bad(cw[0] + "from", cw[1] + "from", msg("program.cap_needs_date", "only the first dated cap may leave out "
                                                    "its date"), "missing")
        elif day is not None and last is not None and day <= last:
            bad(cw[0] + "from", cw[1] + "from", msg("program.caps_out_of_order", "{day} is not after the previous "
                                                    "cap's date {last}: list the caps in date order", day=str(day),
                                                    last=str(last)), "caps_out_of_order")
        if day is not None:
            last = day
        caps.append(Cap(amount, day))
    unit = raw.get("round_to", 1)
    if isinstance(unit, bool) or not isinstance(unit, int) or unit < 1:
        bad("support.round_to", "support.round_to", msg("program.bad_round_to", "must be a whole number of won of at "
                                                        "least 1 (e.g. 1000), got {got}", got=repr(unit)))
        unit = 1
    how = raw.get("rounding", "down")
    if how not in ROUNDING:
        bad("support.rounding", "support.rounding", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                                        allowed=", ".join(ROUNDING), got=repr(how)))
        how = "down"
    cap_req = raw.get("at_most_requested", True)
    if not isinstance(cap_req, bool):
        bad("support.at_most_requested", "support.at_most_requested", msg("program.not_boolean", "must be true or "
                                                                          "false, got {got}", got=repr(cap_req)))
        cap_req = True
    budget = raw.get("budget", "support")
    if budget not in ("support", "requested"):
        bad("support.budget", "support.budget", msg("program.bad_budget_basis", "must be \"support\" (the budget "
                                                    "draws on the computed amount) or \"requested\", got {got}",
                                                    allowed="support, requested", got=repr(budget)), "not_one_of")
        budget = "support"
    if bad.n != n0 or not cost or not rate_by or not bands:
        return None
    return Support(cost=cost, rate_by=rate_by, bands=tuple(bands), caps=tuple(caps), round_to=unit, rounding=how,
                   at_most_requested=cap_req, budget=budget, tracks=tracks)


def _selections(data: Mapping[str, Any], bad: Bad) -> tuple[Selection, ...]:
    """The tracks' ``selection`` and ``fill`` (the rest of a ``[[tracks]]`` table is the program file
    validator's).  Threshold-budget needs a budget: the track's own, or one in every round."""
    tracks, rounds = data.get("tracks"), data.get("rounds", [])
    if not isinstance(tracks, list):
        return ()
    rounds = [r for r in rounds if isinstance(r, dict)] if isinstance(rounds, list) else []
    out = []
    for i, t in enumerate(tracks):
        if not isinstance(t, dict) or ("selection" not in t and "fill" not in t):
            continue
        w = _where("tracks", i, t, "code")
        model, fill = t.get("selection", "quota"), t.get("fill", False)
        if model not in SELECTIONS:
            bad(w[0] + "selection", w[1] + "selection", msg("program.not_one_of", "must be one of {allowed}, got {got}",
                                                            allowed=", ".join(SELECTIONS), got=repr(model)))
            continue
        if not isinstance(fill, bool):
            bad(w[0] + "fill", w[1] + "fill", msg("program.not_boolean", "must be true or false, got {got}",
                                                  got=repr(fill)))
            continue
        if fill and model != "threshold-budget":
            bad(w[0] + "fill", w[1] + "fill", msg("program.fill_without_threshold", "applies only to selection = "
                                                  "\"threshold-budget\" (the quota model already skips what does not "
                                                  "fit and goes on)"))
            continue
        code = t.get("code")
        in_rounds = [r.get("tracks", {}).get(code) if isinstance(r.get("tracks"), dict) else None for r in rounds]
        if model == "threshold-budget" and t.get("budget") is None and (
                not rounds or any(not isinstance(x, dict) or x.get("budget") is None for x in in_rounds)):
            bad(w[0] + "selection", w[1] + "selection", msg("program.threshold_needs_budget", "threshold-budget "
                                                            "selects while the budget lasts: give the track a budget, "
                                                            "or every round a budget for it ([rounds.tracks.CODE] "
                                                            "budget)"))
            continue
        if model != "quota" and isinstance(code, str):
            out.append(Selection(code, model, fill))
    return tuple(out)


__all__ = ["BUILT_IN", "EMPTY", "Eligibility", "SELECTIONS", "Selection", "TESTS", "Cap", "Gate", "RateBand", "RuleSet", "Support", "SupportAmount", "WORDS",
           "compute_amount", "parse_rules", "whole_years"]
