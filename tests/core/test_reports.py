"""PDF score sheets and reports, read back with pypdf: text, fonts, pages, DRAFT marks, escaping.

The documents are built once per module from a copy of the demo database with hostile text added
(markup-like titles, groups, comments and override reasons), then inspected page by page.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from evaluator.cli import main
from evaluator.errors import Cancelled, NotFound, ValidationError
from evaluator.jobs import CancelToken
from evaluator.store import Store
from tests.core.reports_fixtures import (
    DEMO_HOSTILE_GROUP, DEMO_HOSTILE_ID, DEMO_HOSTILE_TITLE, FINGERPRINT, HOSTILE_COMMENT, HOSTILE_GROUP,
    HOSTILE_REASON, HOSTILE_TITLE, add_attachment, fonts, image_count, make_hostile, png_bytes, read_pdf,
    render_page, squash,
)

SUBSET_FONT = re.compile(r"^/[A-Z]{6}\+NanumGothic(Bold)?$")


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    """A demo copy with hostile text, a draft evaluation, an override and photos."""
    folder = tmp_path_factory.mktemp("reports")
    db = folder / "demo.sqlite3"
    shutil.copyfile(demo_template, db)
    store = Store(f"sqlite:///{db}")
    info = make_hostile(store)
    store.ranking.override("2012-A-014", "selected", HOSTILE_REASON)
    store.ranking.record()  # the committee's ranking of record, which the documents print
    add_attachment(store, DEMO_HOSTILE_ID, "EV02", "입구 <사진>.png", png_bytes((210, 210, 210)), "image/png",
                   caption="간판 & <b>입구</b>")
    add_attachment(store, DEMO_HOSTILE_ID, None, "room.png", png_bytes((120, 150, 120), (300, 500)), "image/png")
    add_attachment(store, DEMO_HOSTILE_ID, "EV03", "계획서.pdf", b"%PDF-1.4 not really", "application/pdf")
    add_attachment(store, DEMO_HOSTILE_ID, "EV03", "broken.jpg", b"\xff\xd8\xff\xe0 truncated", "image/jpeg")
    out = folder / "out"
    out.mkdir()
    docs = {
        "blank_kit": store.reports.blank_sheets(out / "blank-ev01.pdf", evaluator="EV01"),
        "blank_one": store.reports.blank_sheets(out / "blank-one.pdf", application_ids=[DEMO_HOSTILE_ID]),
        "filled": store.reports.filled_sheets(out / "filled.pdf", application_ids=[info["app"], DEMO_HOSTILE_ID]),
        "aggregate": store.reports.aggregate(out / "aggregate.pdf", application_ids=["2012-A-007", info["app"]]),
        "summary": store.reports.summary(out / "summary.pdf"),
        "summary_en": store.reports.summary(out / "summary-en.pdf", lang="en"),
        "dossier": store.reports.dossier(out / "dossier.pdf", application_id=DEMO_HOSTILE_ID, include_personal=True,
                                         reason="심사위원회 회의 자료"),
    }
    yield {"store": store, "docs": docs, "info": info, "out": out}
    store.close()


@pytest.fixture(scope="module")
def pdfs(world):
    return {k: read_pdf(p) for k, p in world["docs"].items()}


def page_numbers_are_right(pdf, pages=None) -> None:
    n = len(pdf)
    for i in (range(n) if pages is None else pages):
        text = pdf.page(i)
        assert re.search(rf"\b{i + 1} / {n}쪽", text) or f"Page {i + 1} of {n}" in text, (i + 1, n)


# --- every document ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["blank_kit", "blank_one", "filled", "aggregate", "summary", "summary_en", "dossier"])
def test_every_page_has_header_footer_and_page_x_of_y(pdfs, world, kind):
    pdf = pdfs[kind]
    assert len(pdf), kind
    sample = sorted({0, 1, len(pdf) // 2, len(pdf) - 1} & set(range(len(pdf))))  # pypdf is slow: a sample
    page_numbers_are_right(pdf, sample)
    program = "Seoul Community Building Project" if kind.endswith("_en") else "서울시 마을공동체 만들기 사업"
    ids = set()
    for text in (pdf.page(i) for i in sample):
        assert program in text
        ids.update(re.findall(r"(?:문서번호|Document ID) ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", text))
        assert re.search(r"(생성|Generated) \d{4}-\d\d-\d\d \d\d:\d\d", text)
    assert len(ids) == 1, "one document ID, printed on every page"
    assert not list(world["out"].glob("*.part")), "no temporary files left behind"


@pytest.mark.parametrize("kind", ["blank_one", "filled", "aggregate", "summary", "dossier"])
def test_korean_font_is_embedded_as_a_subset(world, kind):
    found = fonts(world["docs"][kind])
    assert found, "the document uses fonts"
    for name, embedded in found.items():
        assert SUBSET_FONT.match(name), f"{name} is not a Nanum Gothic subset"
        assert embedded, f"{name} is not embedded (/FontFile2)"
    assert any("Bold" in n for n in found) and any("Bold" not in n for n in found)


@pytest.mark.parametrize("kind", ["blank_one", "filled", "aggregate", "summary", "dossier"])
def test_a_page_of_each_document_renders(world, kind, tmp_path):
    render_page(world["docs"][kind], tmp_path, page=1)


# --- score sheets -----------------------------------------------------------------------------------
def test_blank_kit_has_one_sheet_per_assigned_application_with_the_evaluator_named(world, pdfs):
    store = world["store"]
    assigned = sorted(a.application_id for a in store.people.assignments(evaluator="EV01") if a.conflict_type is None)
    pdf = pdfs["blank_kit"]
    # each sheet begins on its own page, in application-ID order, and fills two pages
    assert len(pdf) == 2 * len(assigned)
    for k in sorted({0, 1, len(assigned) // 2, len(assigned) - 1}):
        app_id = assigned[k]
        first, second = pdf.page(2 * k), pdf.page(2 * k + 1)
        assert "현장 평가표" in first and "평가위원 작성용" in first
        assert app_id in first and "김서연" in first and "EV01" in first
        assert f"{app_id} (계속)" in second
        assert "DRAFT" not in first + second


def test_blank_sheet_matches_the_score_template_layout(world, pdfs):
    store = world["store"]
    text = pdfs["blank_one"].text
    rubric = store.programs.rubric("activity")
    flat = squash(text)
    for c in rubric.criteria:  # every criterion in rubric order, with its code, maximum and levels
        assert c.code in text
        assert squash(c.name_ko) in flat
        for lv in rubric.levels:
            assert squash(c.describe_level(lv.key)) in flat
    positions = [flat.index(squash(c.name_ko)) for c in rubric.criteria]
    assert positions == sorted(positions)
    for label in ("수 20점", "우 16점", "미 12점", "양 8점", "가 4점", "배점", "가중치", "점수", "의견", "합계"):
        assert label in text, label
    for item in rubric.checklist:
        assert squash(item.name_ko) in flat
    for label in ("평가위원 성명", "서명", "작성일", "종합 의견", "현장 확인 사항"):
        assert label in text
    assert "activity · " + rubric.version in text
    # the demo's hostile title and group print literally
    assert DEMO_HOSTILE_TITLE in text and DEMO_HOSTILE_GROUP in text


def test_filled_sheets_mark_drafts_and_print_finalisation_and_fingerprint(world, pdfs):
    info = world["info"]
    pdf = pdfs["filled"]
    store = world["store"]
    sheets = [(a.application_id, a.evaluator) for app in (info["app"], DEMO_HOSTILE_ID)
              for a in store.people.assignments(application_id=app) if a.conflict_type is None]
    assert sorted(sheets) == sorted(set(sheets))
    draft_label = f"{info['app']} · {info['draft']}"
    for i, text in enumerate(pdf.pages):
        is_draft = draft_label in text
        assert ("DRAFT" in text) == is_draft, (i, text[-200:])
    draft_pages = pdf.pages_with(draft_label)
    assert draft_pages, "the reopened evaluation has its sheet"
    render_page(world["docs"]["filled"], world["out"], page=draft_pages[0] + 1)  # the watermark renders cleanly
    finalised_pages = [t for t in pdf.pages if draft_label not in t]
    assert all("DRAFT" not in t for t in finalised_pages)
    commented = "\n".join(pdf.pages[i] for i in pdf.pages_with(f"{info['app']} · {info['commented']}"))
    assert "확정 일시" in commented and FINGERPRINT in commented
    assert squash(HOSTILE_COMMENT) in squash(commented)
    assert HOSTILE_TITLE in commented and HOSTILE_GROUP in commented
    # the demo's own evaluations were entered without a package: said so, not left blank
    assert "결과 패키지 없음" in "\n".join(pdf.pages[i] for i in pdf.pages_with(f"{DEMO_HOSTILE_ID} · "))
    # every sheet has its evaluator's points and the total
    ev = store.scoring.evaluation(DEMO_HOSTILE_ID, "EV02")
    assert f"{ev.total:.2f}" in "\n".join(pdf.pages[i] for i in pdf.pages_with(f"{DEMO_HOSTILE_ID} · EV02"))


def test_filled_sheets_for_an_unknown_evaluator_or_nothing_to_print_fail_clearly(world, tmp_path):
    store = world["store"]
    with pytest.raises(NotFound, match="evaluator 'EV99'"):
        store.reports.filled_sheets(tmp_path / "x.pdf", evaluator="EV99")
    with pytest.raises(NotFound, match="no application 'NOPE'"):
        store.reports.blank_sheets(tmp_path / "x.pdf", application_ids=["NOPE"])
    with pytest.raises(ValidationError, match="language"):
        store.reports.blank_sheets(tmp_path / "x.pdf", lang="fr")
    assert not (tmp_path / "x.pdf").exists() and not list(tmp_path.glob("*.part"))


def test_before_visits_there_are_no_filled_sheets_but_blank_ones_work(demo_before_visits_store, tmp_path):
    with pytest.raises(NotFound, match="no evaluations to print"):
        demo_before_visits_store.reports.filled_sheets(tmp_path / "x.pdf", track="space")
    path = demo_before_visits_store.reports.blank_sheets(tmp_path / "space.pdf", track="space")
    pdf = read_pdf(path)
    assert len(pdf) == 2 * 24
    assert "2012-S-024" in pdf.page(46)
    assert "0–15" in pdf.page(0) + pdf.page(1)  # the points-scored criterion shows its range, no tick boxes


def test_a_very_long_comment_moves_below_the_grid_and_prints_in_full(demo_store, tmp_path):
    long = ("아주 긴 의견입니다 <b>&</b> " * 160).strip()
    demo_store.scoring.reopen("2012-A-001", "EV03", "add detail")
    demo_store.scoring.save_score("2012-A-001", "EV03", "need", level="u", comment=long)
    path = demo_store.reports.filled_sheets(tmp_path / "long.pdf", application_ids=["2012-A-001"], evaluator="EV03")
    pdf = read_pdf(path)
    assert "의견 전문" in pdf.text and "의견이 길어" in pdf.text
    assert squash(long) in squash(pdf.text)
    assert all("DRAFT" in t for t in pdf.pages)  # reopened: a draft on every page
    page_numbers_are_right(pdf)


# --- aggregate sheet ----------------------------------------------------------------------------------
def test_aggregate_sheet_shows_every_evaluator_recusals_decision_and_signatures(world, pdfs):
    pdf = pdfs["aggregate"]
    assert len(pdf) == 2
    page = pdf.pages[0]
    assert "평가 집계표" in page and "2012-A-007" in page
    for code in ("EV01", "EV02", "EV04", "EV05"):
        assert code in page
    assert "회피(이해충돌)" in page and "제외" in page
    assert squash("평가위원이 신청 단체 대표자와 친족 관계임") in squash(page)
    for label in ("집계 방식", "평균", "결과 점수", "점수 편차", "결정", "사유", "위원장", "위원", "서명"):
        assert label in page, label
    hostile = pdf.pages[1]
    assert HOSTILE_TITLE in hostile and HOSTILE_GROUP in hostile
    row = next(r for r in world["store"].ranking.rank(stability=False).all_rows() if r.application_id == "2012-A-007")
    assert f"{row.score:.2f}" in page


# --- committee summary --------------------------------------------------------------------------------
def test_summary_has_ranked_tracks_cut_lines_overrides_counts_and_sign_off(world, pdfs):
    pdf = pdfs["summary"]
    text = pdf.text
    ranking = world["store"].ranking.rank(stability=False)
    for tr in ranking.tracks:
        assert tr.name_ko in text
        computed = sum(1 for r in tr.rows if r.computed_decision == "selected")  # the override is marked apart
        assert f"위 {computed}건 선정 (정원 {tr.quota}건)" in text
    assert text.count("선정 기준선") == 2 and text.count("예비 기준선") == 2
    for row in ranking.all_rows():
        assert row.application_id in text
    # the override, its hostile reason printed literally, marked in the table
    assert squash(HOSTILE_REASON) in squash(text)
    assert "선정 *" in text
    for label in ("신청", "적격", "선정 금액", "예비", "점수 분포", "평가위원 성향", "심사위원회 의결"):
        assert label in text, label
    assert "260,700,000원" in text or "원" in text  # KRW amounts
    assert re.search(r"\d{1,3}(,\d{3})+원", text)
    assert DEMO_HOSTILE_TITLE in text
    assert squash("크리펜도르프 알파(등간)") in squash(text) and "Krippendorff" not in text  # reliability, in Korean


def test_summary_in_english(pdfs):
    text = pdfs["summary_en"].text
    for label in ("Committee summary", "Cut line", "Reserve line", "Committee sign-off", "Ranked list",
                  "Community activity support", "KRW ", "PROVISIONAL · INCOMPLETE", "not for signature"):
        assert label in text, label
    assert "선정 기준선" not in text
    assert "Krippendorff's alpha (interval)" in text


def test_an_unfinished_round_prints_a_provisional_banner_on_every_page_and_no_signature_block(world, pdfs):
    """One evaluation is a draft again (make_hostile reopened it): the summary is not for signing."""
    pdf = pdfs["summary"]
    n = sum(1 for a in world["store"].people.assignments() if a.conflict_type is None)
    banner = f"잠정 · 미완료 — 평가 {n}건 중 1건 미확정(신청 1건) · 서명용이 아닙니다"
    for i in range(len(pdf)):
        assert banner in pdf.page(i), i
    assert "위원장" not in pdf.text and "서명란은 배정된 모든 평가가 확정된 뒤에 인쇄됩니다" in pdf.text
    page_numbers_are_right(pdf)


def test_mid_round_the_summary_counts_what_is_missing(demo_before_visits_store, tmp_path):
    """5 evaluations finalised out of all the assigned ones: the banner gives both counts; a track
    chosen counts that track only."""
    store = demo_before_visits_store
    pairs = [(a.application_id, a.evaluator) for a in store.people.assignments() if a.conflict_type is None]
    for app_id, ev in pairs[:5]:
        rubric = store.programs.rubric(store.applications.get(app_id).track)
        for c in rubric.criteria:
            store.scoring.save_score(app_id, ev, c.code, level=rubric.levels[0].key)
        store.scoring.finalise(app_id, ev)
    pdf = read_pdf(store.reports.summary(tmp_path / "mid.pdf", lang="en"))
    banner = f"PROVISIONAL · INCOMPLETE — {len(pairs) - 5} of {len(pairs)} evaluations not finalised"
    assert all(banner in pdf.page(i) for i in range(len(pdf)))
    assert "Chair" not in pdf.text and "The signature block is printed once every assigned evaluation" in pdf.text
    track = store.applications.get(pairs[0][0]).track
    in_track = [p for p in pairs if store.applications.get(p[0]).track == track]
    done = sum(1 for p in pairs[:5] if p in in_track)
    one = read_pdf(store.reports.summary(tmp_path / "track.pdf", track=track, lang="en"))
    assert f"{len(in_track) - done} of {len(in_track)} evaluations" in one.page(0)


def test_a_complete_round_prints_the_signature_block_and_no_banner(demo_store, tmp_path):
    pdf = read_pdf(demo_store.reports.summary(tmp_path / "done.pdf"))
    assert "잠정 · 미완료" not in pdf.text and "서명용이 아닙니다" not in pdf.text
    for label in ("심사위원회 의결", "위원장", "위원", "일자"):
        assert label in pdf.text, label


def test_a_summary_printed_before_any_ranking_is_recorded_does_not_claim_a_change(demo_store, tmp_path):
    """The demo has never been ranked: the banner says the decisions are not recorded yet, not that
    scores or settings changed since a recording that never happened; once recorded, no banner."""
    pdf = read_pdf(demo_store.reports.summary(tmp_path / "before.pdf", lang="en"))
    text = " ".join(pdf.text.split())
    assert "not the decisions of record (none are recorded yet, or scores or settings changed since they were)" \
        in text
    assert "changed since the ranking was recorded" not in text
    demo_store.ranking.record()
    after = " ".join(read_pdf(demo_store.reports.summary(tmp_path / "after.pdf", lang="en")).text.split())
    assert "not the decisions of record" not in after and "These are the decisions of record" in after


def test_the_leniency_chart_keeps_every_value_clear_of_the_names_and_the_frame():
    """A bar reaching near the axis's end left its value over the evaluator names (−8.7 on a ±10
    axis); the axis now leaves room for the value beside every bar's end."""
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from evaluator.reports import charts

    for values in ([("EV01", -2.6), ("EV02", 8.4), ("EV03", -0.3), ("EV04", 4.2), ("EV05", -8.7)],
                   [("EV01", 9.96), ("EV02", -0.1)], [("EV01", -4.9), ("EV02", None)], [("EV01", 0.0)]):
        d = charts.leniency(values, width=260, height=110, title="t")
        bc = next(c for c in d.contents if hasattr(c, "valueAxis"))
        texts = [c for c in d.contents if isinstance(c, String) and c.text != "t"]
        assert len(texts) == len(values)
        for t in texts:
            w = stringWidth(t.text, t.fontName, t.fontSize)
            left = t.x - w if t.textAnchor == "end" else t.x
            assert bc.x <= left and left + w <= bc.x + bc.width, (values, t.text)


