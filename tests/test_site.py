"""Whole builds of the small fixture city: strict, deterministic, linked, private and safe."""

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.core.config import ConfigError, load_config
from generator.site import SiteError
from generator.site.build import build_site, check_out
from helpers import FIXTURES, build, edit

OFFICE_PAGES = ["index.html", "ledgers/index.html", "ledgers/990100.html", "units/sl-jtj.html", "overdue.html",
                "supervision.html", "clues.html", "cases.html", "downloads.html", "guide/submit.html",
                "guide/reference.html", "progress.html", "changes.html", "reports/index.html"]


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def texts(root: Path):
    """(relative path, text) of every output file, gzip files unpacked."""
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".xlsx":
            import zipfile, io  # noqa: E401, I001 - only this branch needs them
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        yield path.relative_to(root).as_posix(), data.decode("utf-8", errors="replace")


def test_office_site_has_every_page(mini_office):
    for page in OFFICE_PAGES:
        assert (mini_office / page).is_file(), page
    assert (mini_office / "search/search_index.json").is_file()
    assert (mini_office / "downloads/units/sl-jtj.xlsx").is_file()
    assert "示例市交通运输局（示例）" in (mini_office / "units/sl-jtj.html").read_text(encoding="utf-8")


def test_same_data_gives_identical_bytes(mini_office, tmp_path):
    again = build(FIXTURES / "mini", "office", tmp_path / "again")
    assert tree(again) == tree(mini_office)


def test_pages_rendered_in_worker_processes_are_the_same(mini_office, tmp_path, monkeypatch, forking):
    """At province scale the Markdown pages are written by forked workers (render.write_pages);
    here the fixture city's few pages are made to take that path."""
    import concurrent.futures

    import generator.site.render as render

    pools = []

    class Recorded(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(kwargs["mp_context"].get_start_method())
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a pool even on a one-core runner
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recorded)  # running.Forked's pool
    assert tree(build(FIXTURES / "mini", "office", tmp_path / "forked")) == tree(mini_office)
    assert pools == ["fork"]


def test_every_internal_link_resolves(mini_office):
    broken = []
    for html in mini_office.rglob("*.html"):
        if html.name == "404.html":  # mkdocs writes it with root-absolute links, for any depth
            continue
        for target in re.findall(r'(?:href|src)="([^"]+)"', html.read_text(encoding="utf-8")):
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("#", "//")):
                continue
            path = (html.parent / unquote(parts.path)).resolve() if parts.path else html
            if not path.exists() or (parts.fragment and path.suffix == ".html" and
                                     f'id="{unquote(parts.fragment)}"' not in path.read_text(encoding="utf-8")):
                broken.append(f"{html.relative_to(mini_office)} → {target}")
    assert broken == []


@pytest.mark.parametrize("site", ["mini_office", "mini_public"])
def test_nothing_loads_from_another_host(site, request):
    root = request.getfixturevalue(site)
    for rel, text in texts(root):
        if rel.endswith((".html", ".css", ".js")) and not rel.endswith(".map"):
            loads = re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="((?:https?:)?//[^"]*)"', text)
            assert loads == [], rel
            assert not re.search(r"@import\s+url\(\s*['\"]?(?:https?:)?//", text), rel
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, rel


def test_public_site_has_no_office_page(mini_public):
    files = set(tree(mini_public))
    assert {"index.html", "cases.html", "about.html"} <= files
    for page in set(OFFICE_PAGES) - {"index.html", "cases.html"}:
        assert page not in files
    assert not any(f.startswith(("units/", "ledgers/", "downloads/", "guide/")) for f in files)


PRIVATE = {
    "units/sl-jtj.yaml": [("name: 王某", "name: 私密领导甲"), ("0358-1234567", "0358-7777777"),
                          ("13800000000", "13977777777"), ("li@example.cn", "secret-mail@example.cn")],
    "ledgers/arrears/sl-jtj.yaml": [("示例某建材有限公司", "私密债权企业乙"),
                                    ("number: JT-2019-003", "number: SECRET-CONTRACT-9"),
                                    ("分两期支付", "私密备注丙"), ("服务质量有争议", "私密分歧原因丁")],
    "ledgers/clues/sl-zxqy.yaml": [("示例某商贸有限公司", "私密投诉企业戊"),
                                   ("债务人为民营企业，不属于清理范围", "私密不受理原因己")],
    "ledgers/cases/2022-002.yaml": [("草稿案例——不得公开", "私密草稿标题庚"), ("内部讨论稿。", "私密草稿摘要辛")],
}
APPROVED = """id: 2022-003
title: 私密已审核未公开标题壬
unit: sl-jtj
items: [sl-jtj/A002]
state: 已审核
summary: 私密已审核摘要癸
handling: 私密已审核处理子
"""


