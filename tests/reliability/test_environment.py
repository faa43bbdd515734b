"""A broken environment gets one clear sentence — never "unexpected" (exit 70) or a traceback.

Each case is a real one: a damaged database file (cut in half; its header followed by zeros;
pages overwritten), file and folder names whose bytes are not UTF-8, a folder an ordinary user may
not write (the command runs as ``nobody`` in a forked child: root ignores permissions), a real full
disk (a small tmpfs, as root) and a file-size limit (``RLIMIT_FSIZE``, no root needed), a file held
open by a viewer on Windows (``os.replace`` refused, as Windows refuses it), ``--db`` values no
database takes, and SQLCipher's own log lines on a wrong passphrase.

Every refusal: a non-zero exit other than 70, stderr of ``error: …`` lines only (no traceback, no
"Exception ignored", no library noise), the database unchanged, no partial or new file left behind.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from evaluator.cli import main
from evaluator.errors import DatabaseDamaged, DatabaseError

from ..core.excel_fixtures import intake_rows, write_sheet
from ..core.packages_fixtures import PASS
from .support import dump_checksum, full_run, is_root, needs_fork, record, run_child_until, seeded, trials

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534


# --- helpers --------------------------------------------------------------------------------------
def changed_tables(db: Path, before: dict) -> list[str]:
    from .support import canonical_dump

    after = canonical_dump(db)
    return sorted(t for t in set(after) | set(before) if after.get(t) != before.get(t))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> set[bytes]:
    return set(os.listdir(os.fsencode(folder)))


def assert_clear(code: int, err: str, *, exit_code: int | None = None) -> str:
    """A refusal in one clear sentence: the shape every case below must have."""
    assert code not in (0, 70), (code, err)
    if exit_code is not None:
        assert code == exit_code, (code, err)
    for noise in ("unexpected", "Traceback", "Exception ignored", "ERROR CORE", "Logging error"):
        assert noise not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines and lines[0].startswith("error: "), err
    assert all(ln.startswith(("error: ", "  - ")) for ln in lines), err
    return err


def cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def run_cli(argv: list[str], *, env: dict | None = None, fsize: int | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess:
    """The command line in its own process (stderr whole: what the garbage collector prints at exit
    and what C libraries write to fd 2 included).  ``fsize`` caps the size of any file it writes."""

    def limit() -> None:
        import resource  # POSIX only, like the file-size limit itself

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    if fsize is not None and not hasattr(signal, "SIGXFSZ"):
        pytest.skip("a file-size limit needs POSIX (RLIMIT_FSIZE)")
    return subprocess.run([sys.executable, "-m", "evaluator", *argv], cwd=REPO, capture_output=True,
                          env={**os.environ, **(env or {})}, preexec_fn=limit if fsize is not None else None,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def _mount_tmpfs(d: Path, size: str) -> bool:
    if not is_root():
        return False
    d.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(d)],
                          capture_output=True).returncode == 0


def _umount(d: Path) -> None:
    if subprocess.run(["umount", str(d)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system holding ``folder`` until at most ``leave`` bytes are free."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
            try:
                os.write(fd, b"\0" * 4096)
            except OSError:
                break
    finally:
        os.close(fd)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (root only; skipped with the reason otherwise)."""
    d = tmp_path / "small-disk"
    if not _mount_tmpfs(d, "1m"):
        pytest.skip("a small real disk needs 'mount -t tmpfs' as root (the RLIMIT_FSIZE cases run anyway)")
    yield d
    _umount(d)


@pytest.fixture
def office(demo_template, tmp_path):
    """A copy of the demo office database with its office key (so kits can be exported) and its
    ranking stored (``export ranking`` stores the ranking it exports when none is stored yet — a
    decision record, not part of the file, so it is made here first)."""
    from evaluator.store import Store

    db = tmp_path / "office" / "office.sqlite3"
    db.parent.mkdir()
    shutil.copyfile(demo_template, db)
    with Store(f"sqlite:///{db}") as st:
        st.keys.ensure(PASS, key_dir=tmp_path / "keys")
        st.ranking.rank()
    return db


