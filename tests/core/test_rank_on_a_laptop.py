"""``evaluator rank`` and ``export ranking`` on a field laptop's database rank only that laptop's
evaluations: they say so on stderr (the workbook's note alone was easy to miss), and the office's
ranking says nothing of the kind."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from evaluator.cli import main

from .packages_fixtures import tiny_office

WARNING = "warning: this is a field laptop's database"


def test_a_laptops_ranking_says_it_is_the_laptops_own_view(tmp_path, capsys):
    office, _ = tiny_office(tmp_path, tmp_path / "keys")
    field = tmp_path / "tiny-field.sqlite3"
    capsys.readouterr()
    assert main(["rank", "--db", str(field)]) == 0
    out, err = capsys.readouterr()
    assert "T-1" in out
    assert WARNING in err and "not the office's ranking" in err
    assert main(["rank", "--json", "--db", str(field)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["tracks"] and WARNING in err  # the JSON document stays whole on stdout
    book = tmp_path / "laptop-ranking.xlsx"
    assert main(["export", "ranking", str(book), "--lang", "en", "--db", str(field)]) == 0
    _, err = capsys.readouterr()
    assert WARNING in err and book.exists()
    assert "not the decisions of record" in " ".join(
        str(c.value) for row in load_workbook(book).worksheets[0].iter_rows() for c in row if c.value)
    # the office's own ranking: no such warning
    assert main(["rank", "--db", str(office)]) == 0
    assert WARNING not in capsys.readouterr().err
    assert main(["export", "ranking", str(tmp_path / "office.xlsx"), "--db", str(office)]) == 0
    assert WARNING not in capsys.readouterr().err