def test_long_summary_tables_split_with_repeated_headers(tmp_path):
    """A hand-made 300-row ranking: every page of the table repeats its header, no row is lost."""
    from datetime import datetime

    from evaluator.reports.data import ProgramRecord
    from evaluator.reports.document import ReportDocument
    from evaluator.reports.labels import labels
    from evaluator.reports.summary import summary_story
    from tests.core.reports_fixtures import hand_ranking

    ranking = hand_ranking(300)
    story = summary_story(ProgramRecord("t", "시험 사업", "Test program", {}), ranking, "ko")
    doc = ReportDocument(tmp_path / "long.pdf", kind="summary", title="심사 결과 총괄표", program="시험 사업",
                         labels=labels("ko"), generated=datetime.now().astimezone(), doc_id="TEST-0000-0001")
    pdf = read_pdf(doc.build(story))
    assert doc.pages == len(pdf) > 5
    table_pages = [t for t in pdf.pages if re.search(r"T-\d{5}", t)]
    assert len(table_pages) >= 5
    for t in table_pages:
        assert "접수번호" in t and "사업명 / 단체명" in t
    ids = re.findall(r"T-\d{5}", pdf.text)
    assert sorted(set(ids)) == [f"T-{i:05d}" for i in range(1, 301)]
    assert pdf.text.count("선정 기준선") == 1 and "긴 목록 사업 1호 <b>&</b>" in pdf.text
    page_numbers_are_right(pdf)


