"""The command line's JSON documents: each names its schema and version, the JSON Schema files in
docs/schemas describe them (and are current), and what every command prints validates against
its schema — the office's commands, the laptop's, a merge, and a failure.  A command line that is
not understood exits 64, invalid input 2; shell completion comes from the same parser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evaluator.cli import build_parser, main
from evaluator.cli import schemas

from .excel_fixtures import LO_ASSIGNMENTS, LO_MESSY
from .packages_fixtures import PASS, enter_scores

jsonschema = pytest.importorskip("jsonschema", reason="the test extra installs jsonschema")

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "schemas"


def test_the_schema_files_are_current(tmp_path):
    written = schemas.write(tmp_path)
    assert sorted(p.name for p in DOCS.glob("*.schema.json")) == sorted(p.name for p in written)
    for p in written:
        assert (DOCS / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), (
            f"docs/schemas/{p.name} is stale: run python -m evaluator.cli.schemas docs/schemas")
    for p in written:  # each is a valid JSON Schema
        jsonschema.Draft202012Validator.check_schema(json.loads(p.read_text(encoding="utf-8")))


class Cli:
    """Runs commands with --json and checks each document against its schema file."""

    def __init__(self, capsys) -> None:
        self.capsys = capsys
        self.seen: set[str] = set()

    def __call__(self, *argv: str, code: int = 0) -> dict:
        got = main([*argv, "--json"])
        out, err = self.capsys.readouterr()
        assert got == code, (argv, got, err)
        doc = json.loads(out)
        name = doc["schema"]["name"]
        schema = json.loads((DOCS / f"{name}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert not errors, (argv, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]])
        assert doc["schema"]["version"] == schemas.version(name)
        self.seen.add(name)
        return doc


def test_every_command_prints_a_document_valid_against_its_schema(capsys, demo_before_visits_template, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    cli = Cli(capsys)
    office = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_before_visits_template, office)
    db = f"sqlite:///{office}"
    # the office
    assert cli("info", "--db", db)["applications"] == 48
    assert len(cli("applications", "--db", db)["items"]) == 48
    cli("evaluators", "--db", db)
    cli("assignments", "--evaluator", "EV01", "--db", db)
    cli("settings", "--db", db)
    cli("rubric", "check", str(REPO / "resources" / "rubrics" / "activity.toml"))
    cli("audit", "verify", "--db", db)
    cli("import", "applications", str(LO_MESSY), "--dry-run", "--db", db)
    cli("import", "assignments", str(LO_ASSIGNMENTS), "--dry-run", "--db", db, code=cli_code(LO_ASSIGNMENTS, db))
    template = tmp_path / "template.xlsx"
    cli("export", "template", "scores", str(template), "--evaluator", "EV02", "--db", db)
    cli("import", "scores", str(template), "--finalise", "--dry-run", "--db", db)
    cli("keys", "init", "--db", db)
    cli("keys", "show", "--db", db)
    cli("keys", "export-public", str(tmp_path / "office.pub"), "--db", db)
    cli("kit", "export", "--evaluator", "EV01", "--out", str(tmp_path / "kit.mekit"), "--db", db)
    # the laptop
    field = tmp_path / "field.sqlite3"
    cli("kit", "import", str(tmp_path / "kit.mekit"), "--no-encrypt", "--db", str(field))
    from evaluator.store import Store

    with Store(f"sqlite:///{field}") as laptop:
        enter_scores(laptop, "EV01", limit=2)
    package = cli("package", "export", "--out", str(tmp_path / "EV01.mepkg"), "--db", str(field))
    # back at the office: register the key, merge, check, finalise
    cli("keys", "register", "EV01", str(tmp_path / "EV01.mepkg"), "--fingerprint", package["signer_fingerprint"],
        "--db", db)
    assert cli("merge", str(tmp_path / "EV01.mepkg"), "--db", db)["ok"] is True
    cli("packages", "--db", db)
    cli("packages", "--verify", "--db", db)
    cli("conflicts", "--db", db)
    app = next(a.application_id for a in Store(db).people.assignments(evaluator="EV02") if a.conflict_type is None)
    cli("finalise", app, "EV02", "--db", db, code=2)  # nothing scored: the error document
    rank = cli("rank", "--no-stability", "--db", db)
    target = rank["applications"][0]["application_id"]
    cli("override", target, "ineligible", "--reason", "위원회 결정", "--db", db)
    cli("override", target, "--clear", "--reason", "되돌림", "--db", db)
    cli("export", "ranking", str(tmp_path / "ranking.xlsx"), "--db", db)
    cli("report", "summary", "--out", str(tmp_path / "summary.pdf"), "--db", db)
    cli("backup", str(tmp_path / "backup.sqlite3"), "--db", db)
    cli("upgrade", "--db", db)
    # personal data
    cli("people", "add", "김민지", "--role", "coordinator", "--db", db)
    cli("people", "--db", db)
    cli("export", "ranking", str(tmp_path / "contacts.xlsx"), "--include-personal", "--reason", "협약 준비",
        "--actor", "김민지", "--db", db)
    cli("subject", "export", target, "--out", str(tmp_path / "subject.json"), "--reason", "열람 청구", "--db", db)
    assert cli("access-log", "--db", db)["items"][-1]["reason"] == "열람 청구"
    assert cli("access-log", "--verify", "--db", db)["ok"] is True
    cli("retention", "--db", db)
    cli("purge", "--dry-run", "--db", db)
    # new databases
    cli("init", "--db", str(tmp_path / "new.sqlite3"))
    cli("demo", "--if-missing", "--db", db)
    missing = {"error", "info", "applications", "evaluators", "assignments", "settings", "rubric-check",
               "audit-verify", "import-applications", "import-assignments", "export", "import-scores", "keys-init",
               "keys-show", "keys-export-public", "kit-export", "kit-import", "package-export", "keys-register",
               "merge", "packages", "packages-verify", "conflicts", "rank", "override", "report", "backup",
               "upgrade", "init", "demo", "people", "people-add", "subject-export", "access-log",
               "access-log-verify", "retention", "purge"} - cli.seen
    assert not missing


def cli_code(workbook: Path, db: str) -> int:
    """The assignments fixture may not fit the demo (unknown applications): 0 or 2, both documented."""
    from evaluator.errors import ValidationError
    from evaluator.store import Store

    with Store(db) as st:
        try:
            st.excel.import_assignments(workbook, dry_run=True)
        except ValidationError:
            return 2
    return 0


def test_finalise_reopen_and_a_rejected_merge_have_their_documents(capsys, demo_before_visits_store, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setenv("EVALUATOR_PASSPHRASE", PASS)
    cli = Cli(capsys)
    st = demo_before_visits_store
    db = st.url
    app = next(a.application_id for a in st.people.assignments(evaluator="EV03") if a.conflict_type is None)
    rubric = st.programs.rubric(st.applications.get(app).track)
    for c in rubric.criteria:
        if c.scoring == "levels":
            st.scoring.save_score(app, "EV03", c.code, level=rubric.levels[0].key)
        else:
            st.scoring.save_score(app, "EV03", c.code, points=c.max_points)
    assert cli("finalise", app, "EV03", "--db", db)["state"] == "finalised"
    assert cli("reopen", app, "EV03", "--reason", "종이 평가표와 대조", "--db", db)["state"] == "draft"
    junk = tmp_path / "junk.mepkg"
    junk.write_bytes(b"not a package")
    cli("keys", "init", "--db", db)
    assert cli("merge", str(junk), "--db", db, code=2)["ok"] is False


def test_a_command_line_that_is_not_understood_exits_64_and_invalid_input_exits_2(capsys, demo_before_visits_store):
    with pytest.raises(SystemExit) as ei:
        main(["applications", "--no-such-option"])
    assert ei.value.code == 64 and "--no-such-option" in capsys.readouterr().err
    with pytest.raises(SystemExit) as ei:
        main(["finalise", "2012-A-001"])  # the evaluator is missing
    assert ei.value.code == 64
    with pytest.raises(SystemExit) as ei:
        main([])
    assert ei.value.code == 64
    # understood, but the input is wrong: 2, with the error document
    assert main(["finalise", "2012-A-001", "EV01", "--db", demo_before_visits_store.url]) == 2


def test_shell_completion_scripts(capsys):
    pytest.importorskip("shtab", reason="the completion extra installs shtab")
    for shell in ("bash", "zsh"):
        assert main(["completion", shell]) == 0
        script = capsys.readouterr().out
        assert "evaluator" in script
        for verb in ("import", "finalise", "rank", "kit", "merge"):
            assert verb in script, (shell, verb)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert "completion" in sub.choices
