"""6. PDF: filled score sheets vs bare reportlab; the committee summary's growth 1k→4k rows."""

from __future__ import annotations

import inspect
import shutil
import subprocess
from pathlib import Path

from .data import copy_db, sqlite_url
from .harness import Context, NotAvailable, Spec, benchmark, compare, missing_methods, progress, ratio_goal

SHEETS = Spec(
    "pdf_filled_sheets", "PDF: filled score sheets", "s",
    ratio_goal(1.5, "≤ 1.5× bare reportlab drawing the same text with the same font"),
    app_label="Store.report_filled_sheets(pdf, application_ids=…): one sheet per application × evaluator",
    baseline_label="reportlab canvas: the same text lines (pdftotext of the app's PDF), same pages, NanumGothic "
                   "embedded (subset), drawString per line",
)
SUMMARY = Spec(
    "pdf_summary_growth", "PDF: committee summary, 4× the rows", "s",
    ratio_goal(4.5, "summary of 4,000 rows ÷ summary of 1,000 rows ≤ 4.5"),
    app_label="Store.report_summary on a 4,000-application program",
    baseline_label="Store.report_summary on a 1,000-application program (same code)",
)

FONT = "BenchNanumGothic"


def page_texts(pdf: Path) -> list[list[str]]:
    """The text lines of every page of a PDF (pdftotext, or pypdf when poppler is missing)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
        pages = out.decode("utf-8").split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]
    else:  # pragma: no cover - slow fallback
        from pypdf import PdfReader

        pages = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    return [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in pages]


def bare_pdf(out: Path, pages: list[list[str]]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from evaluator.paths import resource

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "NanumGothic.ttf"))))
    width, height = A4
    c = canvas.Canvas(str(out), pagesize=A4)
    for lines in pages:
        step = min(11.0, (height - 80) / max(1, len(lines)))
        y = height - 40
        c.setFont(FONT, 8)
        for ln in lines:
            c.drawString(40, y, ln)
            y -= step
        c.showPage()
    c.save()


def _kwargs(fn, **wanted):
    params = inspect.signature(fn).parameters
    return {k: v for k, v in wanted.items() if k in params}


@benchmark("pdf", order=60, specs=[SHEETS, SUMMARY], requires=("reports.filled_sheets",))
def run(ctx: Context):
    """PDF filled score sheets vs bare reportlab; committee summary growth 1k→4k rows."""
    from evaluator.store import Store

    results = []
    n_sheets = ctx.scale.pdf_sheets
    n_apps = -(-n_sheets // 3)
    d = ctx.tmpdir("pdf")
    store = Store(sqlite_url(copy_db(ctx.data.office_db(ctx.scale.apps), d, "office.sqlite3")))
    try:
        ids = store.applications.ids()[:n_apps]
        first = d / "sheets-probe.pdf"
        store.reports.filled_sheets(first, application_ids=ids)
        progress(f"  pdf: extracting the app's text for the baseline (untimed)")
        pages = page_texts(first)

        def app(rep):
            store.reports.filled_sheets(d / f"sheets-{rep}.pdf", application_ids=ids)

        def baseline(rep):
            bare_pdf(d / f"bare-{rep}.pdf", pages)

        a_t, b_t = compare(ctx, SHEETS.name, app, baseline, app_setup=lambda r: r, baseline_setup=lambda r: r)
        assert b_t is not None
        results.append(SHEETS.result(
            a_t.best, b_t.best, size={"sheets": 3 * n_apps, "applications": n_apps, "pages": len(pages)},
            samples={"app": a_t.samples, "baseline": b_t.samples},
            figures={"text_lines": sum(len(p) for p in pages), "app_ms_per_sheet": 1000 * a_t.best / (3 * n_apps),
                     "app_pdf_kb": first.stat().st_size / 1024,
                     "baseline_pdf_kb": (d / "bare-0.pdf").stat().st_size / 1024},
            notes="the baseline draws the text pdftotext reads back from the app's PDF, one line per drawString, "
                  "without the tables, rules and boxes the app draws",
        ))
    finally:
        store.close()

    missing = missing_methods(("reports.summary",))
    if missing:
        results.append(SUMMARY.not_available(f"Store.{', Store.'.join(missing)} does not exist yet"))
        return results
    small, large = ctx.scale.summary_rows
    timings = {}
    for n in (small, large):
        dn = ctx.tmpdir(f"summary{n}")
        st = Store(sqlite_url(copy_db(ctx.data.office_db(n), dn, "office.sqlite3")))
        try:
            def app_n(rep, st=st, dn=dn):
                st.reports.summary(dn / f"summary-{rep}.pdf")

            timings[n], _ = compare(ctx, f"pdf_summary@{n}", app_n, None, app_setup=lambda r: r)
        finally:
            st.close()
    results.append(SUMMARY.result(
        timings[large].best, timings[small].best, size={"small": small, "large": large},
        samples={"app": timings[large].samples, "baseline": timings[small].samples},
        notes="report_summary covers every track of the program; the rows are its applications",
    ))
    return results


_ = NotAvailable