def test_reports_read_the_same_from_postgresql_and_sqlite(any_db_url, tmp_path):
    from tests.core.reports_fixtures import small_program

    with Store(any_db_url) as store:
        small_program(store)
        filled = read_pdf(store.reports.filled_sheets(tmp_path / "f.pdf", application_ids=["S-1"]))
        assert len(filled) == 6
        for i in range(6):
            text = filled.page(i)
            assert ("DRAFT" in text) == ("S-1 · EV02" in text)
        assert HOSTILE_TITLE in filled.page(0) and squash(HOSTILE_COMMENT) in squash(filled.page(0))
        agg = read_pdf(store.reports.aggregate(tmp_path / "a.pdf", application_ids=["S-2"]))
        assert len(agg) == 1 and "회피(이해충돌)" in agg.page(0) and "친척 <관계> & 이웃" in agg.page(0)
        summary = read_pdf(store.reports.summary(tmp_path / "s.pdf", provisional=True))
        assert "잠정 결과" in summary.page(0) and "작은 시험 사업" in summary.page(0)


# --- dossier ------------------------------------------------------------------------------------------
def test_dossier_has_data_evaluations_visits_and_photos(world, pdfs):
    pdf = pdfs["dossier"]
    text = pdf.text
    store = world["store"]
    app = store.applications.get(DEMO_HOSTILE_ID)
    for value in (DEMO_HOSTILE_TITLE, DEMO_HOSTILE_GROUP, app.representative, app.email, "3,100,000원"):
        assert value in text, value
    assert squash(app.summary) in squash(text)  # "@휘경동 … <그림책> & 놀이 …" literally
    for a in store.people.assignments(application_id=DEMO_HOSTILE_ID):
        assert a.evaluator in text
    assert "현장 방문 기록" in text and "대표자 외" in text
    assert "입구 <사진>.png" in text and squash("간판 & <b>입구</b>") in squash(text)
    assert "계획서.pdf — 이미지가 아닌 첨부" in text
    assert "broken.jpg — 이미지를 읽을 수 없음" in text
    assert image_count(world["docs"]["dossier"]) == 2