# --- 9. damaged database files --------------------------------------------------------------------
def _damage(src: Path, dst: Path, how: str, rng=None) -> Path:
    data = src.read_bytes()
    if how == "cut in half":
        data = data[: len(data) // 2]
    elif how == "header, then zeros":
        data = data[:100] + bytes(len(data) - 100)
    elif how == "first page, then zeros":
        data = data[:4096] + bytes(len(data) - 4096)
    elif how == "a page overwritten":
        page = rng.randrange(1, len(data) // 4096)
        junk = bytes(4096) if rng.random() < 0.5 else rng.randbytes(4096)
        data = data[: page * 4096] + junk + data[(page + 1) * 4096:]
    dst.write_bytes(data)
    return dst


COMMANDS = [["info"], ["applications", "--json"], ["rank", "--json"], ["export", "scores", "{out}/s.xlsx"],
            ["report", "summary", "--out", "{out}/s.pdf"], ["demo", "--if-missing"]]


@pytest.mark.parametrize("how", ["cut in half", "header, then zeros", "first page, then zeros"])
def test_a_damaged_database_says_so_and_what_to_do(how, demo_template, tmp_path, capsys):
    db = _damage(demo_template, tmp_path / "office.sqlite3", how)
    out = tmp_path / "out"
    out.mkdir()
    before = sha(db)
    for argv in COMMANDS:
        code, _, err = cli([a.replace("{out}", str(out)) for a in argv] + ["--db", str(db)], capsys)
        assert_clear(code, err, exit_code=DatabaseError.exit_code)
        assert f"The database file {db} is damaged" in err and "Restore it from a backup" in err, err
        assert "nothing was changed" in err
    assert sha(db) == before and not os.listdir(out)
    record("damaged database file: one sentence, file unchanged", trials=len(COMMANDS), inputs=len(COMMANDS))


def test_the_damaged_message_names_the_newest_backup_beside_the_file(demo_template, tmp_path, capsys):
    db = _damage(demo_template, tmp_path / "office.sqlite3", "cut in half")
    older, newer = tmp_path / "office.sqlite3.backup-0002-20261101-100000", tmp_path / "office.sqlite3.backup-0003-20261201-100000"
    shutil.copyfile(demo_template, older)
    shutil.copyfile(demo_template, newer)
    os.utime(older, (1_700_000_000, 1_700_000_000))
    code, _, err = cli(["info", "--db", str(db)], capsys)
    assert_clear(code, err)
    assert f"the newest backup beside it is {newer}" in err, err


def test_pages_overwritten_anywhere_give_the_data_or_the_damaged_sentence(demo_template, tmp_path, capsys):
    """A page of the file overwritten (zeros or noise) at random: each command works (SQLite never
    read the page) or refuses with the damaged-file sentence — never a traceback or exit 70."""
    rng, seed = seeded("overwritten pages")
    n = trials(4, 40)
    refused = worked = 0
    out = tmp_path / "out"
    out.mkdir()
    for i in range(n):
        db = _damage(demo_template, tmp_path / f"damaged-{i}.sqlite3", "a page overwritten", rng)
        for argv in (["info"], ["applications", "--json"], ["rank", "--json"], ["export", "scores", f"{out}/s{i}.xlsx"]):
            code, _, err = cli(argv + ["--db", str(db)], capsys)
            if code == 0:
                worked += 1
                continue
            assert code not in (0, 70), f"{argv[0]}: {err} (seed {seed})"
            assert_clear(code, err)
            assert "is damaged" in err or "not a Maeul Evaluator database" in err, f"{err} (seed {seed})"
            refused += 1
        db.unlink()
    record("damaged database file: a random page overwritten", trials=n, inputs=n * 4, refused=refused, worked=worked)


@pytest.mark.plain_sqlite
def test_a_stored_json_value_overwritten_in_place_is_the_damaged_sentence(demo_template, tmp_path, capsys):
    """A page overwritten inside a record leaves SQLite's structure whole but a JSON value garbage
    (found by the random-page check above with seed 31342129): the ranking refuses with the
    damaged-file sentence, not an "unexpected JSONDecodeError", and the file is left as it was."""
    import sqlite3

    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_template, db)
    con = sqlite3.connect(db)
    with con:  # same length, so the record's layout is kept: only its bytes are garbage
        con.execute("UPDATE rubric SET levels = substr(replace(hex(zeroblob(length(levels))), '0', '\x01'), 1, "
                    "length(levels))")
    con.close()
    before = sha(db)
    code, _, err = cli(["rank", "--json", "--db", str(db)], capsys)
    assert_clear(code, err, exit_code=DatabaseError.exit_code)
    assert f"The database file {db} is damaged (a stored value in it cannot be read)" in err, err
    assert sha(db) == before


def test_a_damaged_file_met_on_the_autosave_path_is_the_same_sentence(tmp_path):
    """The autosave runs on the driver's cursor: its DatabaseError must be translated too."""
    import sqlite3

    from evaluator.db.errors import translate_errors

    db = tmp_path / "field.sqlite3"
    with pytest.raises(DatabaseDamaged, match="is damaged .*Restore it from a backup"):
        with translate_errors(f"database {db}", db):
            raise sqlite3.DatabaseError("database disk image is malformed")


# --- 10. file names whose bytes are not UTF-8 -----------------------------------------------------
def _bad(folder: Path, name: bytes) -> str:
    """A path (as Python hands it over from argv) whose file name has the non-UTF-8 ``name``."""
    return os.fsdecode(os.fsencode(folder) + b"/" + name)


@pytest.fixture
def non_utf8_ok(tmp_path):
    probe = _bad(tmp_path, b"probe\xff")
    try:
        Path(probe).write_bytes(b"")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    os.unlink(probe)


def test_a_database_path_that_is_not_utf8_is_refused_and_nothing_is_created(non_utf8_ok, tmp_path, capsys):
    folder = tmp_path / "dbs"
    folder.mkdir()
    os.mkdir(os.fsencode(folder) + b"/dir\xfe")
    cases = [_bad(folder, b"office\xff.sqlite3"), _bad(folder, b"dir\xfe/new.sqlite3")]
    before = listing(folder)
    for db in cases:
        for argv in (["info"], ["demo"], ["init"]):
            code, _, err = cli(argv + ["--db", db], capsys)
            assert_clear(code, err, exit_code=DatabaseError.exit_code)
            assert "not UTF-8 text" in err and "\\xff" in err or "\\xfe" in err, err
    assert listing(folder) == before and os.listdir(os.fsencode(folder) + b"/dir\xfe") == []
    record("file names not UTF-8: --db refused, nothing created", trials=len(cases) * 3)


def test_workbooks_and_pdfs_with_names_that_are_not_utf8_work(non_utf8_ok, demo_before_visits_template, tmp_path,
                                                                capsys):
    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_before_visits_template, db)
    sheet = _bad(tmp_path, b"intake\xff.xlsx")
    write_sheet(Path(sheet), intake_rows(3, prefix="2012-U-"))
    code, out, err = cli(["import", "applications", sheet, "--dry-run", "--json", "--db", str(db)], capsys)
    assert code == 0, err
    json.loads(out)
    code, _, err = cli(["import", "applications", sheet, "--db", str(db)], capsys)
    assert code == 0, err
    code, out, _ = cli(["applications", "--json", "--db", str(db)], capsys)
    assert sum(1 for a in json.loads(out)["items"] if a["id"].startswith("2012-U-")) == 3
    for argv, name in ((["export", "scores"], b"scores\xff.xlsx"), (["report", "summary", "--out"], b"summary\xfe.pdf")):
        code, _, err = cli(argv + [_bad(tmp_path, name), "--db", str(db)], capsys)
        assert code == 0, err
        assert name in listing(tmp_path) and os.path.getsize(_bad(tmp_path, name)) > 1000
    record("file names not UTF-8: import, export and PDF work", trials=4)


