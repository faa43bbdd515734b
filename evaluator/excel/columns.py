"""The columns of every workbook we write: stable keys, labels (ko, en), cell type and width.

Row 1 of each data sheet holds the Korean labels (``lang="ko"``, the default) or the keys
(``lang="en"``, the layout schema 1 always had); the hidden ``_meta`` sheet repeats each key with
its Korean and English label and type, so a workbook documents itself.  Changing a key or its meaning
is a schema change: bump :data:`SCHEMA_VERSION` and update ``docs/excel-formats.md`` (a test
checks every key below is documented there).
"""

from __future__ import annotations

from dataclasses import dataclass

#: version of the layout of our exports and templates (recorded in every workbook's ``_meta``)
SCHEMA_VERSION = 1
FORMAT_NAME = "maeul-evaluator"

#: cell kinds → number format (None = General)
FORMATS: dict[str, str | None] = {
    "text": None,
    "id": None,
    "int": "0",
    "krw": '#,##0"원"',
    "score": "0.00",
    "points": None,
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
    "bool": None,
    "float": "0.000",
    "phone": None,  # text, but a phone number is never given a leading apostrophe (``+82 …``)
}


@dataclass(frozen=True)
class Col:
    key: str
    ko: str
    en: str
    kind: str = "text"
    width: float = 12

    def label(self, lang: str = "ko") -> str:
        return self.en if lang == "en" else self.ko


def _c(key: str, ko: str, en: str, kind: str = "text", width: float = 12) -> Col:
    assert kind in FORMATS, kind
    return Col(key, ko, en, kind, width)


# --- ranking -------------------------------------------------------------------------------------
RANKING_SUMMARY = (
    _c("track", "사업유형 코드", "Track code", "id", 12),
    _c("track_name", "사업유형", "Track", "text", 28),
    _c("method", "집계 방식", "Aggregation method", "text", 12),
    _c("provisional", "잠정 여부", "Provisional", "bool", 11),
    _c("quota", "선정 정원", "Quota", "int", 9),
    _c("reserve_size", "예비 정원", "Reserve size", "int", 9),
    _c("min_score", "최저 점수", "Minimum score", "score", 10),
    _c("applications", "신청 건수", "Applications", "int", 11),
    _c("eligible", "적격 건수", "Eligible", "int", 9),
    _c("selected", "선정", "Selected", "int", 9),
    _c("reserve", "예비", "Reserve", "int", 9),
    _c("budget", "예산", "Budget", "krw", 16),
    _c("budget_used", "선정 금액", "Budget used", "krw", 16),
    _c("reliability", "평가 신뢰도", "Reliability", "float", 11),
    _c("reliability_method", "신뢰도 방식", "Reliability method", "text", 22),
    _c("computed_at", "산출 일시", "Computed at", "datetime", 20),
    _c("notes", "비고", "Notes", "text", 60),
)

RANKING_TRACK = (
    _c("rank", "순위", "Rank", "int", 7),
    _c("application_id", "접수번호", "Application ID", "id", 14),
    _c("title", "사업명", "Project title", "text", 36),
    _c("group_name", "단체명", "Group name", "text", 22),
    _c("district", "자치구", "District", "text", 10),
    _c("category", "분야", "Category", "id", 14),
    _c("score", "점수", "Score", "score", 9),
    _c("method", "집계 방식", "Method", "text", 11),
    _c("evaluations", "평가 수", "Evaluations", "int", 9),
    _c("spread", "점수 편차(최고-최저)", "Spread (max − min)", "score", 11),
    _c("flags", "표시", "Flags", "text", 24),
    _c("decision", "결정", "Decision", "id", 13),
    _c("reason", "사유", "Reason", "text", 48),
    _c("requested_amount", "신청금액", "Requested amount", "krw", 16),
    _c("override", "위원회 변경", "Override", "id", 13),
    _c("override_reason", "변경 사유", "Override reason", "text", 36),
    _c("computed_decision", "산출 결과", "Computed decision", "id", 13),
    _c("raw_score", "원점수", "Raw score", "score", 9),
    _c("normalized_score", "표준화 점수", "Normalised score", "score", 11),
    _c("stddev", "표준편차", "Standard deviation", "score", 9),
    _c("eligible", "적격", "Eligible", "bool", 8),
    _c("failed_gates", "미충족 요건", "Failed gates", "text", 20),
    _c("field_check", "현장확인 점수", "Field-check score", "float", 10),
    _c("stability", "선정 안정도", "Stability", "percent", 10),
    _c("on_cut_line", "경계선", "On cut line", "bool", 9),
    _c("submitted_on", "접수일", "Submitted on", "date", 12),
    _c("track", "사업유형 코드", "Track code", "id", 11),
)

