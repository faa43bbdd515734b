"""Helpers for the personal-data tests: an office whose one not-selected application's people are
named everywhere a name can go (comments, visit attendees and notes, a photo, its representative),
and a search of files for those names in every encoding they could be stored in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from evaluator.store import Store

#: fictional names and a photo's bytes, each unique in the demo, planted in one application
NAMES = ("박누구", "김아무개", "홍길순", "이아무개", "최아무개", "정아무개")
PHOTO_MARK = "PHOTO-MARKER-7731"
SIGNED_OFF = date(2012, 5, 1)
PROJECTS_END = date(2013, 12, 31)
#: a day when applicants not selected are past their year, and awardees are not
PURGE_DAY = date(2013, 6, 1)


def forms(text: str) -> list[bytes]:
    """``text`` as UTF-8, UTF-16 (both byte orders) and as JSON escapes (``\\ubc15…``)."""
    escaped = json.dumps(text)[1:-1]
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"), escaped.encode("ascii"),
            escaped.upper().replace("\\U", "\\u").encode("ascii")]


def found_in(path: Path, needles: tuple[str, ...] = NAMES + (PHOTO_MARK,)) -> list[str]:
    """Which of ``needles`` the bytes of ``path`` hold, in any of :func:`forms`."""
    if not path.exists():
        return []
    data = path.read_bytes()
    return [n for n in needles if any(f in data for f in forms(n))]


def sqlite_files(path: Path) -> list[Path]:
    return [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                        path.with_name(path.name + "-journal")) if p.exists()]


@dataclass
class Planted:
    application: str
    evaluator: str
    selected: list[str]


def plant(st: Store, tmp: Path | None = None) -> Planted:
    """Rank the demo, then name people everywhere in one application that is not selected."""
    result = st.ranking.record(stability=False).value
    rows = result.all_rows()
    target = next(r for r in rows if r.decision != "selected" and r.evaluations)
    app = target.application_id
    ev = next(a.evaluator for a in st.people.assignments(application_id=app) if not a.is_conflict and a.state)
    e = st.scoring.evaluation(app, ev)
    first = e.scores[0]
    st.scoring.reopen(app, ev, "정정")
    st.scoring.save_score(app, ev, first.criterion, level=first.level, points=None if first.level else first.points,
                          comment="박누구 대표님 댁에서 면담")
    st.scoring.set_comment(app, ev, "김아무개 씨가 안내함")
    st.scoring.save_visit(app, ev, attendees="홍길순, 이아무개", notes="최아무개 어르신 인터뷰")
    st.scoring.finalise(app, ev)
    st.scoring.add_attachment(app, ev, b"\xff\xd8\xff" + PHOTO_MARK.encode() + b"\x00" * 64,
                              filename="최아무개-집앞.jpg", caption="정아무개 님 대문")
    st.privacy.subject_correct(app, "representative", "홍길순", reason="신청서 오기 정정")
    st.ranking.record(stability=False)
    st.privacy.set_retention(signed_off_on=SIGNED_OFF, project_ends_on=PROJECTS_END)
    return Planted(app, ev, [r.application_id for r in rows if r.decision == "selected"])
