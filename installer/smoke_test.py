"""Smoke test of the built Linux bundle — the bundle, not the source (``make installer-test``).

Unpacks ``dist/maeul-evaluator-VERSION-linux-ARCH.tar.gz`` into a temporary folder outside the
checkout and runs the bundled executables there with a clean environment (no PYTHONPATH, no
virtual environment, HOME and EVALUATOR_DATA_DIR in the temporary folder, cwd outside the repo):

* ``evaluator --version`` / ``evaluator-gui --version`` report the version of evaluator/version.py;
* ``evaluator demo`` creates the demo database in the temporary data directory (the Alembic
  migrations run from the bundle) and ``evaluator info --json`` counts 48 applications;
* ``evaluator-gui --demo`` starts offscreen (QT_QPA_PLATFORM=offscreen), paints its main window and
  exits cleanly (the launcher's EVALUATOR_STARTUP_PROBE quits after the first paint);
* ``evaluator rank --json`` ranks it; ``evaluator report summary --out F`` writes a PDF whose text,
  read with pypdf here, contains Hangul; ``evaluator export ranking F`` writes an xlsx (openpyxl);
* ``evaluator keys init`` (cryptography) and ``evaluator audit verify`` work from the bundle;
* ``install.sh`` installs it for a (temporary) user: menu entry, icon, ~/.local/bin links that work.

* the laptop's path: ``kit export`` (office) → ``kit import`` into an encrypted field database
  (SQLCipher from the bundle) → ``keys init`` / ``keys export-public`` → ``package export`` →
  ``keys register`` and ``merge`` back into the office database.

Every verb is required: a bundle without one fails.  Exit status 0 when nothing failed.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")
TIMEOUT = 180


def version() -> str:
    ns: dict = {}
    exec((ROOT / "evaluator" / "version.py").read_text(encoding="utf-8"), ns)
    return ns["__version__"]


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, status: str, step: str, detail: str = "") -> None:
        self.rows.append((status, step, detail))
        print(f"{status:<5} {step}{': ' + detail if detail else ''}", flush=True)

    def count(self, status: str) -> int:
        return sum(1 for s, _, _ in self.rows if s == status)


class Bundle:
    """The unpacked tarball and a clean environment to run it in."""

    def __init__(self, top: Path, tmp: Path) -> None:
        self.top = top
        self.tmp = tmp
        self.data = tmp / "data"
        self.out = tmp / "out"
        self.cwd = tmp / "work"
        for d in (self.data, self.out, self.cwd, tmp / "home"):
            d.mkdir(parents=True, exist_ok=True)
        self.db = "sqlite:///" + (self.data / "demo.sqlite3").as_posix()
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp / "home"),
            "LANG": "C.UTF-8",
            "TMPDIR": str(tmp),
            "EVALUATOR_DATA_DIR": str(self.data),
            "QT_QPA_PLATFORM": "offscreen",
        }

    def run(self, exe: str, *args: str, env: dict | None = None, timeout: float = TIMEOUT,
            program: Path | None = None) -> subprocess.CompletedProcess:
        cmd = [str(program or self.top / exe), *args]
        return subprocess.run(cmd, cwd=self.cwd, env={**self.env, **(env or {})}, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=timeout)

    def cli(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run("evaluator", *args, **kw)


def problem(proc: subprocess.CompletedProcess) -> str | None:
    """None when the process exited 0 without a traceback; otherwise what went wrong."""
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return f"exit {proc.returncode}: {' | '.join(tail)}"
    if "Traceback (most recent call last)" in proc.stderr:
        return "exit 0 but a traceback on stderr: " + proc.stderr.strip().splitlines()[-1]
    return None


def available_verbs(b: Bundle) -> tuple[set[str], dict[str, str]]:
    """The bundled CLI's top-level verbs, and the help text of the 'report' and 'export' verbs."""
    top = b.cli("--help")
    verbs = set(re.findall(r"^    ([a-z][a-z-]*)", top.stdout, re.M))
    helps = {}
    for verb in ("report", "export"):
        if verb in verbs:
            helps[verb] = b.cli(verb, "--help").stdout
    return verbs, helps


def find_rows(doc) -> list[dict]:
    """The per-application rows of ``rank --json`` wherever the document nests them."""
    if isinstance(doc, list):
        if doc and all(isinstance(r, dict) and "application_id" in r for r in doc):
            return doc
        return [r for item in doc for r in find_rows(item)]
    if isinstance(doc, dict):
        return [r for v in doc.values() for r in find_rows(v)]
    return []