#: with a program's support amount rule (docs/rules.md): each row's computed amount and how
RANKING_SUPPORT = (
    _c("awarded_amount", "산정 지원금", "Computed support", "krw", 16),
    _c("support_cost", "지원 대상 비용", "Cost supported", "krw", 16),
    _c("support_rate", "지원 비율", "Support rate", "percent", 10),
    _c("support_cap", "적용 한도", "Cap in force", "krw", 16),
    _c("support_limited_by", "결정 기준", "Decided by", "id", 11),
    _c("support_basis", "산정 근거", "How it was computed", "text", 60),
)

#: the ranking's contact sheet: only with --include-personal (and a reason, kept in the access log)
CONTACTS = (
    _c("application_id", "접수번호", "Application ID", "id", 14),
    _c("group_name", "단체명", "Group name", "text", 22),
    _c("representative", "대표자", "Representative", "text", 10),
    _c("phone", "연락처", "Phone", "phone", 15),
    _c("email", "이메일", "Email", "text", 26),
    _c("address", "주소", "Address", "text", 36),
)

# --- scores (long format) -------------------------------------------------------------------------
SCORES = (
    _c("application_id", "접수번호", "Application ID", "id", 14),
    _c("track", "사업유형 코드", "Track code", "id", 11),
    _c("evaluator", "평가위원번호", "Evaluator ID", "id", 11),
    _c("criterion", "평가항목코드", "Criterion", "id", 16),
    _c("criterion_name", "평가항목", "Criterion name", "text", 28),
    _c("weight", "가중치", "Weight", "points", 8),
    _c("max_points", "배점", "Maximum points", "points", 8),
    _c("value", "점수", "Value", "points", 8),
    _c("level", "등급", "Level", "id", 8),
    _c("level_label", "등급명", "Level label", "text", 8),
    _c("comment", "의견", "Comment", "text", 40),
    _c("state", "평가 상태", "Evaluation state", "id", 11),
    _c("abstained", "기권", "Abstained", "bool", 9),
    _c("conflict_type", "이해충돌", "Conflict", "id", 12),
    _c("finalised_at", "확정 일시", "Finalised at", "datetime", 20),
    _c("updated_at", "수정 일시", "Updated at", "datetime", 20),
    _c("version", "버전", "Version", "int", 8),
)

# --- progress --------------------------------------------------------------------------------------
PROGRESS_SUMMARY = (
    _c("track", "사업유형 코드", "Track code", "id", 12),
    _c("track_name", "사업유형", "Track", "text", 28),
    _c("applications", "신청 건수", "Applications", "int", 11),
    _c("assigned", "배정", "Assigned", "int", 9),
    _c("visited", "현장방문", "Visited", "int", 9),
    _c("finalised", "평가 확정", "Finalised", "int", 9),
    _c("remaining", "남은 평가", "Remaining", "int", 9),
    _c("finalised_share", "확정 비율", "Finalised share", "percent", 10),
)
PROGRESS_EVALUATORS = (
    _c("evaluator", "평가위원번호", "Evaluator ID", "id", 11),
    _c("name", "성명", "Name", "text", 14),
    _c("organisation", "소속", "Organisation", "text", 28),
    _c("assigned", "배정", "Assigned", "int", 9),
    _c("visited", "현장방문", "Visited", "int", 9),
    _c("started", "작성 중", "In progress", "int", 9),
    _c("finalised", "평가 확정", "Finalised", "int", 9),
    _c("abstained", "기권", "Abstained", "int", 9),
    _c("conflicts", "이해충돌", "Conflicts", "int", 9),
    _c("remaining", "남은 평가", "Remaining", "int", 9),
    _c("finalised_share", "확정 비율", "Finalised share", "percent", 10),
)
PROGRESS_APPLICATIONS = (
    _c("application_id", "접수번호", "Application ID", "id", 14),
    _c("track", "사업유형 코드", "Track code", "id", 11),
    _c("title", "사업명", "Project title", "text", 36),
    _c("district", "자치구", "District", "text", 10),
    _c("assigned", "배정", "Assigned", "int", 9),
    _c("visited", "현장방문", "Visited", "int", 9),
    _c("finalised", "평가 확정", "Finalised", "int", 9),
    _c("abstained", "기권", "Abstained", "int", 9),
    _c("conflicts", "이해충돌", "Conflicts", "int", 9),
    _c("remaining", "남은 평가", "Remaining", "int", 9),
    _c("complete", "평가 완료", "Complete", "bool", 9),
)

