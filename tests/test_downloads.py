"""The download files: one typed set per unit, whatever the unit's id is called."""


from generator.analysis.frame import items_frame
from generator.core.config import Campaign
from generator.site.downloads import write_downloads
from generator.validate.pipeline import validate_repo
from helpers import AS_OF, FIXTURES, REPO


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


def test_the_site_links_the_downloads_it_would_copy(tmp_path):
    """engine.material.StaticLinked: the site's download files are the docs folder's (one write, and
    nothing to free when a temporary docs folder is deleted); the installed theme's files are
    copied, so nothing in the site shares its bytes with the package."""
    from generator.site.build import build_site

    root = FIXTURES / "mini"
    build_site(validate_repo(root).records, root, "office", tmp_path / "site", AS_OF, docs=tmp_path / "docs")
    download = "downloads/units/sl-jtj.xlsx"
    assert (tmp_path / "site" / download).samefile(tmp_path / "docs" / download)
    theme = next((tmp_path / "site/assets/javascripts").glob("bundle.*.min.js"))
    assert theme.stat().st_nlink == 1
    # the next build writes a fresh docs folder: the site gets the new files, the old ones are left as they were
    old = (tmp_path / "site" / download).read_bytes()
    build_site(validate_repo(root).records, root, "office", tmp_path / "site", AS_OF, docs=tmp_path / "docs")
    assert (tmp_path / "site" / download).read_bytes() == old
    assert (tmp_path / "site" / download).samefile(tmp_path / "docs" / download)


def test_a_download_worker_that_dies_fails_the_build_with_a_chinese_message(tmp_path, monkeypatch):
    """A worker killed (the kernel's OOM killer at province scale) is a SiteError the command
    line prints, not a traceback; the rows are many enough for the workers (PARALLEL_FROM)."""
    import os

    import pytest

    from generator.core.running import PARALLEL_FROM
    from generator.site import SiteError, downloads

    frame = items_frame(validate_repo(REPO).records, Campaign())
    assert len(frame) >= PARALLEL_FROM
    monkeypatch.setattr(downloads, "write_lists", lambda *_args: os._exit(9))  # inherited by the forked workers
    with pytest.raises(SiteError, match="工作进程意外退出"):
        write_downloads(frame, tmp_path, jobs=2)