def test_a_strict_utf8_terminal_prints_such_names_as_escapes(non_utf8_ok, demo_before_visits_template, tmp_path):
    db = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_before_visits_template, db)
    target = os.fsencode(tmp_path) + b"/template\xff.xlsx"
    res = run_cli(["export", "template", "intake", os.fsdecode(target), "--db", str(db)],
                  env={"PYTHONIOENCODING": "utf-8:strict"})
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    assert b"\\udcff" in res.stdout and os.path.exists(target) and not res.stderr


# --- 11. read-only folders, full disks, a file held open ----------------------------------------
EXPORTS = [
    ("export scores", ["export", "scores", "{out}/scores.xlsx"]),
    ("export ranking", ["export", "ranking", "{out}/ranking.xlsx"]),
    ("report summary (PDF)", ["report", "summary", "--out", "{out}/summary.pdf"]),
    ("kit export", ["kit", "export", "--evaluator", "EV01", "--out", "{out}/EV01.mekit"]),
]


@needs_fork
def test_writing_into_a_folder_the_user_may_not_write_is_one_sentence(demo_template, tmp_path):
    if not is_root():
        pytest.skip("switching to the 'nobody' user needs root")
    from evaluator.store import Store

    pub = Path(tempfile.mkdtemp(prefix="evaluator-ro-", dir="/tmp"))
    try:
        os.chmod(pub, 0o777)
        db, warm = pub / "office.sqlite3", pub / "warm.sqlite3"
        shutil.copyfile(demo_template, db)
        keys = pub / "keys"
        with Store(f"sqlite:///{db}") as st:
            st.keys.ensure(PASS, key_dir=keys)
            st.ranking.rank()  # stored once here: 'export ranking' stores a ranking when none is (see the office fixture)
        shutil.copyfile(db, warm)
        os.chmod(db, 0o666)
        (pub / "warm-out").mkdir()
        ro = pub / "read-only"
        ro.mkdir()
        os.chmod(ro, 0o555)
        before = dump_checksum(db)

        def work(ack):
            import io

            for _label, argv in EXPORTS:  # as root first: every module the command needs gets imported
                main([a.replace("{out}", str(pub / "warm-out")) for a in argv] + ["--db", str(warm)])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            for label, argv in EXPORTS:
                err = io.StringIO()
                real, sys.stderr = sys.stderr, err
                try:
                    code = main([a.replace("{out}", str(ro)) for a in argv] + ["--db", str(db)])
                finally:
                    sys.stderr = real
                ack(json.dumps([label, code, err.getvalue()]))

        run = run_child_until(work, kill_after=None, limit=180, stderr_path=tmp_path / "child.err")
        assert not run.crashed_by_bug, run.stderr
        results = [json.loads(line) for line in run.lines]
        assert [r[0] for r in results] == [label for label, _ in EXPORTS]
        for label, code, err in results:
            assert_clear(code, err, exit_code=1)
            assert f"you may not write in the folder {ro}" in err, (label, err)
        assert os.listdir(ro) == [] and dump_checksum(db) == before  # no file, kit number not used up
    finally:
        shutil.rmtree(pub, ignore_errors=True)
    record("output into a folder the user may not write (nobody)", trials=len(EXPORTS))