def test_a_dossier_withholds_contact_data_and_attendees_unless_asked_with_a_reason(world, tmp_path):
    store = world["store"]
    app = store.applications.get(DEMO_HOSTILE_ID)
    text = read_pdf(store.reports.dossier(tmp_path / "plain.pdf", application_id=DEMO_HOSTILE_ID)).text
    for value in (app.representative, app.email, app.phone, "대표자 외"):
        assert value not in text, value
    assert DEMO_HOSTILE_GROUP in text and "비공개 (개인정보)" in text
    with pytest.raises(ValidationError, match="give the reason"):
        store.reports.dossier(tmp_path / "no-reason.pdf", application_id=DEMO_HOSTILE_ID, include_personal=True)
    assert not (tmp_path / "no-reason.pdf").exists()
    logged = store.privacy.access_log(subject=DEMO_HOSTILE_ID)
    plain = next(e for e in logged if e.fingerprint == _sha256(tmp_path / "plain.pdf"))
    assert plain.what == "dossier" and plain.fields == () and plain.reason == ""
    personal = next(e for e in logged if e.reason == "심사위원회 회의 자료")
    assert set(personal.fields) >= {"representative", "phone", "email", "address", "attendees"}


def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- progress, cancellation, CLI ----------------------------------------------------------------------
def test_progress_reaches_the_end_and_cancel_leaves_no_file(world, tmp_path):
    store = world["store"]
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    seen: list[float] = []
    store.reports.blank_sheets(tmp_path / "p.pdf", track="space", progress=lambda f, m="": seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen) and len(seen) > 24

    token = CancelToken()

    def cancel_midway(fraction: float, message: str = "") -> None:
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        store.reports.filled_sheets(tmp_path / "c.pdf", track="activity", progress=cancel_midway, cancel=token)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]


