"""The laptop's audit trail at merge (docs/package-format.md, step 8): a list of entries ending at
the manifest's ``audit_head``, as many as ``counts.audit_entries`` says — checked from the trail's
bytes and its last entry when it is written as a laptop writes it (canonical JSON), parsed whole
otherwise, with the same sentence for every refusal."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from evaluator.packages import formats as F
from evaluator.packages import incoming as I


def _entry(i: int, new: object = None) -> dict:
    return {"action": "score", "actor": "EV01", "at": f"2026-12-07T10:00:{i % 60:02d}.000000", "device": "d",
            "entity": "score", "entity_uuid": f"u-{i}", "hash": f"{i:064x}", "id": i, "new": new,
            "old": {"comment": {"$personal": "ab" * 32, "subject": "s"}}, "prev_hash": f"{i - 1:064x}",
            "reason": "설명 \"인용\" 끝}]", "uuid": f"e-{i}"}


def _trail(n: int, last_new: object = None) -> tuple[bytes, SimpleNamespace]:
    entries = [_entry(i + 1) for i in range(n)]
    if entries and last_new is not None:
        entries[-1]["new"] = last_new
    return F.dumps(entries), SimpleNamespace(audit_head=entries[-1]["hash"] if entries else "0" * 64)


@pytest.fixture
def unparsed(monkeypatch):
    """Fails the test if the trail is parsed whole."""
    def boom(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the whole trail was parsed")

    monkeypatch.setattr(F, "loads", boom)


@pytest.mark.parametrize("n", [0, 1, 2, 250])
def test_a_trail_as_the_laptop_writes_it_is_counted_without_parsing_it_whole(n, unparsed):
    data, m = _trail(n)
    assert I.trail_entries(data, m) == n


def test_entries_whose_values_hold_objects_lists_and_brackets_in_texts_are_counted_right(unparsed):
    data, m = _trail(3, last_new={"scores": [{"a": [1, {"b": "]}{["}]}, []], "x": {}})
    assert I.trail_entries(data, m) == 3


def test_a_trail_written_otherwise_is_parsed_whole_and_counted():
    entries = [_entry(i + 1) for i in range(4)]
    pretty = json.dumps(entries, indent=2, ensure_ascii=True).encode()  # (valid JSON, not canonical)
    assert I.trail_entries(pretty, SimpleNamespace(audit_head=entries[-1]["hash"])) == 4
    # the last entry's own values hold an object that begins like an entry: still the true last entry
    data, m = _trail(2, last_new={"action": "x", "hash": "f" * 64})
    assert I.trail_entries(data, m) == 2


@pytest.mark.parametrize(("change", "said"), [
    (lambda d, m: (d, SimpleNamespace(audit_head="e" * 64)), "does not end at the audit_head of the manifest"),
    (lambda d, m: (F.dumps(json.loads(d)[:-1]), m), "does not end at the audit_head of the manifest"),
    (lambda d, m: (b'{"a": 1}', m), "is not a list of audit entries"),
    (lambda d, m: (d[:-2] + b"},1]", m), "is not a list of audit entries"),
    (lambda d, m: (b"[" * 40 + b"]" * 40, m), "nested more than 32 levels"),
    (lambda d, m: (d[:-1], m), "not valid JSON"),
])
def test_a_trail_that_is_not_a_list_of_entries_ending_at_the_signed_head_is_refused(change, said):
    data, m = change(*_trail(3))
    with pytest.raises(F.Invalid) as exc:
        I.trail_entries(data, m)
    assert said in str(exc.value)