def main() -> int:
    ver = version()
    arch = platform.machine().lower()
    tarball = ROOT / "dist" / f"maeul-evaluator-{ver}-linux-{arch}.tar.gz"
    if not tarball.exists():
        print(f"{tarball} not found: run 'make installer' first", file=sys.stderr)
        return 2
    r = Report()
    tmp = Path(tempfile.mkdtemp(prefix="evaluator-bundle-"))
    try:
        t0 = time.perf_counter()
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp / "unpacked", filter="data")
        top = tmp / "unpacked" / f"maeul-evaluator-{ver}"
        assert not str(top).startswith(str(ROOT)), "the bundle must run outside the checkout"
        b = Bundle(top, tmp)
        missing = [n for n in ("evaluator", "evaluator-gui", "maeul-evaluator.desktop", "maeul-evaluator.png",
                               "install.sh", "_internal/resources/rubrics", "_internal/resources/fonts",
                               "_internal/evaluator/db/migrations/env.py") if not (top / n).exists()]
        r.add("FAIL" if missing else "PASS", "unpack tarball",
              f"missing {missing}" if missing else f"{tarball.name} in {time.perf_counter() - t0:.1f} s")

        # --- version -------------------------------------------------------------------------
        for exe in ("evaluator", "evaluator-gui"):
            p = b.run(exe, "--version")
            err = problem(p)
            out = (p.stdout + p.stderr).strip()
            if err or ver not in out:
                r.add("FAIL", f"{exe} --version", err or f"printed {out!r}, expected {ver}")
            else:
                r.add("PASS", f"{exe} --version", out)

        # --- demo database -------------------------------------------------------------------
        t = time.perf_counter()
        p = b.cli("demo", "--db", b.db)
        err = problem(p)
        r.add("FAIL" if err else "PASS", "evaluator demo (migrations from the bundle)",
              err or f"{b.db} in {time.perf_counter() - t:.1f} s")
        p = b.cli("info", "--json", "--db", b.db)
        err = problem(p)
        if not err:
            info = json.loads(p.stdout)
            n = info.get("applications")
            err = None if n == 48 else f"expected 48 applications, got {n}"
        r.add("FAIL" if err else "PASS", "evaluator info --json", err or f"48 applications, schema {info.get('schema_revision')}")

        # --- GUI offscreen -------------------------------------------------------------------
        probe = tmp / "shown.json"
        t = time.time()
        try:
            p = b.run("evaluator-gui", "--demo", env={"EVALUATOR_STARTUP_PROBE": str(probe)}, timeout=120)
            err = problem(p)
            if not err and not probe.exists():
                err = "exited without showing the main window"
            detail = err or f"main window painted after {json.loads(probe.read_text())['shown'] - t:.2f} s, clean exit"
        except subprocess.TimeoutExpired:
            err = detail = "did not exit within 120 s"
        r.add("FAIL" if err else "PASS", "evaluator-gui --demo (offscreen)", detail)

        # --- rank / report / export (verbs other areas add) ----------------------------------
        verbs, helps = available_verbs(b)
        if "rank" not in verbs:
            r.add("FAIL", "evaluator rank --json", "the bundled CLI has no `rank`")
        else:
            p = b.cli("rank", "--json", "--db", b.db)
            err = problem(p)
            if not err:
                rows = find_rows(json.loads(p.stdout))
                decisions = {}
                for row in rows:
                    decisions[row.get("decision")] = decisions.get(row.get("decision"), 0) + 1
                err = None if len(rows) == 48 else f"expected 48 ranked applications, got {len(rows)}"
            r.add("FAIL" if err else "PASS", "evaluator rank --json", err or f"{len(rows)} ranked: {decisions}")

        # the summary and the ranking export are views of the ranking: without `rank` they cannot work
        pdf = b.out / "summary.pdf"
        if "rank" not in verbs:
            r.add("FAIL", "evaluator report summary --out F", "needs `rank`, missing from the bundled CLI")
        elif "summary" not in helps.get("report", ""):
            r.add("FAIL", "evaluator report summary --out F", "the bundled CLI has no `report summary`")
        else:
            p = b.cli("report", "summary", "--out", str(pdf), "--db", b.db)
            err = problem(p) or (None if pdf.exists() else f"{pdf.name} was not written")
            if not err:
                from pypdf import PdfReader

                text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
                hangul = HANGUL.findall(text)
                err = None if hangul else "the PDF's text has no Hangul (font not embedded?)"
            r.add("FAIL" if err else "PASS", "evaluator report summary --out F",
                  err or f"{pdf.stat().st_size} bytes, {len(hangul)} Hangul syllables in its text")

        xlsx = b.out / "ranking.xlsx"
        if "rank" not in verbs:
            r.add("FAIL", "evaluator export ranking F", "needs `rank`, missing from the bundled CLI")
        elif "ranking" not in helps.get("export", ""):
            r.add("FAIL", "evaluator export ranking F", "the bundled CLI has no `export ranking`")
        else:
            p = b.cli("export", "ranking", str(xlsx), "--db", b.db)
            err = problem(p) or (None if xlsx.exists() else f"{xlsx.name} was not written")
            if not err:
                from openpyxl import load_workbook

                wb = load_workbook(xlsx, read_only=True)
                cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
                wb.close()
                err = None if cells else "the workbook is empty"
            r.add("FAIL" if err else "PASS", "evaluator export ranking F",
                  err or f"{xlsx.stat().st_size} bytes, {cells} filled cells")

        # --- cryptography and the audit chain from the bundle ---------------------------------
        if "keys" not in verbs:
            r.add("FAIL", "evaluator keys init", "the bundled CLI has no `keys`")
        else:
            p = b.cli("keys", "init", "--json", "--db", b.db, env={"EVALUATOR_PASSPHRASE": "smoke-test-passphrase"})
            err = problem(p)
            r.add("FAIL" if err else "PASS", "evaluator keys init (cryptography)",
                  err or f"fingerprint {json.loads(p.stdout).get('fingerprint')}")
        p = b.cli("audit", "verify", "--db", b.db)
        err = problem(p)
        r.add("FAIL" if err else "PASS", "evaluator audit verify", err or p.stdout.strip().splitlines()[-1])

        # --- the laptop's path: kit → encrypted field database → package → merge ----------------
        field, kit, pub, pkg = b.out / "field.sqlite3", b.out / "EV01.mekit", b.out / "EV01.pub", b.out / "EV01.mepkg"
        office_env = {"EVALUATOR_PASSPHRASE": "smoke-test-passphrase"}
        field_env = {"EVALUATOR_PASSPHRASE": "evaluator-passphrase", "EVALUATOR_DB_PASSPHRASE": "laptop-passphrase"}
        steps = [
            ("evaluator kit export (office)", ("kit", "export", "--evaluator", "EV01", "--out", str(kit), "--db", b.db),
             office_env),
            ("evaluator kit import (encrypted field database)", ("kit", "import", str(kit), "--db", str(field)),
             field_env),
            ("evaluator keys init (laptop)", ("keys", "init", "--db", str(field)), field_env),
            ("evaluator keys export-public", ("keys", "export-public", str(pub), "--db", str(field)), field_env),
            ("evaluator package export", ("package", "export", "--out", str(pkg), "--db", str(field)), field_env),
            ("evaluator keys register (office)", ("keys", "register", "EV01", str(pub), "--db", b.db), office_env),
            ("evaluator merge (office)", ("merge", str(pkg), "--db", b.db), office_env),
        ]
        for name, args, env in steps:
            p = b.cli(*args, env=env)
            err = problem(p)
            if not err and "kit import" in name and field.read_bytes()[:16] == b"SQLite format 3\x00":
                err = "the field database is not encrypted"
            r.add("FAIL" if err else "PASS", name, err or (p.stdout.strip().splitlines() or [""])[0][:100])
            if err:
                break

        # --- install for a user, run through the ~/.local/bin link, uninstall ----------------
        home = Path(b.env["HOME"])
        p = b.run("install.sh")
        err = problem(p)
        desktop = home / ".local/share/applications/maeul-evaluator.desktop"
        link = home / ".local/bin/evaluator"
        if not err:
            if not desktop.exists() or f"Exec=\"{home}/.local/opt/maeul-evaluator/evaluator-gui\"" not in desktop.read_text():
                err = f"{desktop} missing or without the installed Exec path"
            elif not (home / ".local/share/icons/hicolor/256x256/apps/maeul-evaluator.png").exists():
                err = "icon not installed"
            else:
                q = b.run("", "--version", program=link)
                err = problem(q) or (None if ver in q.stdout else f"{link} --version printed {q.stdout!r}")
        r.add("FAIL" if err else "PASS", "install.sh (user) + ~/.local/bin/evaluator --version",
              err or f"menu entry {desktop.name}, links in ~/.local/bin")
        p = b.run("", program=home / ".local/opt/maeul-evaluator/uninstall.sh")
        err = problem(p) or (None if not desktop.exists() and not link.exists() else "files left behind")
        r.add("FAIL" if err else "PASS", "uninstall.sh (user)", err or "removed; data directory kept")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    failed, passed, na = r.count("FAIL"), r.count("PASS"), r.count("N/A")
    print(f"smoke: {passed} passed, {failed} failed" + (f", {na} not yet available" if na else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
