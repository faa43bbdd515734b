"""Hostile rubric files: every kind of error ends in one RubricError that names the file and the
key, in bounded memory; nothing else ever escapes (not KeyError, TypeError, RecursionError …).

The corpus is generated: every key of a valid rubric deleted or replaced by each of ~35 hostile
values, damaged text (truncations, dropped/doubled lines, stray characters), pathological files;
then hypothesis fuzzes the parser with arbitrary text and arbitrary rubric-shaped documents.
A sample also goes through ``evaluator rubric check`` (exit code 2, one clear message, no traceback).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evaluator.cli import main as cli_main
from evaluator.errors import RubricError
from evaluator.rubric import Rubric, load_rubric, parse_rubric

from .hostile import (
    HOSTILE_VALUES, base_rubric, deep_nesting, long_dotted_key, mutation_paths, structural_corpus, text_corpus,
    to_toml,
)
from .support import full_run, record, seeded, trials

SOURCE = "hostile.toml"


def _parse(text: str) -> Rubric | RubricError:
    """parse_rubric, where only a Rubric or a RubricError is an acceptable outcome."""
    try:
        return parse_rubric(text, SOURCE)
    except RubricError as exc:
        assert SOURCE in str(exc), f"the error does not name the file: {exc}"
        for p in exc.problems:
            assert p.where.startswith(SOURCE) and p.message, p
        return exc


def _where_names(err: RubricError, path: tuple) -> bool:
    """Does some problem (or the message) point at the mutated key?"""
    keys = [str(p) for p in path if not isinstance(p, int)]
    text = str(err)
    return any(k in text for k in keys) or not keys


def test_every_key_deleted_or_replaced_by_a_hostile_value():
    rejected = accepted = 0
    unnamed = []
    rng, _ = seeded("rubric-structural")
    corpus = list(structural_corpus())
    if not full_run():  # the fast run tries a random third of the cases
        corpus = rng.sample(corpus, len(corpus) // 3)
    for name, path, value, text in corpus:
        out = _parse(text)
        if isinstance(out, RubricError):
            rejected += 1
            if not _where_names(out, path):
                unnamed.append((name, str(out)[:200]))
        else:
            accepted += 1  # e.g. an optional key deleted, or a harmless value in a free-text field
            assert out.criteria and out.levels
    assert rejected > 300
    assert not unnamed, f"errors that do not name the key: {unnamed[:5]}"
    record("rubric corpus: keys deleted or set to hostile values", trials=rejected + accepted,
           inputs=rejected + accepted, rejected=rejected, accepted=accepted)


def test_damaged_text_is_rejected_with_the_file_named():
    n = 0
    for name, text in text_corpus(step=7 if full_run() else 41):
        out = _parse(text)
        n += 1
        if isinstance(out, RubricError):
            assert str(out).count("\n") == len(out.problems), name  # one line per problem, no tracebacks
    record("rubric corpus: damaged text", trials=n)


def test_files_that_are_not_utf8_text_are_rejected_by_name(tmp_path):
    cases = {
        "latin1.toml": "name_ko = 'caf\xe9'".encode("latin-1"),
        "utf16.toml": base_rubric_text().encode("utf-16"),
        "binary.toml": bytes(range(256)) * 10,
        "zip.toml": b"PK\x03\x04" + b"\x00" * 100,
    }
    for fname, data in cases.items():
        f = tmp_path / fname
        f.write_bytes(data)
        with pytest.raises(RubricError) as err:
            load_rubric(f)
        assert fname in str(err.value)
    with pytest.raises(RubricError, match="does not exist"):
        load_rubric(tmp_path / "missing.toml")
    d = tmp_path / "folder.toml"
    d.mkdir()
    with pytest.raises(RubricError, match="folder.toml"):
        load_rubric(d)
    n = len(cases) + 2
    inside_a_file = tmp_path / "latin1.toml" / "rubric.toml"  # any other OSError (here ENOTDIR)
    with pytest.raises(RubricError, match="Cannot read rubric file .*rubric.toml"):
        load_rubric(inside_a_file)
    big = tmp_path / "big.toml"
    big.write_text(base_rubric_text() + "\n# " + "x" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(RubricError, match="big.toml is too large"):
        load_rubric(big)
    record("rubric corpus: files that are not UTF-8 TOML", trials=n + 2)


def base_rubric_text() -> str:
    return to_toml(base_rubric())


def test_deep_nesting_is_a_rubric_error_not_a_crash():
    for name, text in deep_nesting(5000):
        out = _parse(text)  # a RecursionError would escape _parse and fail the test
        assert isinstance(out, RubricError) and "too deeply" in str(out), (name, out)


def test_a_small_file_cannot_exhaust_memory(tmp_path):
    """A 16 KB file of one dotted key (``a.a.a.… = 1``, 8,000 parts) makes tomllib allocate hundreds
    of megabytes (gigabytes at 80 KB); the parser must refuse it in bounded memory.  Checked in a
    child with a 200 MB address-space cap."""
    if sys.platform != "linux":
        pytest.skip("the memory cap uses RLIMIT_AS (Linux)")
    f = tmp_path / "dotted.toml"
    f.write_text(long_dotted_key(8_000), encoding="utf-8")
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))
        from evaluator.errors import RubricError
        from evaluator.rubric import load_rubric
        try:
            load_rubric({str(f)!r})
            print("accepted")
        except RubricError as exc:
            print("RubricError", str(exc).splitlines()[0])
        except MemoryError:
            print("MemoryError")
    """)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    out = res.stdout.strip()
    assert res.returncode == 0, res.stderr[-500:]
    assert out.startswith("RubricError") and "dotted.toml" in out and "dotted parts" in out, out


