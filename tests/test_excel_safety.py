"""Text from the ledgers never becomes a live formula or error value in any workbook we write."""

import openpyxl

from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.validate.pipeline import validate_repo
from generator.workbook.export import write_xlsx
from generator.workbook.unit_template import write_template
from helpers import edit

FORMULA = '=HYPERLINK("http://evil.example/","点此")'


def test_formula_like_text_is_written_as_text(mini, tmp_path):
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "notes: 分两期支付", f"notes: '{FORMULA}'")
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "number: JT-2019-003", "number: '#N/A'")
    report = validate_repo(mini, jobs=1)
    assert report.valid
    out = tmp_path / "all.xlsx"
    write_xlsx(items_frame(report.records, Campaign()), out)
    write_template(report.records, "sl-jtj", tmp_path / "template.xlsx")
    for path in (out, tmp_path / "template.xlsx"):
        cells = [c for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row]
        planted = [c for c in cells if c.value in (FORMULA, "#N/A")]
        assert len(planted) >= 2, path
        assert all(c.data_type == "s" for c in planted), path