def _export_or_refuse(argv: list[str], out: Path, office: Path, **kw) -> bool:
    """Run one export into ``out``; True when refused (one sentence, no file, database unchanged),
    False when the file fitted (then it is complete and removed again)."""
    from .support import canonical_dump

    before = canonical_dump(office)
    res = run_cli([a.replace("{out}", str(out)) for a in argv] + ["--db", str(office)],
                  env={"EVALUATOR_PASSPHRASE": PASS}, **kw)
    err = res.stderr.decode()
    target = Path(argv[-1].replace("{out}", str(out)))
    if res.returncode == 0:  # it fitted
        assert not err and target.stat().st_size > 0, err
        target.unlink()
        return False
    assert_clear(res.returncode, err, exit_code=1)
    assert target.name.encode() not in listing(out) and not [n for n in os.listdir(out) if n.startswith(".")], \
        (argv, os.listdir(out))
    assert changed_tables(office, before) == [], argv  # a refused kit does not use up its number
    return True


def _some(choices: list, check: str) -> list:
    """All of ``choices`` in the full run, one drawn at random in the fast one."""
    rng, _seed = seeded(check)
    return list(choices) if full_run() else [rng.choice(choices)]


def test_outputs_on_a_full_disk_leave_nothing(office, small_disk):
    runs = refused = 0
    for leave in _some([0, 4096], "outputs on a full disk"):
        _fill(small_disk, leave)
        for _label, argv in EXPORTS:
            refused += _export_or_refuse(argv, small_disk, office)
            runs += 1
        os.unlink(small_disk / "filler")
    assert refused == runs  # with 4 KiB free nothing fits
    record("outputs on a full disk (tmpfs): one sentence, nothing left", trials=refused, refused=refused)


