"""What the importers recognise: fields and their header aliases (BRIEF §5, case and spacing
insensitive — see :func:`evaluator.excel.normalise.header_key`).

Every field also answers to its own key (``requested_amount``) and to its column key and Korean
header in our own exports (``track`` / ``사업유형 코드``), so an exported sheet, English or Korean,
can be imported back.
"""

from __future__ import annotations

from .sheet import FieldSpec, Vocabulary

APPLICATION_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "접수번호", "Application ID",
              ("신청번호", "접수 번호", "application_id", "application no", "applicationno", "app id"), required=True),
    FieldSpec("track", "사업유형", "Track", ("지원유형", "지원트랙", "사업구분", "track code", "사업유형 코드"),
              required=True),
    FieldSpec("category", "분야", "Category", ("활동분야", "사업분야", "활동유형", "activity kind")),
    FieldSpec("title", "사업명", "Project title", ("사업 명칭", "사업제목", "title", "project", "project name"),
              required=True),
    FieldSpec("group_name", "단체명", "Group name", ("모임명", "공동체명", "단체 이름", "group", "organisation")),
    FieldSpec("representative", "대표자", "Representative", ("대표자명", "대표자 성명", "대표", "representative name")),
    FieldSpec("phone", "연락처", "Phone", ("전화번호", "휴대전화", "휴대폰", "대표 연락처", "telephone", "mobile")),
    FieldSpec("email", "이메일", "Email", ("전자우편", "e-mail", "메일", "email address")),
    FieldSpec("district", "자치구", "District", ("구", "소재 자치구", "gu", "district (gu)")),
    FieldSpec("neighbourhood", "행정동", "Neighbourhood", ("동", "소재 행정동", "neighborhood", "dong")),
    FieldSpec("address", "주소", "Address", ("소재지", "활동 장소", "사업장 주소")),
    FieldSpec("members", "참여인원", "Members", ("회원수", "구성원수", "참여 주민 수", "인원", "member count")),
    FieldSpec("requested_amount", "신청금액", "Requested amount",
              ("신청액", "지원신청액", "지원 신청 금액", "보조금 신청액", "requested", "requested amount (KRW)")),
    FieldSpec("self_contribution", "자부담", "Self-contribution",
              ("자부담금액", "자부담액", "자부담금", "self contribution (KRW)", "own contribution")),
    FieldSpec("summary", "사업개요", "Summary", ("사업내용", "사업 요약", "주요내용", "description")),
    FieldSpec("submitted_on", "접수일", "Submitted on", ("신청일", "접수일자", "신청일자", "submitted", "submission date")),
)
#: the round (차수) an application belongs to, when the sheet says (a program's rounds by code or name)
ROUND_SPEC = FieldSpec("round", "차수", "Round", ("접수차수", "공모차수", "심사차수", "round code"))
#: columns that are only row numbers: ignored, with a warning
SERIAL_HEADERS = ("연번", "순번", "번호", "No", "No.", "#", "일련번호", "row")

APPLICATIONS = Vocabulary(APPLICATION_SPECS, SERIAL_HEADERS)

ASSIGNMENT_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("evaluator", "평가위원번호", "Evaluator ID",
              ("평가위원코드", "위원번호", "위원코드", "평가위원 ID", "평가자번호", "evaluator code", "evaluator_id",
               "reviewer"), required=True),
    FieldSpec("name", "성명", "Name", ("이름", "평가위원명", "위원명", "평가위원", "evaluator name", "evaluator_name")),
    FieldSpec("organisation", "소속", "Organisation", ("소속기관", "기관", "organization", "affiliation")),
    FieldSpec("role", "구분", "Role", ("역할", "위원구분", "분야구분")),
    FieldSpec("email", "이메일", "Email", ("전자우편", "e-mail", "메일")),
    FieldSpec("district", "자치구", "District", ("거주 자치구", "활동 자치구", "지역", "gu")),
    FieldSpec("phone", "연락처", "Phone", ("전화번호", "휴대전화", "휴대폰", "telephone", "mobile")),
    FieldSpec("application_id", "접수번호", "Application ID", ("신청번호", "application")),
    FieldSpec("planned_visit_on", "방문예정일", "Planned visit",
              ("현장방문일", "방문일", "방문 예정", "현장평가일", "visit date", "planned visit on")),
    FieldSpec("conflict_type", "이해충돌", "Conflict",
              ("이해충돌유형", "이해충돌 유형", "제척", "회피", "제척·회피", "conflict type", "recusal")),
    FieldSpec("conflict_note", "이해충돌사유", "Conflict note",
              ("제척사유", "회피사유", "사유", "conflict reason", "note")),
)
ASSIGNMENTS = Vocabulary(ASSIGNMENT_SPECS, SERIAL_HEADERS)

SCORE_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("application_id", "접수번호", "Application ID", ("신청번호", "application"), required=True),
    FieldSpec("evaluator", "평가위원번호", "Evaluator ID", ("평가위원코드", "위원번호", "evaluator code"), required=True),
    FieldSpec("criterion", "평가항목코드", "Criterion", ("항목코드", "criterion code", "평가항목 코드"), required=True),
    FieldSpec("level", "등급", "Level", ("평가등급", "level key")),
    FieldSpec("value", "점수", "Value", ("points", "평점", "score")),
    FieldSpec("comment", "의견", "Comment", ("평가의견", "코멘트", "comments")),
    FieldSpec("version", "버전", "Version", ("score version",)),
    FieldSpec("conflict_type", "이해충돌", "Conflict", ("conflict type",)),
)
SCORES = Vocabulary(SCORE_SPECS, SERIAL_HEADERS)
