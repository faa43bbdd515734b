"""Plain values the façade hands out: frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

#: database roles
OFFICE = "office"
FIELD = "field"

#: evaluation states
DRAFT = "draft"
FINALISED = "finalised"

#: decisions
SELECTED = "selected"
RESERVE = "reserve"
NOT_SELECTED = "not_selected"
INELIGIBLE = "ineligible"
DECISIONS = (SELECTED, RESERVE, NOT_SELECTED, INELIGIBLE)

#: round (차수) states: taking applications, intake closed, decisions signed off by the committee
OPEN = "open"
CLOSED = "closed"
SIGNED_OFF = "signed_off"
ROUND_STATES = (OPEN, CLOSED, SIGNED_OFF)

#: application states: received, or withdrawn by the applicant (kept, not ranked, with its reason)
RECEIVED = "received"
WITHDRAWN = "withdrawn"

#: conflict-of-interest types (HotCRP-style typed conflicts)
CONFLICT_TYPES = ("personal", "professional", "financial", "institutional", "other")

#: the fields of an application besides its ID (intake sheets, kits, the application table)
APPLICATION_FIELDS = (
    "track", "category", "title", "group_name", "representative", "phone", "email", "district",
    "neighbourhood", "address", "members", "requested_amount", "self_contribution", "summary",
    "submitted_on",
)
#: personal data about applicants' people (kits carry them only when asked)
PERSONAL_FIELDS = ("representative", "phone", "email", "address")

#: the Community Building Project's activity kinds (categories): code -> (Korean, English); a program
#: lists its own in its program file (``ProgramInfo.categories``), these are the demo program's
CATEGORIES: dict[str, tuple[str, str]] = {
    "cafe": ("마을카페·모임", "Community gathering / café"),
    "care": ("공동육아·돌봄", "Communal nurturing and caring"),
    "energy_safety": ("에너지자립·안전마을", "Energy independence / safe village"),
    "business": ("마을기업", "Community business"),
    "festival": ("마을축제", "Community festival"),
    "other": ("기타", "Other"),
}

#: Seoul's 25 districts (gu): Korean -> English, in the city's usual order
SEOUL_DISTRICTS: dict[str, str] = {
    "종로구": "Jongno-gu", "중구": "Jung-gu", "용산구": "Yongsan-gu", "성동구": "Seongdong-gu",
    "광진구": "Gwangjin-gu", "동대문구": "Dongdaemun-gu", "중랑구": "Jungnang-gu", "성북구": "Seongbuk-gu",
    "강북구": "Gangbuk-gu", "도봉구": "Dobong-gu", "노원구": "Nowon-gu", "은평구": "Eunpyeong-gu",
    "서대문구": "Seodaemun-gu", "마포구": "Mapo-gu", "양천구": "Yangcheon-gu", "강서구": "Gangseo-gu",
    "구로구": "Guro-gu", "금천구": "Geumcheon-gu", "영등포구": "Yeongdeungpo-gu", "동작구": "Dongjak-gu",
    "관악구": "Gwanak-gu", "서초구": "Seocho-gu", "강남구": "Gangnam-gu", "송파구": "Songpa-gu",
    "강동구": "Gangdong-gu",
}


@dataclass(frozen=True)
class TrackInfo:
    code: str
    name_ko: str
    name_en: str
    rubric_code: str
    quota: int
    reserve_size: int
    budget: int | None
    applications: int = 0
    #: the minimum score to be selected (None: the rubric's own)
    min_score: float | None = None
    #: the rubric's version (its content hash)
    rubric_hash: str = ""

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko


@dataclass(frozen=True)
class CategoryInfo:
    """An activity kind of a program."""

    code: str
    name_ko: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko


@dataclass(frozen=True)
class FieldInfo:
    """A typed intake field a program adds to the built-in ones (docs/programs.md)."""

    key: str
    label_ko: str
    label_en: str
    type: str  # text | integer | money | decimal | date | year | boolean | choice
    required: bool = False
    personal: bool = False
    values: tuple[str, ...] = ()  # a choice field's values
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "ko") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_ko


@dataclass(frozen=True)
class RoundTrackInfo:
    """One track in one round: its quota and budget there."""

    track: str
    quota: int
    #: the round's budget for the track (None: no cap), before what earlier rounds left or used
    budget: int | None
    #: what the round may award: its budget with what signed-off earlier rounds left over (carry-over),
    #: never more than what they left of the track's budget (None: no cap)
    available: int | None
    #: what the round awarded (its selected applications' requested amounts), once signed off
    awarded: int | None = None
    applications: int = 0


@dataclass(frozen=True)
class RoundInfo:
    """A round (차수) of a program."""

    code: str
    uuid: str
    name_ko: str
    name_en: str
    opens_on: date | None
    closes_on: date | None
    status: str  # open | closed | signed_off
    applications: int = 0
    tracks: tuple[RoundTrackInfo, ...] = ()
    signed_off_at: datetime | None = None
    signed_off_by: str = ""
    sign_off_note: str = ""
    current: bool = False  # the round commands work on when no --round is given

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko

    @property
    def signed_off(self) -> bool:
        return self.status == SIGNED_OFF

    def track(self, code: str) -> RoundTrackInfo:
        for t in self.tracks:
            if t.track == code:
                return t
        raise KeyError(code)


@dataclass(frozen=True)
class ProgramInfo:
    code: str
    uuid: str
    name_ko: str
    name_en: str
    status: str
    opened_on: date | None
    closed_on: date | None
    tracks: tuple[TrackInfo, ...]
    settings: dict = field(default_factory=dict, hash=False, compare=False)
    office_ko: str = ""
    office_en: str = ""
    intake: str = "fixed"  # fixed | rolling
    categories: tuple[CategoryInfo, ...] = ()
    fields: tuple[FieldInfo, ...] = ()
    rounds: tuple[RoundInfo, ...] = ()
    #: the program file's version (its content hash; "" for a program made before program files)
    version: str = ""
    archived: bool = False
    current: bool = False  # the database's current program
    applications: int = 0

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko

    def office(self, lang: str = "ko") -> str:
        return self.office_en if lang == "en" and self.office_en else self.office_ko

    def round(self, code: str) -> RoundInfo:
        for r in self.rounds:
            if r.code == code:
                return r
        raise KeyError(code)

    @property
    def current_round(self) -> RoundInfo | None:
        return next((r for r in self.rounds if r.current), None)

    def category_label(self, code: str, lang: str = "ko") -> str:
        for c in self.categories:
            if c.code == code:
                return c.name(lang)
        ko, en = CATEGORIES.get(code, (code, code))
        return en if lang == "en" else ko


@dataclass(frozen=True)
class ProgramUpdate:
    """What ``program update`` changes (or would change, with ``dry_run``), and what it refuses."""

    code: str
    dry_run: bool
    changes: tuple[str, ...]
    refused: tuple[str, ...]
    applied: bool
    version: str = ""


@dataclass(frozen=True)
class ApplicationInfo:
    """An application as the office sees it (personal fields included)."""

    id: str  # external application ID (접수번호)
    uuid: str
    track: str
    category: str
    title: str
    group_name: str
    representative: str
    phone: str
    email: str
    district: str
    neighbourhood: str
    address: str
    members: int | None
    requested_amount: int | None
    self_contribution: int | None
    summary: str
    submitted_on: date | None
    status: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    #: the program's typed intake fields: {key: value}
    fields: dict = field(default_factory=dict, hash=False, compare=False)
    round: str = ""  # the round's code
    status_reason: str = ""  # why (a withdrawal's reason)


@dataclass(frozen=True)
class ApplicationRow:
    """One row of the applications table (cheap to fetch in pages)."""

    id: str
    track: str
    category: str
    title: str
    group_name: str
    district: str
    requested_amount: int | None
    submitted_on: date | None
    status: str
    evaluators: int
    finalised: int
    round: str = ""


@dataclass(frozen=True)
class EvaluatorInfo:
    code: str
    uuid: str
    name: str
    organisation: str
    role: str
    email: str
    key_fingerprint: str | None
    assigned: int = 0  # in the current program
    finalised: int = 0
    district: str = ""
    phone: str = ""


@dataclass(frozen=True)
class LikelyConflict:
    """A pairing that looks like a conflict of interest (the office confirms it with a recusal, or
    not): the evaluator's organisation or district is the applicant group's, or they share an
    e-mail domain or a phone."""

    application_id: str
    evaluator: str
    #: organisation | district | email_domain | phone
    reasons: tuple[str, ...]
    detail: str  # one English sentence naming what matched
    detail_ko: str = ""
    assigned: bool = False  # the evaluator has (or was just given) the application
    #: listed again although the office dismissed it: what matched when it was dismissed (a new
    #: kind of suspicion appeared since) and why it was dismissed; empty when never dismissed
    dismissed_for: tuple[str, ...] = ()
    dismissal_reason: str = ""

    @property
    def previously_dismissed(self) -> bool:
        return bool(self.dismissed_for)


@dataclass(frozen=True)
class DismissedConflict:
    """A likely conflict of interest the office dismissed (not a conflict): who decided, when and
    why.  Not listed as a likely conflict again unless a new kind of suspicion appears."""

    application_id: str
    evaluator: str
    #: what matched when it was dismissed: organisation | district | email_domain | phone
    reasons: tuple[str, ...]
    reason: str  # why the office says it is not a conflict
    dismissed_by: str
    dismissed_at: datetime


@dataclass(frozen=True)
class AutoAssignment:
    """What ``assign --auto`` did (or would do, with ``dry_run``)."""

    per_application: int
    added: tuple[tuple[str, str], ...]  # (application ID, evaluator ID)
    #: evaluator -> assignments in the program afterwards (load-balanced: within one of each other
    #: for evaluators given work here)
    loads: dict[str, int] = field(hash=False)
    #: applications that could not get ``per_application`` evaluators (too few without a conflict),
    #: with how many they have
    short: tuple[tuple[str, int], ...] = ()
    likely_conflicts: tuple[LikelyConflict, ...] = ()
    dry_run: bool = False
    applications: int = 0  # applications considered


@dataclass(frozen=True)
class GateStatus:
    """An eligibility gate of an application's rubric and its outcome for that application."""

    code: str
    name_ko: str
    name_en: str
    kind: str  # auto | manual
    passed: bool | None  # None: a manual gate not recorded yet (presumed passed by the ranking)
    note: str = ""
    decided_by: str = ""

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko


@dataclass(frozen=True)
class AssignmentInfo:
    application_id: str
    evaluator: str
    conflict_type: str | None
    conflict_note: str
    planned_visit_on: date | None
    state: str | None  # evaluation state, None = not started
    abstained: bool = False

    @property
    def is_conflict(self) -> bool:
        return self.conflict_type is not None


@dataclass(frozen=True)
class ScoreValue:
    criterion: str
    level: str | None
    points: float | None
    comment: str
    version: int
    updated_at: datetime | None


@dataclass(frozen=True)
class EvaluationInfo:
    application_id: str
    evaluator: str
    uuid: str
    state: str
    finalised_at: datetime | None
    abstained: bool
    abstain_reason: str
    comment: str
    version: int
    scores: tuple[ScoreValue, ...]
    total: float | None  # weighted total 0–100; None while a required criterion is missing
    missing: tuple[str, ...]  # codes of required criteria not yet scored
    package_fingerprint: str | None = None
    #: what the rubric requires of the visit log and it lacks: "visit_date", "attendees", "check:ID"
    visit_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class SavedScore:
    """What a single autosave acknowledged."""

    criterion: str
    points: float | None
    level: str | None
    version: int
    evaluation_version: int
    total: float | None


@dataclass(frozen=True)
class DatabaseInfo:
    url: str
    role: str
    schema_revision: str
    programs: int
    applications: int
    applications_per_track: dict[str, int]
    evaluators: int
    assignments: int
    conflicts: int
    evaluations: int
    finalised_evaluations: int
    scores: int
    audit_events: int

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "role": self.role,
            "schema_revision": self.schema_revision,
            "programs": self.programs,
            "applications": self.applications,
            "applications_per_track": dict(self.applications_per_track),
            "evaluators": self.evaluators,
            "assignments": self.assignments,
            "conflicts": self.conflicts,
            "evaluations": self.evaluations,
            "finalised_evaluations": self.finalised_evaluations,
            "scores": self.scores,
            "audit_events": self.audit_events,
        }