def test_outputs_over_the_file_size_limit_leave_nothing(office, tmp_path):
    """The same without root: RLIMIT_FSIZE makes every write past the limit fail (EFBIG) — the
    target and the workbook's temporary row streams alike.  (The database needs 32 KiB for its
    shared-memory file, hence the smallest limit.)"""
    out = tmp_path / "out"
    out.mkdir()
    runs = refused = 0
    for limit in _some([48_000, 120_000], "outputs over RLIMIT_FSIZE"):
        this = sum(_export_or_refuse(argv, out, office, fsize=limit) for _label, argv in EXPORTS)
        # the committee summary PDF (~180 kB) never fits; the scores workbook (~70 kB, its sheets
        # deflated as they are written) not under the smaller limit
        assert this >= (2 if limit < 60_000 else 1)
        runs, refused = runs + len(EXPORTS), refused + this
    record("outputs over RLIMIT_FSIZE: one sentence, nothing left", trials=runs, refused=refused)


@pytest.mark.parametrize("label, argv", [e for e in EXPORTS if not e[0].startswith("kit")], ids=lambda v: str(v))
def test_a_file_held_open_by_a_viewer_says_close_it(label, argv, office, tmp_path, monkeypatch, capsys):
    """Windows refuses to replace a file another program holds open (a PDF in a viewer, a workbook
    in Excel): os.replace raises PermissionError.  The old file stays, nothing else is left."""
    from evaluator import outfile

    out = tmp_path / "out"
    out.mkdir()
    argv = [a.replace("{out}", str(out)) for a in argv]
    target = Path(argv[-1])
    target.write_bytes(b"the file the viewer shows")

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Access is denied", str(src), None, str(dst))

    monkeypatch.setattr(outfile.os, "replace", refuse)
    code, _, err = cli(argv + ["--db", str(office)], capsys)
    assert_clear(code, err, exit_code=1)
    assert f"Cannot replace {target}" in err and "Close the file and try again" in err, err
    assert target.read_bytes() == b"the file the viewer shows" and os.listdir(out) == [target.name]
    record("output file held open by a viewer (Windows)", trials=1)


# --- 12. --db values no database takes ------------------------------------------------------------
BAD_URLS = {
    "unresolvable PostgreSQL host": ("postgresql+psycopg://evaluator@no-such-host.invalid/office?connect_timeout=3",
                                     "Cannot connect to the database office on no-such-host.invalid"),
    "a 5,000-character file name": ("{d}/" + "가" * 1700 + ".sqlite3", "longer than 255 bytes"),
    "a 5,000-character path": ("{d}/" + "a/" * 2500 + "x.sqlite3", "too long for the file system"),
    "?timeout=abc": ("sqlite:///{d}/office.sqlite3?timeout=abc", "the option timeout=abc is not a number"),
    "?timeout=-1": ("sqlite:///{d}/office.sqlite3?timeout=-1", "must be a number"),
    "a port out of range": ("postgresql+psycopg://evaluator@localhost:99999/office", "Cannot connect"),
}


@pytest.mark.parametrize("case", list(BAD_URLS))
def test_a_db_value_no_database_takes_is_one_sentence(case, tmp_path, capsys):
    url, needle = BAD_URLS[case]
    d = tmp_path / "dbs"
    d.mkdir()
    url = url.replace("{d}", str(d))
    for argv in (["info"], ["demo"], ["applications", "--json"]):
        code, _, err = cli(argv + ["--db", url], capsys)
        assert_clear(code, err, exit_code=DatabaseError.exit_code)
        assert needle in err, err
        assert len(err) < 600, f"the message should not repeat a 5,000-character path: {len(err)} characters"
    assert os.listdir(d) == []
    record("--db values no database takes", trials=3)


