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

#: activity kinds (categories): code -> (Korean, English)
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

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko


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

    def name(self, lang: str = "ko") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_ko


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


@dataclass(frozen=True)
class EvaluatorInfo:
    code: str
    uuid: str
    name: str
    organisation: str
    role: str
    email: str
    key_fingerprint: str | None
    assigned: int = 0
    finalised: int = 0


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
