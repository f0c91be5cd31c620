"""The download files: one typed set per unit, whatever the unit's id is called."""


from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.site.downloads import write_downloads
from generator.validate.pipeline import validate_repo
from helpers import AS_OF, FIXTURES


def test_a_unit_may_be_called_sums_or_overdue(tmp_path):
    """The downloads once were a dict keyed by unit ids and by the words "sums" and "overdue":
    a unit with such an id lost its files to the checksum list."""
    frame = items_frame(validate_repo(FIXTURES / "mini").records, Campaign(), AS_OF)
    assert len(frame) >= 2
    frame["unit"] = ["sums" if n % 2 else "overdue" for n in range(len(frame))]
    files = write_downloads(frame, tmp_path)
    assert files.units["sums"].csv.path == "downloads/units/sums.csv"
    assert files.units["overdue"].xlsx.path == "downloads/units/overdue.xlsx"
    assert files.sums.path == "downloads/SHA256SUMS"
    assert [f.path for f in files.overdue] == ["downloads/overdue.csv", "downloads/overdue.xlsx"]
    listed = (tmp_path / "downloads/SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in listed]
    assert names == sorted(names)
    assert {"units/sums.csv", "units/overdue.xlsx", "overdue.csv", "qingqian-all.json"} <= set(names)
