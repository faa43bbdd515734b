"""The command line speaks the language asked for (issue 21): its own lines and errors, the program
and rubric file problems of the core and the ranking's refusals, on a real demo database made with
``evaluator demo`` — Korean with ``--lang ko``, English with ``--lang en``, the values in both, and
the problem codes of the JSON document the same in either language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluator.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("messages-cli") / "demo.sqlite3"
    assert main(["--lang", "en", "demo", "--db", str(path)]) == 0
    return str(path)


@pytest.fixture(autouse=True)
def _no_locale_language(monkeypatch):
    monkeypatch.delenv("EVALUATOR_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_info_prints_its_lines_in_korean_or_english(demo_db, capsys):
    code, out, _ = run(capsys, "--lang", "ko", "info", "--db", demo_db)
    assert code == 0
    assert "스키마 버전:" in out and "평가위원:       5" in out
    assert "배정:           154 (+ 신고된 이해충돌 3)" in out and "평가:           154 (확정 154)" in out
    assert "Schema revision" not in out

    code, out, _ = run(capsys, "--lang", "en", "info", "--db", demo_db)
    assert code == 0
    assert "Evaluators:      5" in out and "Assignments:     154 (+ 3 declared conflicts)" in out
    assert "스키마" not in out


def test_a_second_demo_is_refused_in_the_language_asked_for(demo_db, capsys):
    code, out, err = run(capsys, "--lang", "ko", "demo", "--db", demo_db)
    assert code == 2 and out == ""
    assert err.startswith("오류: ")
    assert f"{Path(demo_db).as_posix()}에는 이미 공모가 있습니다. 데모에는 새 데이터베이스가 필요합니다" in err

    code, _, err = run(capsys, "--lang", "en", "demo", "--db", demo_db)
    assert code == 2
    assert "already holds a program; the demo needs a new database (choose another --db path, or use " \
           "--if-missing)." in err and err.startswith("error: ")


def test_the_audit_verification_and_the_eligibility_summary_speak_korean(demo_db, capsys):
    code, out, _ = run(capsys, "--lang", "ko", "audit", "verify", "--db", demo_db)
    assert code == 0
    assert out.startswith("감사 기록 이상 없음: ") and "해시 체인 확인됨" in out
    assert "아직 서명된 기준점이 없습니다" in out

    code, out, _ = run(capsys, "--lang", "ko", "eligibility", "--db", demo_db)
    assert code == 0 and out.rstrip().endswith("신청 48건: 자격 있음 48건, 없음 0건.")
    code, out, _ = run(capsys, "--lang", "en", "eligibility", "--db", demo_db)
    assert code == 0 and out.rstrip().endswith("48 applications: 48 eligible, 0 not.")


def test_a_ranking_refusal_names_the_application_in_either_language(demo_db, capsys):
    code, _, err = run(capsys, "--lang", "ko", "override", "2012-A-001", "--clear", "--reason", "회의 결과",
                       "--db", demo_db)
    assert code == 2
    assert err.strip() == "오류: 신청 2012-A-001에는 취소할 위원회의 결정 변경이 없습니다."
    code, _, err = run(capsys, "--lang", "en", "override", "2012-A-001", "--clear", "--reason", "meeting",
                       "--db", demo_db)
    assert code == 2
    assert err.strip() == "error: Application 2012-A-001 has no committee override to clear."


def test_program_file_problems_are_korean_and_keep_their_codes(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\ncode = "x"\nbogus = 2\n', encoding="utf-8")

    code, _, err = run(capsys, "--lang", "ko", "program", "check", str(bad))
    assert code == 2
    assert err.splitlines()[0] == "오류: 공모 파일 bad.toml에 문제가 4건 있습니다:"
    assert "  - bad.toml, bogus: 알 수 없는 키입니다 (오타?)" in err
    assert "  - bad.toml, name_ko: 값이 없습니다" in err
    assert "  - bad.toml, tracks: 지원유형이 하나 이상 있어야 합니다 ([[tracks]])" in err

    code, _, err = run(capsys, "--lang", "en", "program", "check", str(bad))
    assert code == 2
    assert err.splitlines()[0] == "error: Program file bad.toml has 4 problems:"
    assert "  - bad.toml, bogus: is not a known key (typo?)" in err

    docs = {}
    for lang in ("ko", "en"):
        code, out, _ = run(capsys, "--lang", lang, "program", "check", str(bad), "--json")
        docs[lang] = json.loads(out)
    codes = [[(p["code"], p.get("params")) for p in docs[lang]["problems"]] for lang in ("ko", "en")]
    assert codes[0] == codes[1] == [("program.unknown_key", {"key": "bogus"}), ("program.missing", None),
                                    ("program.missing", None), ("program.none_given", None)]
    assert docs["ko"]["problems"][0]["message"] == "알 수 없는 키입니다 (오타?)"
    assert docs["en"]["problems"][0]["message"] == "is not a known key (typo?)"


def test_a_rubric_file_problem_quotes_the_value_in_korean(tmp_path, capsys):
    rubric = tmp_path / "r.toml"
    rubric.write_text('format = 1\nid = "r"\ntrack = "t"\nname_ko = "평가표"\nmin_score = 150\n'
                      '[[levels]]\nkey = "a"\nlabel_ko = "우수"\npercent = 100\n'
                      '[[criteria]]\nid = "c"\nname_ko = "항목"\nmax = -5\nlevels = { a = { ko = "좋음" } }\n',
                      encoding="utf-8")
    code, _, err = run(capsys, "--lang", "ko", "rubric", "check", str(rubric))
    assert code == 2
    assert "평가표 파일 r.toml에 문제가 2건 있습니다:" in err
    assert "r.toml, min_score: 0에서 100 사이여야 합니다. 입력값: 150" in err
    assert "r.toml, criteria[0] (c).max: 0보다 커야 합니다. 입력값: -5" in err
    code, _, err = run(capsys, "--lang", "en", "rubric", "check", str(rubric))
    assert "r.toml, min_score: must be between 0 and 100, got 150" in err
    assert "r.toml, criteria[0] (c).max: must be greater than 0, got -5" in err


def test_the_ranking_heads_are_korean_or_english(demo_db, capsys):
    code, out, _ = run(capsys, "--lang", "ko", "rank", "--provisional", "--db", demo_db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "seoul-cbp-2012-1 순위, 차수 1 (trimmed, 잠정)"
    assert "주민모임 활동 지원 (activity) — 정원 10, 예비 3, 최저 점수 60, 방식 trimmed — 잠정" in lines
    code, out, _ = run(capsys, "--lang", "en", "rank", "--provisional", "--db", demo_db)
    lines = out.splitlines()
    assert lines[0] == "Ranking of seoul-cbp-2012-1, round 1 (trimmed, provisional)"
    assert "Community activity support (activity) — quota 10, reserves 3, minimum 60, method trimmed — PROVISIONAL" \
        in lines


def test_an_output_file_that_cannot_be_written_is_said_in_korean(demo_db, tmp_path, capsys):
    target = tmp_path / "없는 폴더" / "순위.xlsx"
    code, _, err = run(capsys, "--lang", "ko", "export", "ranking", str(target), "--db", demo_db)
    assert code != 0 and not target.parent.exists()
    assert "순위.xlsx을(를) 쓸 수 없습니다: 폴더 " in err and "없는 폴더이(가) 없습니다." in err
    code, _, err = run(capsys, "--lang", "en", "export", "ranking", str(target), "--db", demo_db)
    assert code != 0
    assert "순위.xlsx: the folder " in err and "없는 폴더 does not exist." in err


def test_program_check_states_the_files_rules_in_the_language_asked_for(tmp_path, capsys):
    assert main(["program", "examples", "--out", str(tmp_path / "calls")]) == 0
    capsys.readouterr()
    f = str(tmp_path / "calls" / "programs" / "seoul-remodel-social-housing-2017.toml")
    code, out, _ = run(capsys, "--lang", "ko", "program", "check", f)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "요건 rent(임대료 시세 80% 이하): 제안 임대료(proposed_rent) ÷ 주변 시세(market_rent): 0.8 이하" in lines
    assert "요건 period(사업기간 6~10년): 사업기간(project_years): 6~10" in lines
    assert any(line.startswith("지원금: ") and line.endswith(", 신청금액 이내; 예산은 산정 지원금 기준") for line in lines)
    assert any(line.startswith("지원유형 remodel: 예산 한도 선정(") for line in lines)  # (분야 is a category)
    assert "gate " not in out and "support:" not in out

    code, out, _ = run(capsys, "--lang", "en", "program", "check", f)
    assert code == 0
    assert "  gate rent (임대료 시세 80% 이하): proposed_rent ÷ market_rent: at most 0.8" in out.splitlines()
    assert "요건" not in out and "지원금:" not in out
