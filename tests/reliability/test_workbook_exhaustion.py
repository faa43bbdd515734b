"""Crafted workbooks cannot exhaust the office (security/reliability issue, findings 6 and 7).

Each file is built here (:mod:`.crafted_xlsx`) and imported with ``evaluator import applications
--dry-run`` in a child process, exactly as a coordinator would run it.  The child's peak resident
memory is read from the kernel (the child's own ``VmHWM``, its high-water mark: not a sample and not a
timing) and must stay at or under 300 MB; its address space is capped at 2 GB so a regression fails
here instead of taking the machine's memory.  The outcome is exit 0, or exit 2 with one sentence
naming the file and the part, sheet or row — never "unexpected" (exit 70), never a traceback.

* 6 — the size and DTD guards looked only at parts named ``.xml/.rels/.vml``: a sheet part renamed
  ``sheet1.bin`` (content types and relationships updated) holding 300 MB of empty rows, the same
  packed a thousand to one, and a 100 MB shared-string table renamed ``.bin``.
* 7 — a workbook inside every cap (a 250 MiB sheet part, packed 15 to 1) with 37 million empty
  rows after its data: read to where the data ends, the rest searched, not parsed; the same with
  one data row at the very end (refused, naming that row).
* the same idea against the other readers that grew with their part: a shared-string table of
  millions of tiny strings, a stylesheet of millions of cell formats, and data rows every 4,999
  empty rows (runs too short to end the table, so every row is parsed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..core.packages_fixtures import copy_db
from .crafted_xlsx import intake_with, part_sizes, rows_for_bytes
from .support import full_run, record

MAX_RSS_MB = 300
ADDRESS_SPACE = 2 << 30
MB = 1 << 20

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child's memory is read with wait4 (Linux)")


@dataclass
class Run:
    code: int
    out: str
    err: str
    peak_mb: int


@pytest.fixture(scope="module")
def office(demo_before_visits_template, tmp_path_factory):
    return copy_db(demo_before_visits_template, tmp_path_factory.mktemp("exhaust") / "office.sqlite3")


#: the child: caps its address space, runs the command, and writes its own peak resident memory
#: (``VmHWM`` of its own address space: ``ru_maxrss`` from ``wait4`` also counts what the forked
#: child shared with this test process, several hundred MB late in a full run)
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from evaluator.cli import main
try:
    code = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as st, open(sys.argv[1], "w") as out:
        out.write(next(l.split()[1] for l in st if l.startswith("VmHWM:")))
sys.exit(code)
"""


