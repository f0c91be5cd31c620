"""Commands never destroy what they did not make, and no output carries a live formula."""

import csv

import openpyxl
import pytest

from generator.cli.main import main
from generator.site.build import MARKER
from generator.validate.pipeline import validate_repo
from generator.workbook.unit_template import write_template
from helpers import REPO, edit, git

FORMULAS = ["=HYPERLINK(\"http://evil.example/\",\"点此\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0"]


def run(*args: str) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def repo(mini):
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    return mini


def test_build_out_refuses_a_folder_it_did_not_make(repo, capsys):
    notes = repo / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep", encoding="utf-8")
    for target in (notes, repo / ".git", REPO / "site_src"):
        before = sorted(p.relative_to(target) for p in target.rglob("*"))
        assert run("build", "--root", repo, "--out", target) == 2
        assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
        assert "什么也没有删除" in capsys.readouterr().err
    assert (notes / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_build_out_empties_only_its_own_or_an_empty_folder(repo, tmp_path):
    out = tmp_path / "site"
    out.mkdir()  # empty: fine
    assert run("build", "--root", repo, "--audience", "public", "--out", out) == 0
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    assert run("build", "--root", repo, "--audience", "public", "--out", out) == 0  # its own: fine again


def test_outputs_never_overwrite_data_or_tracked_files(repo, tmp_path):
    ledger = repo / "ledgers/arrears/sl-jtj.yaml"
    unit = repo / "units/sl-jtj.yaml"
    saved = {path: path.read_bytes() for path in (ledger, unit)}
    assert run("export", "--root", repo, "--format", "csv", "--out", ledger) == 2
    assert run("export", "--root", repo, "--format", "json", "--out", repo / "ledgers/new.json") == 2
    assert run("template", "--root", repo, "--unit", "sl-jtj", "--out", unit) == 2
    tracked = repo / "tracked.txt"
    tracked.write_text("x", encoding="utf-8")
    git(repo, "add", "tracked.txt")
    assert run("report", "--root", repo, "--period", "day", "--date", "2022-10-31", "--out", tracked) == 2
    assert tracked.read_text(encoding="utf-8") == "x"
    assert all(path.read_bytes() == data for path, data in saved.items())
    assert run("export", "--root", repo, "--format", "csv", "--out", tmp_path / "all.csv") == 0


def test_csv_cells_never_start_a_formula(mini, tmp_path):
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "notes: 分两期支付", f"notes: '{FORMULAS[0]}'")
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "name: 示例某建材有限公司", f"name: \"{FORMULAS[1]}\"")
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "number: JT-2019-003", f"number: \"{FORMULAS[2]}\"")
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "reason: 服务质量有争议", f"reason: \"{FORMULAS[3]}\"")
    assert validate_repo(mini, jobs=1).valid
    out = tmp_path / "all.csv"
    assert run("export", "--root", mini, "--format", "csv", "--out", out) == 0
    cells = [cell for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) for cell in row]
    assert all(f"'{formula}" in cells for formula in FORMULAS)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert all(not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit() for cell in cells)


def test_the_template_writes_the_unit_name_as_text(mini, tmp_path):
    edit(mini, "units/sl-jtj.yaml", "name: 示例市交通运输局（示例）", f"name: '{FORMULAS[0]}'")
    report = validate_repo(mini, jobs=1)
    assert report.valid, report.errors
    write_template(report.records, "sl-jtj", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)