# --- 13. demo onto a full disk leaves nothing ------------------------------------------------------
def test_demo_onto_a_full_disk_leaves_nothing(small_disk):
    rng, seed = seeded("demo on a full disk")
    n = trials(3, 12)
    for i in range(n):
        leave = rng.choice([0, 4096, 65536, rng.randrange(0, 900_000)])
        _fill(small_disk, leave)
        res = run_cli(["demo", "--db", str(small_disk / "new.sqlite3")])
        err = res.stderr.decode()
        assert_clear(res.returncode, err, exit_code=DatabaseError.exit_code)
        assert "is full" in err and "nothing was changed" in err, f"{err} (seed {seed}, leave {leave})"
        assert sorted(os.listdir(small_disk)) == ["filler"], f"{os.listdir(small_disk)} (seed {seed}, leave {leave})"
        os.unlink(small_disk / "filler")
    record("demo onto a full disk (tmpfs): nothing left", trials=n)


@pytest.mark.parametrize("limit", [0, 4096, 300_000])
def test_demo_over_the_file_size_limit_leaves_nothing(tmp_path, limit):
    res = run_cli(["demo", "--db", str(tmp_path / "new.sqlite3")], fsize=limit)
    err = res.stderr.decode()
    assert_clear(res.returncode, err, exit_code=DatabaseError.exit_code)
    assert "nothing was changed" in err or "not saved" in err, err
    assert not [n for n in os.listdir(tmp_path) if n.startswith("new.sqlite3")], os.listdir(tmp_path)
    record("demo over RLIMIT_FSIZE: nothing left", trials=1)


def test_a_kit_import_that_fails_leaves_no_field_database(office, small_disk):
    kit = small_disk.parent / "EV01.mekit"
    assert main(["kit", "export", "--evaluator", "EV01", "--out", str(kit), "--db", str(office)]) == 0
    _fill(small_disk, 8192)
    res = run_cli(["kit", "import", str(kit), "--db", str(small_disk / "field.sqlite3"), "--no-encrypt"])
    err = res.stderr.decode()
    assert_clear(res.returncode, err)
    assert sorted(os.listdir(small_disk)) == ["filler"], os.listdir(small_disk)
    record("kit import onto a full disk: nothing left", trials=1)


# --- 14. SQLCipher's own log lines ------------------------------------------------------------------
def test_a_wrong_passphrase_is_our_sentence_alone(demo_before_visits_template, tmp_path, capfd):
    pytest.importorskip("sqlcipher3")
    from evaluator.db import encryption
    from evaluator.store import Store

    db = encryption.encrypt_copy(demo_before_visits_template, tmp_path / "field.sqlite3", "the right one")
    before = sha(db)
    res = run_cli(["info", "--db", str(db)], env={"EVALUATOR_DB_PASSPHRASE": "a wrong one"})
    err = res.stderr.decode()
    assert_clear(res.returncode, err, exit_code=DatabaseError.exit_code)
    assert err.count("\n") == 1 and "The passphrase does not open the database" in err, err
    # in-process too (the desktop app): nothing written to fd 2 by the library
    capfd.readouterr()
    with pytest.raises(encryption.WrongPassphrase):
        Store(f"sqlite:///{db}", passphrase="a wrong one")
    assert "hmac" not in capfd.readouterr().err
    assert sha(db) == before  # refused: the file untouched
    res = run_cli(["info", "--db", str(db)], env={"EVALUATOR_DB_PASSPHRASE": "the right one"})
    assert res.returncode == 0 and not res.stderr, res.stderr
    record("wrong SQLCipher passphrase: our sentence alone on stderr", trials=2)


# --- the catch-all ---------------------------------------------------------------------------------
def test_an_os_error_that_reaches_the_command_line_is_a_sentence(monkeypatch, tmp_path, capsys):
    """The safety net behind the per-command messages: an OSError is the environment, not a bug."""
    from evaluator.cli import core as core_cli

    def refused(ctx):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "somewhere"))

    monkeypatch.setattr(core_cli, "cmd_info", refused)
    code, _, err = cli(["info", "--db", str(tmp_path / "x.sqlite3")], capsys)
    assert_clear(code, err, exit_code=1)
    assert f"{tmp_path / 'somewhere'}: Permission denied" in err, err