def test_cli_report_verbs(world, capsys, tmp_path):
    db = f"sqlite:///{world['store'].sqlite_path}"
    out = tmp_path / "s.pdf"
    assert main(["report", "summary", "--db", db, "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["path"] == str(out) and doc["bytes"] == out.stat().st_size > 10_000
    assert main(["--db", db, "report", "blank-sheets", "--evaluator", "EV02", "--application", "2012-A-024",
                 "--out", str(tmp_path / "b.pdf"), "--lang", "en"]) == 0
    assert "Wrote the blank-sheets PDF" in capsys.readouterr().out
    assert "Field score sheet" in read_pdf(tmp_path / "b.pdf").page(0)
    assert main(["report", "aggregate", "--db", db, "--track", "space", "--method", "median",
                 "--out", str(tmp_path / "a.pdf")]) == 0
    capsys.readouterr()
    assert len(read_pdf(tmp_path / "a.pdf")) == 24
    code = main(["report", "sheets", "--db", db, "--track", "nope", "--out", str(tmp_path / "n.pdf")])
    assert code != 0 and "no track 'nope'" in capsys.readouterr().err
    code = main(["report", "dossier", "--db", db, "--application", "2012-A-001", "--out", "/no/such/dir/d.pdf"])
    assert code != 0 and "does not exist" in capsys.readouterr().err


# --- formatting units ---------------------------------------------------------------------------------
def test_krw_and_escaping():
    from evaluator.reports.fmt import clean, esc, krw

    assert krw(5_000_000) == "5,000,000원" and krw(5_000_000, "en") == "KRW 5,000,000" and krw(None) == "—"
    assert esc("O<Brien & <b>") == "O&lt;Brien &amp; &lt;b&gt;"
    assert esc("a\r\nb\x00c") == "a<br/>bc"
    assert clean("x\ty\x07") == "x y"


def test_a_summary_with_another_method_is_a_labelled_what_if_that_stores_nothing(world, tmp_path):
    from sqlalchemy import select

    from evaluator.db.models import Decision

    store = world["store"]

    def stored():
        with store.uow.read() as s:
            return sorted(s.execute(select(Decision.application_id, Decision.computed, Decision.computed_method,
                                           Decision.computed_reason, Decision.computed_at)).all())

    before = stored()
    assert before and {row[2] for row in before} == {"trimmed"}  # the demo's program file: the trimmed mean
    ko = read_pdf(store.reports.summary(tmp_path / "median.pdf", method="median")).text
    en = read_pdf(store.reports.summary(tmp_path / "median-en.pdf", method="median", lang="en")).text
    assert squash("가정 분석(what-if): 집계 방식 '중앙값' 적용") in squash(ko)
    assert squash("저장된 결정은 바뀌지 않았습니다") in squash(ko)
    assert squash("What-if view: aggregated by 'median', while the program's method is 'trimmed mean (highest and lowest dropped)'") in squash(en)
    assert stored() == before
    assert "what-if" not in read_pdf(world["docs"]["summary"]).text


def test_the_korean_dossier_gives_the_stored_decision_reason_in_korean(demo_store, tmp_path):
    rows = demo_store.ranking.record(stability=False).value.track("activity").rows  # the decision of record
    row = next(r for r in rows if r.computed_decision == "reserve")
    ko = squash(read_pdf(demo_store.reports.dossier(tmp_path / "ko.pdf", application_id=row.application_id)).text)
    en = squash(read_pdf(demo_store.reports.dossier(tmp_path / "en.pdf", application_id=row.application_id,
                                                   lang="en")).text)
    assert squash(row.computed_reason_ko) in ko and squash(row.computed_reason) not in ko
    assert squash(row.computed_reason) in en and squash(row.computed_reason_ko) not in en
    # the settings changed since the stored ranking: the dossier still gives the decision of record's
    # reason (the stored one), in Korean — it renders what is stored, it does not rank again
    demo_store.ranking.set_settings(min_score=99)
    stale = squash(read_pdf(demo_store.reports.dossier(tmp_path / "stale.pdf",
                                                      application_id=row.application_id)).text)
    assert squash(row.computed_reason_ko) in stale
    # a reason stored by an earlier version is its English sentence: printed as it is, in both languages
    from sqlalchemy import select, update

    from evaluator.db.models import Application, Decision

    old = "rank 11 of 23; score 64.8; quota 10 filled; first reserve"
    with demo_store.uow.write() as s:
        s.execute(update(Decision).values(computed_reason=old).where(
            Decision.application_id == select(Application.id)
            .where(Application.external_id == row.application_id).scalar_subquery()))
    for lang in ("ko", "en"):
        text = squash(read_pdf(demo_store.reports.dossier(tmp_path / f"old-{lang}.pdf", lang=lang,
                                                         application_id=row.application_id)).text)
        assert squash(old) in text and '"code"' not in text


def test_the_pdfs_call_the_program_a_call_not_a_project():
    """공모 is the city's call (the program); 사업 is an applicant's project (사업명, 사업개요): the
    labels that name the program say 공모, as the desktop app does."""
    from evaluator.reports.labels import labels

    L = labels("ko")
    assert L("f.program") == "공모" and L("dos.fields") == "공모의 접수 항목"
    assert "이 공모의 집계 방식은 '평균'" in L("whatif.banner", method="절사평균", program="평균")
    assert L("f.title") == "사업명"  # the applicant's project keeps its word