def test_rubric_check_on_the_command_line_fails_cleanly(tmp_path, capsys):
    rng, seed = seeded("rubric-cli")
    corpus = [c for c in structural_corpus()]
    sample = rng.sample(corpus, trials(12, 300))
    n = 0
    for name, _path, _value, text in sample:
        f = tmp_path / "rubric.toml"
        f.write_text(text, encoding="utf-8")
        code = cli_main(["rubric", "check", str(f)])
        out, err = capsys.readouterr()
        n += 1
        try:
            tomllib.loads(text)
            parse_rubric(text, "rubric.toml")
            ok = True
        except (tomllib.TOMLDecodeError, RubricError):
            ok = False
        if ok:
            assert code == 0 and "is valid" in out, name
            continue
        assert code == RubricError.exit_code, f"{name}: exit {code} (seed {seed})\n{err}"
        assert "Traceback" not in err and err.startswith("error: ") and "rubric.toml" in err, (name, err)
    # --json gives one JSON document with every problem located
    f = tmp_path / "broken.toml"
    f.write_text(to_toml({**base_rubric(), "format": 2, "min_score": "high"}), encoding="utf-8")
    import json

    assert cli_main(["rubric", "check", "--json", str(f)]) == RubricError.exit_code
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "RubricError" and {p["where"] for p in doc["problems"]} >= {
        "broken.toml, format", "broken.toml, min_score"}
    record("rubric corpus through 'evaluator rubric check'", trials=n + 1)


# --- property-based fuzzing ------------------------------------------------------------------------
FUZZ = settings(max_examples=3000 if full_run() else 80, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
_counts = {"text": 0, "shaped": 0, "mutated": 0}


@FUZZ
@given(st.text())
def test_fuzz_arbitrary_text(text):
    _counts["text"] += 1
    _parse(text)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True),
                     st.text(max_size=30), st.sampled_from(["su", "u", "levels", "points", "auto", "manual",
                                                             "members", "수", ""]))
_keys = st.one_of(st.sampled_from(sorted({k for p in mutation_paths() for k in p if isinstance(k, str)})),
                  st.text(min_size=1, max_size=8))
_values = st.recursive(_scalars.filter(lambda v: v is not None),
                       lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
                       max_leaves=25)


@FUZZ
@given(st.dictionaries(_keys, _values, max_size=12))
def test_fuzz_rubric_shaped_documents(doc):
    _counts["shaped"] += 1
    _parse(to_toml(doc))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(mutation_paths()), st.one_of(st.sampled_from(HOSTILE_VALUES), _values)),
                min_size=1, max_size=4))
@example(changes=[(("criteria",), {}), (("criteria", 1), "")])  # found by a full run: an int key
def test_fuzz_several_mutations_of_a_valid_rubric(changes):
    from .hostile import mutate

    _counts["mutated"] += 1
    doc = base_rubric()
    for path, value in changes:
        try:
            doc = mutate(doc, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed that path
    _parse(to_toml(doc))


def test_fuzz_figures():
    """(runs after the fuzzers in this module: records how many documents they tried)"""
    record("rubric fuzzing with hypothesis (text, rubric-shaped, mutated)", trials=sum(_counts.values()),
           **_counts)