def test_public_build_leaks_no_private_marker(tmp_path):
    root = tmp_path / "planted"
    shutil.copytree(FIXTURES / "mini", root)
    markers = []
    for rel, swaps in PRIVATE.items():
        for old, new in swaps:
            edit(root, rel, old, new)
            markers.append(new.split(": ")[-1])
    (root / "ledgers/cases/2022-003.yaml").write_text(APPROVED, encoding="utf-8")
    markers += ["私密已审核未公开标题壬", "私密已审核摘要癸", "私密已审核处理子", "SECRET-CONTRACT-9",
                "11990100MB00000031", "91990100MA00000073"]  # credit codes of the unit and a creditor
    public = build(root, "public", tmp_path / "public")
    office = build(root, "office", tmp_path / "office")
    office_text = "".join(text for _rel, text in texts(office))
    assert all(m in office_text for m in markers), "every marker was planted where the office sees it"
    leaks = [(rel, m) for rel, text in texts(public) for m in markers if m in text]
    assert leaks == []
    public_text = "".join(text for _rel, text in texts(public))
    assert "示例市某局拖欠物资企业货款案" in public_text  # the published case is there


HOSTILE_NAME = '<script>alert("名")</script> | [x](javascript:alert(1)) {: onclick="alert(1)" }'


def test_hostile_data_is_shown_as_text(tmp_path):
    root = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "mini", root)
    edit(root, "units/sl-jtj.yaml", "name: 示例市交通运输局（示例）", f"name: '{HOSTILE_NAME}'")
    ledger = "ledgers/arrears/sl-jtj.yaml"
    edit(root, ledger, "name: 示例某建材有限公司", 'name: "建材|公司\\n| x | y |\\n<img src=x onerror=alert(1)>"')
    edit(root, ledger, "notes: 分两期支付", "notes: '</td></tr></table><script>alert(2)</script>'")
    edit(root, "ledgers/cases/2022-001.yaml", "summary: |\n",
         "summary: |\n  <script>alert(3)</script> [点](javascript:alert(4))\n  <img src=http://evil.example/x.png>\n")
    out = build(root, "office", tmp_path / "office")
    for rel, text in texts(out):
        if rel.endswith(".html"):
            assert "<script>alert" not in text, rel
            assert "javascript:alert" not in text, rel
            assert "onerror=" not in text and 'onclick="alert' not in text, rel
            assert "<img src=http" not in text and "src=\"http://evil" not in text, rel
    unit = (out / "units/sl-jtj.html").read_text(encoding="utf-8")
    assert unit.count('<tr id="debt-') == 3  # pipes and newlines did not add or break rows
    assert "<title>&#60;script&#62;" in unit or "<title>&lt;script&gt;" in unit


def test_output_may_not_replace_the_data(tmp_path):
    with pytest.raises(SiteError):
        check_out(tmp_path, tmp_path)
    with pytest.raises(SiteError):
        check_out(tmp_path / "repo", tmp_path)
    with pytest.raises(SiteError):
        check_out(tmp_path, tmp_path / "ledgers" / "x")
    check_out(tmp_path, tmp_path / "site")


def test_invalid_data_builds_no_site(mini, tmp_path):
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "amount: 380000.00", "amount: 38万")
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", mini, "--out", out],
                            capture_output=True, text=True)
    assert result.returncode == 1 and not out.exists()
    assert "ledgers/arrears/sl-jtj.yaml:10:13: E205" in result.stderr


def test_build_command_writes_the_public_site(tmp_path):
    out = tmp_path / "pub"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--root", FIXTURES / "mini",
                             "--audience", "public", "--out", out, "--as-of", "2022-11-01"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and not (out / "overdue.html").exists()


