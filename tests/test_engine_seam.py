"""The seam for the site engine (issue 29): the build writes the mkdocs.yml it builds from beside the
docs folder, a file that Zensical can read too, and the Zensical canary says what differs without
ever failing the run (it needs no Zensical to be installed here)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import yaml

from generator.site import SiteError
from helpers import FIXTURES, REPO, build

CANARY = REPO / "tools" / "zensical_canary.py"


def canary_module():
    spec = importlib.util.spec_from_file_location("zensical_canary", CANARY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_reads_a_configuration_beside_its_docs_folder_that_inherits_the_repositorys(tmp_path):
    build(FIXTURES / "mini", "office", tmp_path / "site", docs=tmp_path / "work" / "docs")
    written = tmp_path / "work" / "mkdocs.yml"
    settings = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert settings["INHERIT"] == str((REPO / "mkdocs.yml").resolve())
    assert settings["docs_dir"] == "docs"  # inside the configuration's folder, as Zensical requires
    assert settings["site_name"] == "清欠台账（清欠办）"
    assert {"逾期清单": "overdue.md"} in settings["nav"]
    assert (tmp_path / "site" / "overdue.html").is_file()


def test_a_configuration_file_the_build_did_not_write_is_never_overwritten(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "mkdocs.yml").write_text("site_name: 别人的网站\n", encoding="utf-8")
    with pytest.raises(SiteError, match="不是生成网站时写的配置文件"):
        build(FIXTURES / "mini", "office", tmp_path / "site", docs=tmp_path / "work" / "docs")
    assert (tmp_path / "work" / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: 别人的网站\n"


def test_the_canary_names_the_pages_that_differ():
    canary = canary_module()
    mkdocs = {"index.html": ("首页", ("a",), 1), "units/x.html": ("某单位", ("b",), 2),
              "units/y.html": ("另一单位", (), 0)}
    zensical = {"index.html": ("首页", ("a",), 1), "units/x.html": ("某单位", ("c",), 2), "extra.html": ("多", (), 0)}
    lines = canary.report(mkdocs, zensical)
    assert lines[0] == "Zensical 预演：与 mkdocs 有差别：mkdocs 3 页，Zensical 3 页"
    assert "  Zensical 缺少 1 页：units/y.html" in lines
    assert "  Zensical 多出 1 页：extra.html" in lines
    assert "  小标题（或其锚点）不同 1 页：units/x.html" in lines
    assert canary.report(mkdocs, dict(mkdocs))[0].startswith("Zensical 预演：与 mkdocs 一致：mkdocs 3 页")


def test_a_zensical_that_fails_is_said_and_does_not_fail_the_run():
    done = subprocess.run([sys.executable, str(CANARY), "--root", str(FIXTURES / "mini"), "--zensical", "false"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Zensical 预演：未能生成（不影响测试结果）：zensical build 退出码 1"), done.stdout