# --- score template (paper fallback) ---------------------------------------------------------------
SCORE_TEMPLATE = (
    _c("application_id", "접수번호", "Application ID", "id", 14),
    _c("evaluator", "평가위원번호", "Evaluator ID", "id", 11),
    _c("track", "사업유형 코드", "Track code", "id", 11),
    _c("title", "사업명", "Project title", "text", 32),
    _c("criterion", "평가항목코드", "Criterion", "id", 16),
    _c("criterion_name", "평가항목", "Criterion name", "text", 28),
    _c("max_points", "배점", "Maximum points", "points", 8),
    _c("allowed", "입력 가능 값", "Allowed values", "text", 18),
    _c("level", "등급", "Level", "id", 8),
    _c("value", "점수", "Value", "points", 8),
    _c("comment", "의견", "Comment", "text", 40),
    _c("version", "버전", "Version", "int", 8),
)

# --- intake template --------------------------------------------------------------------------------
INTAKE = (
    _c("id", "접수번호", "Application ID", "id", 14),
    _c("track", "사업유형", "Track", "text", 26),
    _c("category", "분야", "Category", "text", 20),
    _c("title", "사업명", "Project title", "text", 36),
    _c("group_name", "단체명", "Group name", "text", 22),
    _c("representative", "대표자", "Representative", "text", 10),
    _c("phone", "연락처", "Phone", "phone", 15),
    _c("email", "이메일", "Email", "text", 26),
    _c("district", "자치구", "District", "text", 10),
    _c("neighbourhood", "행정동", "Neighbourhood", "text", 12),
    _c("address", "주소", "Address", "text", 36),
    _c("members", "참여인원", "Members", "int", 9),
    _c("requested_amount", "신청금액", "Requested amount", "krw", 15),
    _c("self_contribution", "자부담", "Self-contribution", "krw", 15),
    _c("summary", "사업개요", "Summary", "text", 48),
    _c("submitted_on", "접수일", "Submitted on", "date", 12),
)

#: the sheets' titles: stable key -> Korean title (in English the key is the title; a ranking's
#: track sheet is titled by the track's code in English and its Korean name in Korean)
SHEET_TITLES_KO: dict[str, str] = {
    "summary": "요약",
    "contacts": "연락처",
    "scores": "점수",
    "evaluators": "평가위원별",
    "applications": "신청별",
}


def sheet_title(key: str, lang: str = "ko") -> str:
    return SHEET_TITLES_KO.get(key, key) if lang == "ko" else key


#: every data sheet layout, by export kind (for the docs test and the _meta sheet)
LAYOUTS: dict[str, dict[str, tuple[Col, ...]]] = {
    "ranking": {"summary": RANKING_SUMMARY, "<track>": RANKING_TRACK, "contacts": CONTACTS},
    "scores": {"scores": SCORES},
    "progress": {"summary": PROGRESS_SUMMARY, "evaluators": PROGRESS_EVALUATORS,
                 "applications": PROGRESS_APPLICATIONS},
    "template-scores": {"scores": SCORE_TEMPLATE},
    "template-intake": {"applications": INTAKE},
}
