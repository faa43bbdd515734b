"""Exports follow the umask: a workbook or a PDF the office writes is readable by whoever a new file
of the user's would be readable by (it was 0600, so a colleague on a shared folder could not open
the committee summary), and a half-written file is never readable by others."""

from __future__ import annotations

import os
import stat

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


@pytest.fixture
def umask():
    old = os.umask(0o022)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_exports_and_reports_get_the_mode_of_a_new_file(demo_store, tmp_path, umask, mask):
    umask(mask)
    workbook = tmp_path / "ranking.xlsx"
    demo_store.excel.export_ranking(workbook)
    summary = tmp_path / "summary.pdf"
    demo_store.reports.summary(summary)
    expected = 0o666 & ~mask
    assert _mode(workbook) == expected
    assert _mode(summary) == expected


def test_a_private_output_stays_private(tmp_path, umask):
    from evaluator.outfile import atomic_output

    umask(0o022)
    target = tmp_path / "secret.bin"
    with atomic_output(target, private=True) as tmp:
        tmp.write_bytes(b"x")
        assert _mode(tmp) == 0o600  # while it is being written, too
    assert _mode(target) == 0o600
