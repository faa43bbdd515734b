"""Helpers and fixtures for the PDF report tests: read PDFs back, look at fonts, render pages.

Import the fixtures into a test module with ``from tests.core.reports_fixtures import *``.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

#: hostile applicant text: reportlab markup and entities must print literally
HOSTILE_TITLE = "O<Brien & <font color='red'>Co</font> <img src=\"x.png\"/> 마을"
HOSTILE_GROUP = "A & B <b>모임</b> &amp; =SUM(1)"
HOSTILE_COMMENT = "<b>굵게</b> & <font size=40>크게</font> <img src=/etc/passwd> O<Brien"
HOSTILE_REASON = "위원회 판단: 현장 <확인> & 예산 조정 <b>필요</b>"
FINGERPRINT = "SHA256:7f3a9c1e2b4d5f60718293a4b5c6d7e8"
#: the demo application whose title and group are already hostile
DEMO_HOSTILE_ID = "2012-A-024"
DEMO_HOSTILE_TITLE = "엄마 & 아빠 <b>마을</b> 책놀이터"
DEMO_HOSTILE_GROUP = "=SUM(1,2) 마을모임"


def squash(text: str) -> str:
    """Text without whitespace (wrapped paragraphs break lines where the layout wants)."""
    return re.sub(r"\s+", "", text)


class Pdf:
    """A PDF read back with pypdf; page text is extracted on first use (pypdf is slow with
    many embedded font subsets, so tests read only the pages they look at)."""

    def __init__(self, path: Path) -> None:
        from pypdf import PdfReader

        self.path = Path(path)
        self._reader = PdfReader(str(path))
        self._text: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._reader.pages)

    def page(self, i: int) -> str:
        if i not in self._text:
            self._text[i] = self._reader.pages[i].extract_text() or ""
        return self._text[i]

    @property
    def pages(self) -> list[str]:
        return [self.page(i) for i in range(len(self))]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def pages_with(self, needle: str) -> list[int]:
        return [i for i, t in enumerate(self.pages) if needle in t]


def read_pdf(path: Path) -> Pdf:
    return Pdf(path)


def fonts(path: Path) -> dict[str, bool]:
    """Every font any page (or form XObject) uses: BaseFont -> has an embedded /FontFile2."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}

    def walk(resources, seen: set[int]) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for f in (resources.get("/Font") or {}).values():
            f = f.get_object()
            desc = f.get("/FontDescriptor")
            found[str(f.get("/BaseFont"))] = bool(desc is not None and "/FontFile2" in desc.get_object())
        for x in (resources.get("/XObject") or {}).values():
            ref = getattr(x, "idnum", None)
            x = x.get_object()
            if ref is not None and ref in seen:
                continue
            if ref is not None:
                seen.add(ref)
            if x.get("/Subtype") == "/Form":
                walk(x.get("/Resources"), seen)

    seen: set[int] = set()
    for page in PdfReader(str(path)).pages:
        walk(page.get("/Resources"), seen)
    return found


def image_count(path: Path) -> int:
    from pypdf import PdfReader

    n = 0
    for page in PdfReader(str(path)).pages:
        xo = (page.get("/Resources") or {}).get("/XObject") or {}
        n += sum(1 for x in xo.values() if x.get_object().get("/Subtype") == "/Image")
    return n