def test_a_build_warning_fails_the_build(tmp_path):
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    (root / "site_src").mkdir()
    shutil.copytree(Path(__file__).parent.parent / "site_src", root / "site_src", dirs_exist_ok=True)
    page = root / "site_src/pages/office/guide/submit.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[坏链接](no-such-page.md)\n", encoding="utf-8")
    from generator.validate.pipeline import validate_repo
    with pytest.raises(SiteError):
        build_site(validate_repo(root).records, root, "office", tmp_path / "out")


def test_each_reporting_unit_gets_its_excel_template(mini_office, mini_public):
    import openpyxl

    templates = sorted(p.stem for p in (mini_office / "downloads/templates").glob("*.xlsx"))
    assert templates == ["sl", "sl-czj", "sl-gzw", "sl-jtj", "sl-zxqy"]  # not the halted sl-gt
    sheets = openpyxl.load_workbook(mini_office / "downloads/templates/sl-jtj.xlsx").sheetnames
    assert "欠款" in sheets and "还款" in sheets
    sums = (mini_office / "downloads/SHA256SUMS").read_text(encoding="utf-8")
    assert "templates/sl-jtj.xlsx" in sums
    assert not (mini_public / "downloads").exists()


def test_the_public_about_page_says_where_to_complain(mini_public, tmp_path):
    about = (mini_public / "about.html").read_text(encoding="utf-8")
    assert "到哪里投诉" in about and 'href="http&#58;//www.sme-service.org.cn"' in about
    (tmp_path / "qingqian.yaml").write_text("complaint:\n  phone: '0999-1234567'\n  platform: javascript:alert(1)\n",
                                            encoding="utf-8")
    with pytest.raises(ConfigError, match=r"complaint\.platform"):
        load_config(tmp_path)
    (tmp_path / "qingqian.yaml").write_text("complaint:\n  office: 某市中小企业服务中心\n  phone: '0999-1234567'\n",
                                            encoding="utf-8")
    assert load_config(tmp_path).complaint.phone == "0999-1234567"


def test_the_home_page_says_why_it_counts_fewer_debts_than_the_ledgers(example_office):
    """The validation summary counts every debt of the ledgers; the site and its export leave out
    the halted unit's (yl-kfq-tz, 停产 since 2022-10-07): the home page says how many, and why."""
    import csv

    from generator.core.vocab import UnitStatus
    from generator.validate.pipeline import validate_repo
    from helpers import REPO

    records = validate_repo(REPO).records
    in_ledgers = sum(len(ledger.items) for ledger in records.ledgers)
    halted = sum(len(ledger.items) for ledger in records.ledgers
                 if records.units[ledger.unit].status == UnitStatus.HALTED)
    with (example_office / "downloads/qingqian-all.csv").open(encoding="utf-8-sig") as exported:
        counted = sum(1 for _row in csv.reader(exported)) - 1
    assert halted > 0 and counted < in_ledgers
    home = re.sub(r"<[^>]+>", "", (example_office / "index.html").read_text(encoding="utf-8"))
    said = re.search(r"台账中共有 (\d+) 笔欠款，本站统计 (\d+) 笔"
                     r"（停产单位的 (\d+) 笔(?:、数据日期时尚未到期的 (\d+) 笔)?不计入）", home)
    assert said, "the home page does not explain its count"
    assert (int(said[1]), int(said[2]), int(said[3])) == (in_ledgers, counted, halted)
    assert in_ledgers == counted + halted + int(said[4] or 0)


def test_a_name_that_is_also_a_heading_of_its_page_leaves_every_id_unique(mini: Path, tmp_path: Path):
    """A firm called 投诉 and a unit called 联系人: their pages' titles would take the ids of a
    section of the same page; the title's id gets a suffix instead, the section keeps its id."""
    edit(mini, "ledgers/arrears/sl-jtj.yaml", "name: 示例某建材有限公司", "name: 投诉")
    edit(mini, "units/sl-jtj.yaml", "name: 示例市交通运输局（示例）", "name: 联系人")
    site = build(mini, "office", tmp_path / "site")
    for page, title, section in (("creditors/91990100MA00000073.html", "投诉", "投诉"),
                                 ("units/sl-jtj.html", "联系人", "联系人")):
        text = (site / page).read_text(encoding="utf-8")
        ids = re.findall(r'\sid="([^"]*)"', text)
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], page
        assert f'<h1 id="{title}_1">{title}<a class="headerlink" href="#{title}_1"' in text
        assert f' id="{section}">{section}<a class="headerlink" href="#{section}"' in text