def dry_run(office: Path, workbook: Path, tmp: Path) -> Run:
    """``evaluator import applications WORKBOOK --dry-run`` in a child; its own peak memory."""
    out, err, peak = tmp / "out.txt", tmp / "err.txt", tmp / "peak.txt"
    peak.unlink(missing_ok=True)
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD.format(cap=ADDRESS_SPACE), str(peak), "--db", f"sqlite:///{office}",
             "import", "applications", str(workbook), "--dry-run"],
            stdout=o, stderr=e, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    return Run(proc.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"),
               int(peak.read_text()) // 1024 if peak.exists() else 10**6)


def _refused(run: Run, *needles: str) -> str:
    assert run.code == 2, (run.code, run.err[-2000:])
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.err[-2000:]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def _clean(run: Run) -> None:
    assert "Traceback" not in run.err and "unexpected" not in run.err.lower(), run.err[-2000:]
    assert run.code != 70
    assert run.peak_mb <= MAX_RSS_MB, f"peak memory {run.peak_mb} MB (limit {MAX_RSS_MB} MB)"


def _check(name: str, workbook: Path, run: Run, **extra: int) -> None:
    _clean(run)
    size = max(u for u, _ in part_sizes(workbook).values())
    record(f"crafted workbook: {name}", trials=1, peak_rss_mb=run.peak_mb, largest_part_mb=size // MB,
           file_kb=workbook.stat().st_size // 1024, **extra)


# --- finding 6: guards by what a part is, not by its name ----------------------------------------
def test_a_sheet_renamed_bin_is_capped_as_a_worksheet(office, tmp_path):
    f = intake_with(tmp_path / "renamed.xlsx", blank=rows_for_bytes(300 * MB), sheet_part="xl/worksheets/sheet1.bin")
    run = dry_run(office, f, tmp_path)
    _refused(run, "renamed.xlsx", "its part xl/worksheets/sheet1.bin (a worksheet) unpacks to 300 MB (limit 256 MB)")
    _check("sheet part renamed .bin, 300 MB of empty rows (refused)", f, run)


def test_a_sheet_renamed_bin_packed_a_thousand_to_one_is_a_zip_bomb(office, tmp_path):
    f = intake_with(tmp_path / "packed.xlsx", blank=rows_for_bytes(200 * MB), sheet_part="xl/worksheets/data.bin",
                    noise=False, level=9)
    run = dry_run(office, f, tmp_path)
    _refused(run, "packed.xlsx looks like a zip bomb", "its part xl/worksheets/data.bin (a worksheet) unpacks")
    _check("sheet part renamed .bin, packed 1000:1 (refused)", f, run)


def test_a_shared_string_table_renamed_bin_is_capped_as_one(office, tmp_path):
    f = intake_with(tmp_path / "strings.xlsx", strings_part="xl/sharedStrings.bin", strings_bytes=100 * MB)
    run = dry_run(office, f, tmp_path)
    _refused(run, "strings.xlsx", "its part xl/sharedStrings.bin (the shared-string table) unpacks to",
             "(limit 64 MB)")
    _check("shared strings renamed .bin, 100 MB (refused)", f, run)


# --- finding 7: empty rows after the data ----------------------------------------------------------
def test_millions_of_empty_rows_after_the_data_read_in_bounded_memory(office, tmp_path):
    n = rows_for_bytes(250 * MB)
    f = intake_with(tmp_path / "tall.xlsx", blank=n)
    (size, packed), = [v for k, v in part_sizes(f).items() if k.endswith("sheet1.xml")]
    assert 250 * MB <= size < 256 * MB and size / packed < 250  # inside every documented cap
    run = dry_run(office, f, tmp_path)
    assert run.code == 0, run.err[-2000:]
    assert "would add 3" in run.out
    assert f"the data ends at row 6; rows 7 to {6 + n:,} are blank and were skipped" in run.out, run.out[-2000:]
    _check("37 million empty rows after the data (imported)", f, run, rows=n)


def test_data_at_the_bottom_of_millions_of_empty_rows_is_refused_by_its_row(office, tmp_path):
    n = rows_for_bytes(250 * MB)
    f = intake_with(tmp_path / "far.xlsx", blank=n, far_row=True)
    run = dry_run(office, f, tmp_path)
    _refused(run, "Sheet '접수현황' of far.xlsx", f"row {7 + n} holds data below a long run of blank rows (from row 7)")
    _check("37 million empty rows, then one data row (refused)", f, run, rows=n)


# --- the other readers ---------------------------------------------------------------------------------
def test_data_every_4999_rows_is_parsed_in_bounded_memory_and_stops_at_the_last_sheet_row(office, tmp_path):
    f = intake_with(tmp_path / "every.xlsx", blank=rows_for_bytes((250 if full_run() else 60) * MB), data_every=4999)
    run = dry_run(office, f, tmp_path)
    if full_run():  # 37 million rows: past the last row a spreadsheet has
        _refused(run, "Sheet '접수현황' of every.xlsx cannot be read: row 1,048,577 is past the last row")
    else:  # 9 million rows: the same
        _refused(run, "every.xlsx", "row 1,048,577 is past the last row a spreadsheet can have")
    _check("a data row every 4,999 empty rows (refused at row 1,048,577)", f, run)


def test_millions_of_tiny_shared_strings_stay_in_bounded_memory(office, tmp_path):
    size = (60 if full_run() else 12) * MB
    f = intake_with(tmp_path / "tiny.xlsx", strings_part="xl/sharedStrings.xml", strings_bytes=size)
    run = dry_run(office, f, tmp_path)
    assert run.code == 0 and "would add 3" in run.out, run.err[-2000:]
    _check(f"shared strings of {size // MB} MB, two characters each (imported)", f, run, strings=size // 17)


def test_millions_of_cell_formats_stay_in_bounded_memory(office, tmp_path):
    size = (15 if full_run() else 4) * MB
    f = intake_with(tmp_path / "styles.xlsx", styles_bytes=size)
    run = dry_run(office, f, tmp_path)
    assert run.code == 0 and "would add 3" in run.out, run.err[-2000:]
    _check(f"stylesheet of {size // MB} MB of bare cell formats (imported)", f, run, formats=size // 6)