def render_page(pdf: Path, out_dir: Path, page: int = 1) -> Path:
    """Render one page to PNG with pdftoppm (60 dpi) into ``out_dir`` (a temporary directory)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm is not installed (poppler-utils); 'make test' installs it")
    stem = out_dir / f"{pdf.stem}-p{page}"
    proc = subprocess.run([exe, "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                           str(stem)], check=True, capture_output=True, timeout=120, text=True)
    assert "error" not in proc.stderr.lower(), f"poppler complains about {pdf.name} page {page}: {proc.stderr}"
    png = stem.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 2000
    return png


def png_bytes(color: tuple[int, int, int], size=(640, 480)) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, color)
    ImageDraw.Draw(im).rectangle([40, 40, size[0] - 40, size[1] - 40], outline=(0, 0, 0), width=10)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def add_attachment(store, application_id: str, evaluator: str | None, filename: str, data: bytes, media_type: str,
                   caption: str = "") -> None:
    from sqlalchemy import select

    from evaluator.db.models import Application, Attachment, Evaluator

    with store.uow.write() as s:
        app = s.execute(select(Application).where(Application.external_id == application_id)).scalar_one()
        ev = s.execute(select(Evaluator).where(Evaluator.code == evaluator)).scalar_one() if evaluator else None
        s.add(Attachment(application_id=app.id, evaluator_id=ev.id if ev else None, filename=filename,
                         media_type=media_type, sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data,
                         caption=caption))


def set_fingerprint(store, application_id: str, evaluator: str, fingerprint: str) -> None:
    """What a merged result package leaves on an evaluation."""
    from sqlalchemy import select

    from evaluator.db.models import Application, Assignment, Evaluation, Evaluator

    with store.uow.write() as s:
        e = s.execute(
            select(Evaluation).join(Assignment, Assignment.id == Evaluation.assignment_id)
            .join(Application, Application.id == Assignment.application_id)
            .join(Evaluator, Evaluator.id == Assignment.evaluator_id)
            .where(Application.external_id == application_id, Evaluator.code == evaluator)
        ).scalar_one()
        e.package_fingerprint = fingerprint


def make_hostile(store) -> dict:
    """Hostile text on 2012-S-005 (title, group), a hostile comment on one finalised evaluation,
    a reopened (draft) evaluation, a fingerprint and a committee override with a hostile reason."""
    app_id = "2012-S-005"
    store.applications.put({"id": app_id, "track": "space", "title": HOSTILE_TITLE, "group_name": HOSTILE_GROUP})
    asg = [a for a in store.people.assignments(application_id=app_id) if a.conflict_type is None]
    commented, draft = asg[0].evaluator, asg[1].evaluator
    rubric = store.programs.rubric(store.applications.get(app_id).track)
    crit = rubric.criteria[0]
    store.scoring.reopen(app_id, commented, "typo in a comment")
    ev = store.scoring.evaluation(app_id, commented)
    sc = next(s for s in ev.scores if s.criterion == crit.code)
    store.scoring.save_score(app_id, commented, crit.code, level=sc.level, points=None if sc.level else sc.points,
                     comment=HOSTILE_COMMENT)
    store.scoring.finalise(app_id, commented)
    set_fingerprint(store, app_id, commented, FINGERPRINT)
    store.scoring.reopen(app_id, draft, "second look after the visit")
    return {"app": app_id, "commented": commented, "draft": draft, "criterion": crit.code}


# --- a ranking built by hand (long tables, without the engine) -----------------------------------------
def hand_ranking(n_rows: int, *, track: str = "activity", quota: int = 10, reserve: int = 3,
                 provisional: bool = False):
    from evaluator.ranking.model import EvaluatorQuality, EvaluatorScore, RankedApplication, RankingResult, TrackRanking

    rows = []
    for i in range(n_rows):
        rank = i + 1
        decision = "selected" if rank <= quota else ("reserve" if rank <= quota + reserve else "not_selected")
        score = 95.0 - 60.0 * i / max(n_rows, 1)
        flags = ("disagreement",) if i % 7 == 3 else ()
        if rank == quota:
            flags = flags + ("cut_line",)
        rows.append(RankedApplication(
            application_id=f"T-{i + 1:05d}", track=track, title=f"긴 목록 사업 {i + 1}호 <b>&</b>",
            group_name=f"모임 {i + 1}", district="종로구", category="cafe", requested_amount=3_000_000 + i,
            submitted_on="2012-04-01", rank=rank, score=score, raw_score=score, normalized_score=score,
            method="mean", evaluations=3, spread=10.0, stddev=4.0, flags=flags, eligible=True, failed_gates=(),
            computed_decision=decision, decision=decision, reason=f"rank {rank} of {n_rows}",
            evaluators=(EvaluatorScore("EV01", score, score, "finalised", True),),
        ))
    tr = TrackRanking(track=track, name_ko="긴 목록 사업유형", name_en="Long track", quota=quota,
                      reserve_size=reserve, budget=None, min_score=60.0, method="mean", rows=tuple(rows),
                      evaluator_quality=(EvaluatorQuality("EV01", n_rows, 70.0, 1.5),
                                         EvaluatorQuality("EV02", n_rows, 60.0, -2.0)),
                      reliability=0.8, reliability_method="ICC(1,k)", selected=quota, reserve=reserve,
                      eligible=n_rows, budget_used=quota * 3_000_000, notes=("Score: mean.",))
    return RankingResult(program="test", method="mean", provisional=provisional, computed_at=datetime(2012, 5, 1, 9),
                         tracks=(tr,))


def small_program(store) -> None:
    """A small program (one track, three applications, three evaluators) for other databases:
    one evaluation left in draft, one recusal, hostile title and comment."""
    from evaluator.demo import default_rubrics
    from evaluator.services.programs import TrackSpec

    rubric = default_rubrics()["activity"]
    store.programs.create(code="small", name_ko="작은 시험 사업", name_en="Small test program",
                         tracks=[TrackSpec("activity", "주민모임 활동 지원", "Community activity support", rubric, 1, 1)])
    for code, name in (("EV01", "김하나"), ("EV02", "이둘"), ("EV03", "박셋")):
        store.people.put_evaluator(code, name)
    for i, title in enumerate((HOSTILE_TITLE, "골목 사랑방", "마을 텃밭"), 1):
        store.applications.put({"id": f"S-{i}", "track": "activity", "title": title, "group_name": HOSTILE_GROUP,
                               "district": "종로구", "members": 5, "requested_amount": 1_000_000 * i})
        for ev in ("EV01", "EV02", "EV03"):
            if (i, ev) == (2, "EV03"):
                store.people.declare_conflict(f"S-{i}", ev, "personal", "친척 <관계> & 이웃")
                continue
            store.people.assign(f"S-{i}", ev)
            for n, c in enumerate(rubric.criteria):
                level = rubric.levels[(i + n) % len(rubric.levels)].key
                store.scoring.save_score(f"S-{i}", ev, c.code, level=level, comment=HOSTILE_COMMENT if n == 0 else None)
            if (i, ev) != (1, "EV02"):
                store.scoring.finalise(f"S-{i}", ev)
