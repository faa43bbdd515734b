"""The remodelling social-housing call's fictional operators, and the intake workbook made from them.

``OPERATORS`` is the hand-computed table the tests check exactly: each row an application of round 2
(2017-07-01 – 2017-09-30, the cap rising from 150 to 200 million won on 2017-08-08) with the gate it
fails (or None) and its support amount worked out by hand: ``min(cost × rate rounded down to 1,000
won, the cap in force on the submission date, the requested amount)``.

``python -m tests.core.rules_fixtures`` writes ``resources/programs/examples/remodel-intake-2017.xlsx``
(the committed example; a test checks it holds exactly these rows).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook

from evaluator.paths import resource

PROGRAM = resource("programs", "seoul-remodel-social-housing-2017.toml")
INTAKE = resource("programs", "examples", "remodel-intake-2017.xlsx")

HEADER = ["접수번호", "사업유형", "분야", "사업명", "단체명", "대표자", "연락처", "이메일", "자치구", "신청금액", "접수일",
          "사업자 유형", "리모델링 실적", "사용승인", "소유자 동의서", "사업기간", "리모델링 공사비", "제안 임대료",
          "주변 시세"]


class Operator(NamedTuple):
    id: str
    name: str
    operator_type: str
    experience: str | None  # 예 / 아니오 / blank
    approved_on: date
    consent: str | None
    years: int
    cost: int
    proposed_rent: int
    market_rent: int | None
    requested: int
    submitted: date
    level: str  # the level every evaluator gives every criterion (sets the ranking order)
    fails: str | None  # the gate that fails, or None
    rate: float | None  # the rate applied (eligible ones)
    cap: int | None  # the cap in force
    awarded: int | None  # the hand-computed amount
    limited_by: str | None


M = 1_000_000
OPERATORS: tuple[Operator, ...] = (
    # eligible: each rate band, both caps, limited by the rate, the cap and the requested amount
    Operator("2017-2-R-01", "해오름주택협동조합", "주택협동조합", None, date(1998, 5, 10), "동의서 2017-041", 10,
             300 * M, 350_000, 500_000, 240 * M, date(2017, 8, 21), "수", None, 0.8, 200 * M, 200 * M, "cap"),
    Operator("2017-2-R-02", "청년둥지 사회적기업", "사회적기업", None, date(2000, 1, 15), "동의서 2017-042", 8,
             180 * M, 300_000, 400_000, 130 * M, date(2017, 7, 12), "우", None, 0.7, 150 * M, 126 * M, "rate"),
    Operator("2017-2-R-03", "다함께살림 비영리법인", "비영리법인", None, date(1995, 11, 30), "동의서 2017-043", 6,
             123_456_789, 280_000, 360_000, 100 * M, date(2017, 7, 20), "미", None, 0.6, 150 * M, 74_074_000, "rate"),
    Operator("2017-2-R-04", "가온리모델링(주)", "중소기업", "예", date(2001, 6, 1), "동의서 2017-044", 9,
             260 * M, 320_000, 420_000, 200 * M, date(2017, 7, 25), "수", None, 0.7, 150 * M, 150 * M, "cap"),
    Operator("2017-2-R-05", "두레살이주택협동조합", "주택협동조합", None, date(1999, 2, 2), "동의서 2017-045", 7,
             200 * M, 250_000, 340_000, 150 * M, date(2017, 9, 5), "우", None, 0.6, 200 * M, 120 * M, "rate"),
    Operator("2017-2-R-06", "새뜰 사회적기업", "사회적기업", None, date(1997, 4, 18), "동의서 2017-046", 10,
             150 * M, 260_000, 400_000, 100 * M, date(2017, 8, 10), "미", None, 0.8, 200 * M, 100 * M, "requested"),
    Operator("2017-2-R-14", "한울타리 비영리법인", "비영리법인", None, date(1996, 8, 8), "동의서 2017-054", 8,
             240 * M, 300_000, 380_000, 168 * M, date(2017, 8, 8), "우", None, 0.7, 200 * M, 168 * M, "rate"),
    # each gate failing once
    Operator("2017-2-R-07", "튼튼건설(주)", "중소기업", "아니오", date(1999, 3, 3), "동의서 2017-047", 8,
             200 * M, 300_000, 400_000, 140 * M, date(2017, 7, 3), "수", "operator", None, None, None, None),
    Operator("2017-2-R-08", "김개인", "개인", None, date(1999, 3, 3), "동의서 2017-048", 8,
             200 * M, 300_000, 400_000, 140 * M, date(2017, 7, 4), "우", "operator", None, None, None, None),
    Operator("2017-2-R-09", "모퉁이집 협동조합", "주택협동조합", None, date(2005, 3, 2), "동의서 2017-049", 8,
             200 * M, 300_000, 400_000, 140 * M, date(2017, 7, 14), "수", "building_age", None, None, None, None),
    Operator("2017-2-R-10", "이음채 사회적기업", "사회적기업", None, date(1990, 10, 1), None, 8,
             200 * M, 300_000, 400_000, 140 * M, date(2017, 7, 18), "우", "consent", None, None, None, None),
    Operator("2017-2-R-11", "나눔터 비영리법인", "비영리법인", None, date(1990, 10, 1), "동의서 2017-051", 5,
             200 * M, 300_000, 400_000, 140 * M, date(2017, 8, 1), "우", "period", None, None, None, None),
    Operator("2017-2-R-12", "볕드는집 협동조합", "주택협동조합", None, date(1990, 10, 1), "동의서 2017-052", 8,
             200 * M, 340_000, 400_000, 140 * M, date(2017, 8, 30), "우", "rent", None, None, None, None),
    Operator("2017-2-R-13", "마루 사회적기업", "사회적기업", None, date(1990, 10, 1), "동의서 2017-053", 8,
             200 * M, 300_000, None, 140 * M, date(2017, 9, 12), "미", "rent", None, None, None, None),
)


def intake_row(o: Operator) -> list[Any]:
    return [o.id, "리모델링형 사회주택", "고시원" if o.id[-1] in "02468" else "여관·모텔", f"{o.name} 청년 셰어하우스",
            o.name, "홍길동", "010-0000-0000", "office@example.org", "종로구", f"{o.requested:,}원", o.submitted,
            o.operator_type, o.experience, o.approved_on, o.consent, o.years, f"{o.cost:,}원", o.proposed_rent,
            o.market_rent]


def write_intake(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "접수현황"
    ws.append(["2017년 리모델링형 사회주택 상시공모 접수현황 (2차, 가상 자료)"])
    ws.append([])
    ws.append(HEADER)
    for o in OPERATORS:
        ws.append(intake_row(o))
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if hasattr(c.value, "year"):
                c.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


if __name__ == "__main__":  # pragma: no cover - writes the committed example
    print(write_intake(Path(INTAKE)))
